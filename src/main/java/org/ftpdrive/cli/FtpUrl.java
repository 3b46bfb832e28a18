package org.ftpdrive.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ftpdrive.config.Endpoint;
import org.ftpdrive.remote.InvalidRemoteNameException;
import org.ftpdrive.remote.RemotePath;

/**
 * A parsed {@code ftp://[user[:password]@]host[:port][/path]} URL as given on the command line.
 *
 * <p>Parsed by hand rather than with {@link java.net.URI}: URI's error messages quote the whole
 * input, password included, and it accepts forms (query, fragment) that mean nothing for FTP.
 * Every error message here is built from parts that are known not to hold the password.
 */
public final class FtpUrl {
    static final String EXPECTED = "expected ftp://[user[:password]@]host[:port][/path]";
    /**
     * scheme://user:password@ inside any text: the password runs to the last '@' before a space or
     * quote, so a raw '/' or '@' in it is covered too (over-redacting rather than leaking).
     */
    private static final Pattern USER_INFO_WITH_PASSWORD =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s'\"/:]*):[^\\s'\"]*@");

    private final Endpoint endpoint;
    private final String user;
    private final char[] password;

    /**
     * @param user the user name, or null for none
     * @param password the password given inside the URL, or null; only allowed with a user
     */
    public FtpUrl(Endpoint endpoint, String user, char[] password) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        if (password != null && user == null) {
            throw new IllegalArgumentException("a password needs a user name");
        }
        this.user = user;
        this.password = password == null ? null : password.clone();
    }

    /**
     * {@code text} with every {@code scheme://user:password@} in it turned into {@code
     * scheme://user:***@}, for messages that quote command-line arguments.
     */
    public static String redactPasswords(String text) {
        return text == null ? null : USER_INFO_WITH_PASSWORD.matcher(text).replaceAll("$1:***@");
    }

    public static FtpUrl parse(String text) {
        return new Parser(text).parse();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The user name from the URL, or null. */
    public String user() {
        return user;
    }

    /** A copy of the password written inside the URL, or null when there was none. */
    public char[] password() {
        return password == null ? null : password.clone();
    }

    public boolean hasPasswordInUrl() {
        return password != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FtpUrl u && endpoint.equals(u.endpoint) && Objects.equals(user, u.user)
                && Arrays.equals(password, u.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, user);
    }

    /**
     * The URL with the password replaced by {@code ***}, safe to log; without a password it parses
     * back to the same URL (what the parser would read as syntax is escaped).
     */
    @Override
    public String toString() {
        String userInfo = user == null ? ""
                : escape(user).replace(":", "%3A") + (password == null ? "" : ":***") + "@";
        return "ftp://" + userInfo + endpoint.authority() + escape(endpoint.path().toString());
    }

    private static String escape(String s) {
        return s.replace("%", "%25").replace("?", "%3F").replace("#", "%23");
    }

    /** One parse; fields hold the pieces found so far so error messages can name them. */
    private static final class Parser {
        private final String text;

        Parser(String text) {
            this.text = text == null ? "" : text.strip();
        }

        FtpUrl parse() {
            if (text.isEmpty()) {
                throw new UsageException("missing server URL (" + EXPECTED + ")");
            }
            String rest = stripScheme();
            if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
                throw new UsageException("an ftp:// URL cannot have a query (?) or fragment (#) part;"
                        + " write ? as %3F and # as %23");
            }
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String rawPath = slash < 0 ? "" : rest.substring(slash);

            // The last '@' so that an unescaped '@' in a user name like bob@example.com still works.
            int at = authority.lastIndexOf('@');
            String user = null;
            char[] password = null;
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                int colon = userInfo.indexOf(':');
                String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
                if (rawUser.isEmpty()) {
                    throw new UsageException("the URL has an empty user name before '@'");
                }
                user = decode(rawUser, "the user name", false);
                refuseLineBreaks(user, "the user name");
                if (colon >= 0) {
                    String pw = decode(userInfo.substring(colon + 1), "the password", true);
                    refuseLineBreaks(pw, "the password in the URL");
                    password = pw.toCharArray();
                }
                authority = authority.substring(at + 1);
            }
            // Without a user part, an '@' later on hints that a password held a raw '/', which
            // cut the authority short: what looks like host:port may then be user:password.
            boolean maybePassword = at < 0 && rawPath.indexOf('@') >= 0;
            Endpoint endpoint = hostAndPort(authority, path(rawPath), maybePassword);
            return new FtpUrl(endpoint, user, password);
        }

        private String stripScheme() {
            int sep = text.indexOf("://");
            String scheme = sep < 0 ? "" : text.substring(0, sep);
            if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                throw new UsageException("'" + redact(text) + "' is not an ftp:// URL (" + EXPECTED + ")");
            }
            switch (scheme.toLowerCase(Locale.ROOT)) {
                case "ftp" -> { }
                case "ftps" -> throw new UsageException("ftps:// is not supported yet");
                default -> throw new UsageException(
                        scheme + ":// URLs are not supported (" + EXPECTED + ")");
            }
            return text.substring(sep + 3);
        }

        private static RemotePath path(String rawPath) {
            String path = decode(rawPath, "the path", false);
            try {
                return RemotePath.of(path);
            } catch (InvalidRemoteNameException e) {
                throw new UsageException("the path name '" + e.getInput() + "' " + e.getReason());
            }
        }

        private static Endpoint hostAndPort(String authority, RemotePath path, boolean maybePassword) {
            String host;
            String port = null;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    throw new UsageException("missing ']' after the IPv6 address in the URL");
                }
                host = authority.substring(1, close);
                if (!host.contains(":") || !host.matches("[0-9A-Fa-f:.]+")) {
                    throw new UsageException("'[" + host + "]' is not an IPv6 address");
                }
                String after = authority.substring(close + 1);
                if (after.startsWith(":")) {
                    port = after.substring(1);
                } else if (!after.isEmpty()) {
                    throw new UsageException("unexpected '" + after + "' after the IPv6 address (expected :PORT)");
                }
            } else {
                int colon = authority.indexOf(':');
                if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                    throw new UsageException(
                            "IPv6 addresses must be written in brackets, e.g. ftp://[::1]:21/");
                }
                host = colon < 0 ? authority : authority.substring(0, colon);
                port = colon < 0 ? null : authority.substring(colon + 1);
                if (!host.isEmpty() && !host.matches("[A-Za-z0-9._-]+")) {
                    throw new UsageException("invalid host name '" + host + "'");
                }
            }
            if (host.isEmpty()) {
                throw new UsageException("the URL has no host name (" + EXPECTED + ")");
            }
            return new Endpoint(host, port(port, maybePassword), path);
        }

        private static int port(String port, boolean maybePassword) {
            // RFC 3986 section 3.2.3: an empty port means the scheme's default.
            if (port == null || port.isEmpty()) {
                return Endpoint.DEFAULT_PORT;
            }
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new UsageException(maybePassword
                        ? "the port in the URL is not a number (write a '/' in a password as %2F)"
                        : "port '" + port + "' is not a number");
            }
            int value = port.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new UsageException("port " + port + " is not within 1-65535");
            }
            return value;
        }

        /** Percent-decodes as UTF-8; {@code secret} keeps the offending escape out of the message. */
        private static String decode(String s, String what, boolean secret) {
            StringBuilder out = new StringBuilder(s.length());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int i = 0;
            while (i < s.length()) {
                if (s.charAt(i) != '%') {
                    out.append(s.charAt(i++));
                    continue;
                }
                bytes.reset();
                while (i < s.length() && s.charAt(i) == '%') {
                    int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                    int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                    if (lo < 0) {
                        String escape = s.substring(i, Math.min(i + 3, s.length()));
                        throw new UsageException("malformed percent escape "
                                + (secret ? "" : "'" + escape + "' ") + "in " + what
                                + " (expected % followed by two hex digits)");
                    }
                    bytes.write(hi * 16 + lo);
                    i += 3;
                }
                out.append(utf8(bytes.toByteArray(), what));
            }
            return out.toString();
        }

        private static String utf8(byte[] bytes, String what) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new UsageException(what + " is not valid UTF-8 after percent-decoding");
            }
        }

        private static void refuseLineBreaks(String value, String what) {
            // CR/LF/NUL would end the USER/PASS command early and start another one.
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                throw new UsageException(what + " contains a CR, LF or NUL character");
            }
        }

        /**
         * The text with anything that could be a password replaced by ***: everything between the
         * first ':' after the scheme and the last '@'. Over-redacts rather than risk a leak.
         */
        static String redact(String text) {
            int sep = text.indexOf("://");
            int start = sep < 0 ? 0 : sep + 3;
            int at = text.lastIndexOf('@');
            int colon = text.indexOf(':', start);
            if (at < 0 || colon < 0 || colon > at) {
                return text;
            }
            return text.substring(0, colon + 1) + "***" + text.substring(at);
        }
    }
}
