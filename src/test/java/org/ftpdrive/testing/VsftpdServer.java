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
