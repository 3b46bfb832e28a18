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
