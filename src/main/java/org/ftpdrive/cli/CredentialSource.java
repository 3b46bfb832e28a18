package org.ftpdrive.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ftpdrive.config.Credentials;

/**
 * Decides who to log in as and with which password, from the command line, the environment,
 * ~/.netrc and, as a last resort, the terminal.
 *
 * <p>The user is {@code --user}, else the URL's user, else the login of the host's netrc entry;
 * with none of these the login is anonymous. The password is the first of: the
 * {@value #PASSWORD_ENV} environment variable, the first line of {@code --password-file}, the
 * password inside the URL (with a warning), the host's netrc entry, a prompt on the console.
 * The environment and the file come first because they are the ways that keep the password out
 * of {@code ps}; the prompt comes last so scripts never block on it.
 */
public final class CredentialSource {
    public static final String PASSWORD_ENV = "FTPDRIVE_PASSWORD";
    /** Overrides the netrc location, as in GNU inetutils ftp. */
    public static final String NETRC_ENV = "NETRC";
    public static final String URL_PASSWORD_WARNING = "a password in the URL is visible to other users in `ps`;"
            + " use " + PASSWORD_ENV + ", --password-file or ~/.netrc";
    public static final String PASSWORD_WITHOUT_USER_WARNING = "a password was given but no user name;"
            + " logging in anonymously (use --user or put the user in the URL)";

    /** Reads a password without echoing it. */
    @FunctionalInterface
    public interface PasswordPrompt {
        /** The typed password, or null when there is no console to ask on. */
        char[] readPassword(String prompt);

        static PasswordPrompt console() {
            return prompt -> {
                Console console = System.console();
                return console == null ? null : console.readPassword("%s", prompt);
            };
        }
    }

    /** The credentials to use plus warnings for the user, one line each. */
    public record Resolved(Credentials credentials, List<String> warnings) {
        public Resolved {
            Objects.requireNonNull(credentials, "credentials");
            warnings = List.copyOf(warnings);
        }
    }

    private final Map<String, String> env;
    private final Path home;
    private final PasswordPrompt prompt;

    /**
     * @param env the environment variables ({@link System#getenv()} in production)
     * @param home the user's home directory, where .netrc lives
     */
    public CredentialSource(Map<String, String> env, Path home, PasswordPrompt prompt) {
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
    }

    public static CredentialSource system() {
        // $HOME first, as curl and ftp do; Java's user.home comes from the password database.
        String home = System.getenv("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return new CredentialSource(System.getenv(), Path.of(home), PasswordPrompt.console());
    }

    /**
     * @param userOption the {@code --user} value, or null
     * @param passwordFile the {@code --password-file} value, or null
     * @throws UsageException when the password file can't be read or no password can be found
     */
    public Resolved resolve(FtpUrl url, String userOption, Path passwordFile) {
        return new Resolution(url).run(userOption, passwordFile);
    }

    /** One resolution: collects warnings and reads the netrc file at most once. */
    private final class Resolution {
        private final FtpUrl url;
        private final String host;
        private final List<String> warnings = new ArrayList<>();
        private Netrc netrc;

        Resolution(FtpUrl url) {
            this.url = url;
            this.host = url.endpoint().host();
        }

        Resolved run(String userOption, Path passwordFile) {
            String user = userOption != null ? checkUserOption(userOption) : url.user();
            if (user == null) {
                user = netrc().find(host, null).map(Netrc.Entry::login).orElse(null);
            }
            if (user == null) {
                if (envPassword() != null || passwordFile != null) {
                    warnings.add(PASSWORD_WITHOUT_USER_WARNING);
                }
                return new Resolved(Credentials.anonymous(), warnings);
            }
            return new Resolved(new Credentials(user, password(user, passwordFile)), warnings);
        }

        private char[] password(String user, Path passwordFile) {
            String fromEnv = envPassword();
            if (fromEnv != null) {
                return checked(fromEnv.toCharArray(), "the password in " + PASSWORD_ENV);
            }
            if (passwordFile != null) {
                return checked(readFirstLine(passwordFile), "the password in " + passwordFile);
            }
            if (url.hasPasswordInUrl()) {
                warnings.add(URL_PASSWORD_WARNING);
                return url.password();
            }
            Optional<Netrc.Entry> entry = netrc().find(host, user);
            if (entry.isPresent() && entry.get().password() != null) {
                warnIfOthersCanRead(netrcPath());
                return checked(entry.get().password().toCharArray(), "the password in " + netrcPath());
            }
            if (new Credentials(user, new char[0]).isAnonymous()) {
                return Credentials.anonymous().revealPassword().toCharArray();
            }
            String who = user + "@" + (host.contains(":") ? "[" + host + "]" : host);
            char[] typed = prompt.readPassword("Password for " + who + ": ");
            if (typed == null) {
                throw new UsageException("no password for " + who + ": set " + PASSWORD_ENV
                        + ", use --password-file or ~/.netrc");
            }
            return typed;
        }

        private Netrc netrc() {
            if (netrc == null) {
                Path path = netrcPath();
                try {
                    netrc = Netrc.load(path);
                } catch (IOException e) {
                    // A broken netrc shouldn't stop a mount that may not need it.
                    warnings.add("cannot read " + path + " (" + reason(e) + "); ignoring it");
                    netrc = Netrc.parse("");
                }
            }
            return netrc;
        }

        private void warnIfOthersCanRead(Path file) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    warnings.add(file + " holds a password and can be read by other users; run chmod 600 " + file);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // No POSIX permissions to check (e.g. Windows): nothing to warn about.
            }
        }
    }

    private Path netrcPath() {
        String override = env.get(NETRC_ENV);
        return override != null && !override.isEmpty() ? Path.of(override) : home.resolve(".netrc");
    }

    /** The environment password; empty counts as unset, as {@code FTPDRIVE_PASSWORD= cmd} usually means. */
    private String envPassword() {
        String value = env.get(PASSWORD_ENV);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String checkUserOption(String user) {
        if (user.isEmpty()) {
            throw new UsageException("--user must not be empty");
        }
        checked(user.toCharArray(), "--user");
        return user;
    }

    private static char[] readFirstLine(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("password file " + file + " is empty");
            }
            return line.toCharArray();
        } catch (MalformedInputException e) {
            throw new UsageException("password file " + file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new UsageException("cannot read password file " + file + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    // CR/LF/NUL would end the USER/PASS command early and let the rest run as another command.
    private static char[] checked(char[] value, String what) {
        for (char c : value) {
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new UsageException(what + " contains a CR, LF or NUL character");
            }
        }
        return value;
    }
}
