package org.ftpdrive.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.time.Duration;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.PortRange;
import picocli.CommandLine.Option;

/** The options every command that talks to a server accepts (ls, and later mount and doctor). */
final class ConnectionOptions {
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "passive",
            description = "Data connections: passive (EPSV, then PASV; default), active (PORT/EPRT: the "
                    + "server connects back) or auto (passive, falling back to active).")
    String mode;

    @Option(names = "--active-port-range", paramLabel = "LOW-HIGH",
            description = "Local ports to listen on in active mode, so a firewall can open exactly those.")
    String activePortRange;

    @Option(names = "--active-address", paramLabel = "ADDR",
            description = "Address to advertise in active mode (your public address when behind NAT).")
    String activeAddress;

    @Option(names = "--trust-pasv-address",
            description = "Connect to the address in PASV replies even when it is not the server's "
                    + "(servers behind load balancers). By default the server's own address is used.")
    boolean trustPasvAddress;

    @Option(names = "--no-epsv",
            description = "Use PASV only, never EPSV (for servers or firewalls that mishandle EPSV).")
    boolean noEpsv;

    @Option(names = "--encoding", paramLabel = "CHARSET", defaultValue = "UTF-8",
            description = "The server's file name encoding, e.g. windows-1252, cp1251, GBK, Shift_JIS "
                    + "(default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "4",
            description = "Most FTP connections at once (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "User name (overrides the URL's).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from the first line of FILE. Also: the FTPDRIVE_PASSWORD "
                    + "variable, ~/.netrc, or a prompt.")
    Path passwordFile;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Control connection setup timeout (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for a server reply (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--data-connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long a data connection may take to open before the mode is "
                    + "considered broken (default: ${DEFAULT-VALUE}).")
    int dataConnectTimeout;

    /** Builds the settings; warnings (such as a password in the URL) go to {@code err}. */
    ConnectionSettings toSettings(FtpUrl url, CredentialSource credentials, PrintWriter err) {
        // Options are checked before credentials, which may prompt for a password.
        requirePositive(connections, "--connections");
        requirePositive(connectTimeout, "--connect-timeout");
        requirePositive(timeout, "--timeout");
        requirePositive(dataConnectTimeout, "--data-connect-timeout");
        DataMode dataMode = parseMode();
        PortRange ports = activePortRange == null ? null : parse(() -> PortRange.parse(activePortRange));
        Charset charset = charset();
        CredentialSource.Resolved resolved = credentials.resolve(url, user, passwordFile);
        resolved.warnings().forEach(w -> err.println("ftpdrive: warning: " + w));
        err.flush();
        return ConnectionSettings.builder(url.endpoint(), resolved.credentials())
                .dataMode(dataMode)
                .activePortRange(ports)
                .activeAddress(activeAddress)
                .useEpsv(!noEpsv)
                .usePasvAddress(trustPasvAddress)
                .encoding(charset)
                .connections(connections)
                .connectTimeout(Duration.ofSeconds(connectTimeout))
                .controlTimeout(Duration.ofSeconds(timeout))
                .dataConnectTimeout(Duration.ofSeconds(dataConnectTimeout))
                .build();
    }

    private DataMode parseMode() {
        return parse(() -> DataMode.parse(mode));
    }

    private Charset charset() {
        try {
            return Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UsageException("unknown encoding '" + encoding + "' (e.g. UTF-8, windows-1252, cp1251, GBK,"
                    + " Shift_JIS)");
        }
    }

    private static void requirePositive(int value, String option) {
        if (value < 1) {
            throw new UsageException(option + " must be at least 1, not " + value);
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
