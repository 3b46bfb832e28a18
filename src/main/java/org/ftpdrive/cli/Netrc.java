package org.ftpdrive.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The entries of a netrc file (the format of ftp(1)'s {@code ~/.netrc}).
 *
 * <p>Tokens are separated by whitespace; {@code machine NAME} or {@code default} start an entry
 * and {@code login}, {@code password} and {@code account} fill it in. {@code macdef NAME} is
 * followed by a macro body that runs up to the next blank line and is skipped. Values may be
 * double-quoted (with backslash escapes) to hold spaces, as curl allows. A {@code #} where a
 * keyword is expected starts a comment up to the end of the line; unknown keywords are skipped,
 * as most ftp clients do, so one odd line doesn't make the whole file useless.
 */
public final class Netrc {

    /**
     * One entry. Any field but {@code machine} may be missing (null).
     *
     * @param machine the host name, or null for the {@code default} entry
     */
    public record Entry(String machine, String login, String password, String account) {
        public boolean isDefault() {
            return machine == null;
        }

        @Override
        public String toString() {
            return "Entry[" + (machine == null ? "default" : "machine=" + machine) + ", login=" + login
                    + ", password=" + (password == null ? "none" : "***") + "]";
        }
    }

    private final List<Entry> entries;

    private Netrc(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Netrc parse(String text) {
        return new Parser(text).parse();
    }

    /** Reads {@code file}; an absent file is an empty netrc, any other read failure is thrown. */
    public static Netrc load(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new Netrc(List.of());
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * The entry to use for {@code host}: the first {@code machine} entry whose name matches
     * (ignoring case) and whose login is {@code user} or absent, else the {@code default} entry
     * on the same terms. With a null user any login matches.
     */
    public Optional<Entry> find(String host, String user) {
        Optional<Entry> machine = entries.stream()
                .filter(e -> !e.isDefault() && e.machine().equalsIgnoreCase(host) && loginMatches(e, user))
                .findFirst();
        return machine.isPresent()
                ? machine
                : entries.stream().filter(e -> e.isDefault() && loginMatches(e, user)).findFirst();
    }

    private static boolean loginMatches(Entry e, String user) {
        return user == null || e.login() == null || e.login().equals(user);
    }

    private static final class Parser {
        private final String text;
        private final List<Entry> entries = new ArrayList<>();
        private int pos;
        // The entry being filled in; isOpen false until the first machine/default.
        private boolean isOpen;
        private String machine;
        private String login;
        private String password;
        private String account;

        Parser(String text) {
            this.text = text;
        }

        Netrc parse() {
            String keyword;
            while ((keyword = nextToken()) != null) {
                switch (keyword) {
                    case "machine" -> {
                        String name = nextToken();
                        if (name != null) {
                            start(name);
                        }
                    }
                    case "default" -> start(null);
                    case "login" -> login = nextToken();
                    case "password" -> password = nextToken();
                    case "account" -> account = nextToken();
                    case "macdef" -> {
                        nextToken();
                        skipMacroBody();
                    }
                    default -> {
                        if (keyword.startsWith("#")) {
                            skipLine();
                        }
                    }
                }
            }
            finish();
            return new Netrc(entries);
        }

        private void start(String name) {
            finish();
            isOpen = true;
            machine = name;
            login = null;
            password = null;
            account = null;
        }

        private void finish() {
            if (isOpen) {
                entries.add(new Entry(machine, login, password, account));
            }
            isOpen = false;
        }

        /** The next token, unquoted, or null at the end of the text. */
        private String nextToken() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (pos >= text.length()) {
                return null;
            }
            StringBuilder token = new StringBuilder();
            if (text.charAt(pos) == '"') {
                pos++;
                while (pos < text.length() && text.charAt(pos) != '"') {
                    char c = text.charAt(pos++);
                    if (c == '\\' && pos < text.length()) {
                        c = text.charAt(pos++);
                    }
                    token.append(c);
                }
                pos++; // the closing quote, or past the end of an unterminated one
                return token.toString();
            }
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
                token.append(text.charAt(pos++));
            }
            return token.toString();
        }

        private void skipLine() {
            int eol = text.indexOf('\n', pos);
            pos = eol < 0 ? text.length() : eol + 1;
        }

        /** Skips the rest of the macdef line, then every line up to and including a blank one. */
        private void skipMacroBody() {
            skipLine();
            while (pos < text.length()) {
                int eol = text.indexOf('\n', pos);
                String line = eol < 0 ? text.substring(pos) : text.substring(pos, eol);
                pos = eol < 0 ? text.length() : eol + 1;
                if (line.isBlank()) {
                    return;
                }
            }
        }
    }
}
