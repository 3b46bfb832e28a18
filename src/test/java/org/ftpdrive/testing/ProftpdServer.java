package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ProFTPD on loopback for integration tests, run through {@code scripts/ftp-server
 * proftpd}, as a {@link TestServer} (see {@link ScriptedFtpServer} for what all scripted servers
 * share). Unlike vsftpd it offers MLSD/MLST, MFMT and SITE CHMOD, so it exercises ftpdrive's
 * machine-readable listing path against a real server.
 *
 * <p>ProFTPD is not installed (its Debian package conflicts with vsftpd's): the script unpacks
 * it into a cache outside the repository the first time, with {@code apt-get download}. It logs
 * every command with its reply to {@link #logFile()}.
 */
public final class ProftpdServer extends ScriptedFtpServer {

    /**
     * Server options.
     *
     * @param maxPerIp clients allowed per address (ProFTPD {@code MaxClientsPerHost}); 0 means
     *     unlimited. ProFTPD counts logged-in clients: the one beyond the limit gets past USER and
     *     is refused at PASS with {@code 530 Sorry, the maximum number of clients (N) from your
     *     host are already connected.}, then disconnected. (A 530, not vsftpd's 421.)
     * @param pasvAddress IPv4 address announced in PASV replies ({@code MasqueradeAddress}), or
     *     null for the server's own
     * @param protocolLog whether every command and reply goes to {@link #logFile()}; off for
     *     benchmarks
     */
    public record Options(int maxPerIp, String pasvAddress, boolean protocolLog) {
        public Options {
            if (maxPerIp < 0) {
                throw new IllegalArgumentException("maxPerIp must be >= 0 (0 = unlimited): " + maxPerIp);
            }
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

    private ProftpdServer(Started started, Options options) {
        super(started);
        this.options = options;
    }

    /**
     * Starts ProFTPD with its state (config, password, pid, logs, FTP root) in {@code stateDir}.
     *
     * @throws UnavailableException when this machine cannot run ProFTPD (see {@link
     *     TestRequirements#startProftpdOrSkip})
     * @throws IOException when starting failed; the message holds the script's stderr
     */
    public static ProftpdServer start(Path stateDir, Options options) throws IOException {
        Options opts = options == null ? Options.defaults() : options;
        return new ProftpdServer(launch("proftpd", stateDir, opts.arguments()), opts);
    }

    public Options options() {
        return options;
    }

    /** ProFTPD's own messages (startup, logins, refusals), beside the protocol log. */
    public Path systemLog() {
        return stateDir().resolve("proftpd-system.log");
    }
}
