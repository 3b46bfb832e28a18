package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real vsftpd on loopback for integration tests, run through {@code scripts/ftp-server vsftpd},
 * as a {@link TestServer} (see {@link ScriptedFtpServer} for what all scripted servers share).
 *
 * <pre>{@code
 * try (VsftpdServer ftp = TestRequirements.startVsftpdOrSkip(tempDir, VsftpdServer.Options.defaults())) {
 *     client.connect(ftp.host(), ftp.port());
 *     client.login(ftp.user(), ftp.password());
 * }
 * }</pre>
 */
public final class VsftpdServer extends ScriptedFtpServer {

    /**
     * Server options.
     *
     * @param maxPerIp connections allowed per client address (vsftpd {@code max_per_ip}); 0 means
     *     unlimited. Beyond it vsftpd answers {@code 421 There are too many connections from your
     *     internet address.} and closes the connection.
     * @param pasvAddress IPv4 address announced in PASV replies, or null for the server's own
     * @param protocolLog whether vsftpd logs every command and reply to {@link #logFile()}; off
     *     for benchmarks
     */
    public record Options(int maxPerIp, String pasvAddress, boolean protocolLog) {
        public Options {
            if (maxPerIp < 0) {
                throw new IllegalArgumentException("maxPerIp must be >= 0 (0 = unlimited): " + maxPerIp);
            }
        }

        public Options(int maxPerIp, String pasvAddress) {
            this(maxPerIp, pasvAddress, true);
        }

        public static Options defaults() {
            return new Options(0, null, true);
        }

        public Options withMaxPerIp(int n) {
            return new Options(n, pasvAddress, protocolLog);
        }

        public Options withPasvAddress(String address) {
            return new Options(maxPerIp, address, protocolLog);
        }

        public Options withProtocolLog(boolean on) {
            return new Options(maxPerIp, pasvAddress, on);
        }

        List<String> arguments() {
            List<String> args = new ArrayList<>();
            if (maxPerIp > 0) {
                args.add("--max-per-ip");
                args.add(Integer.toString(maxPerIp));
            }
            if (pasvAddress != null) {
                args.add("--pasv-address");
                args.add(pasvAddress);
            }
            if (!protocolLog) {
                args.add("--no-log");
            }
            return args;
        }
    }

    private final Options options;

    private VsftpdServer(Started started, Options options) {
        super(started);
        this.options = options;
    }

    /**
     * Starts vsftpd with its state (config, password, pid, log, FTP root) in {@code stateDir}.
     *
     * @throws UnavailableException when this machine cannot run vsftpd (see {@link
     *     TestRequirements#startVsftpdOrSkip})
     * @throws IOException when starting failed; the message holds the script's stderr
     */
    public static VsftpdServer start(Path stateDir, Options options) throws IOException {
        Options opts = options == null ? Options.defaults() : options;
        return new VsftpdServer(launch("vsftpd", stateDir, opts.arguments()), opts);
    }

    public Options options() {
        return options;
    }
}
