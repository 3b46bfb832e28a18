package org.ftpdrive.cli;

import java.io.PrintWriter;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ftpdrive.cache.CachingRemoteStore;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.MountSettings;
import org.ftpdrive.fuse.DriveFuse;
import org.ftpdrive.fuse.FuseMounter;
import org.ftpdrive.fuse.MountException;
import org.ftpdrive.ftp.DataConnectionException;
import org.ftpdrive.ftp.DataModeProbe;
import org.ftpdrive.ftp.FtpRemoteStore;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.vfs.Drive;
import org.ftpdrive.vfs.StagingArea;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "mount", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Mount an FTP server as a local folder.",
                "Runs in the foreground until Ctrl-C, SIGTERM or `ftpdrive unmount`; --daemon returns once the "
                        + "drive works. Uploads finish before close() returns, so a file is on the server when "
                        + "cp ends."})
final class MountCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(MountCommand.class);
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration UNMOUNT_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "ftp://[user@]host[:port]/path")
    String url;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An empty folder to mount on.")
    Path mountPoint;

    @Option(names = "--daemon", description = "Run in the background; return once the mount works (exit 0) or "
            + "say why it failed (non-zero).")
    boolean daemon;

    @Mixin
    MountOptions mount;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        FtpUrl ftpUrl = FtpUrl.parse(url);
        MountSettings ms = mount.toSettings(mountPoint.toAbsolutePath().normalize(), volumeName(ftpUrl));
        ConnectionSettings cs = connection.toSettings(ftpUrl, CredentialSource.system(), err);
        if (daemon) {
            return Daemon.start(spec.commandLine().getParseResult().originalArgs(), cs, ms, err);
        }
        return runInForeground(cs, ms, err);
    }

    private static String volumeName(FtpUrl url) {
        String path = url.endpoint().path().toString();
        return url.endpoint().authority() + (path.equals("/") ? "" : path);
    }

    private int runInForeground(ConnectionSettings cs, MountSettings ms, PrintWriter err) throws Exception {
        FuseMounter.checkMountPoint(ms.mountPoint(), ms.fuseOptions());
        FtpRemoteStore ftp = FtpRemoteStore.connect(cs);
        StagingArea staging = null;
        Drive drive = null;
        try {
            checkRootOrDiagnose(ftp, cs, err);
            staging = StagingArea.create(ms.cacheDir());
            drive = new Drive(new CachingRemoteStore(ftp, ms.dirCacheTtl()), staging,
                    Drive.Options.defaults().withReadOnly(ms.readOnly()));
            DriveFuse fs;
            try {
                fs = new DriveFuse(drive, ms);
            } catch (LinkageError e) {
                throw new MountException("libfuse 2 cannot be loaded (" + e.getMessage().lines().findFirst().orElse("")
                        + "); install it with: sudo apt-get install libfuse2 fuse3");
            }
            FuseMounter.Mounted mounted = FuseMounter.mount(fs, ms, MOUNT_TIMEOUT);
            JitWarmup.startInBackground(ms);
            Shutdown shutdown = new Shutdown(drive, staging, ftp, mounted);
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "ftpdrive-shutdown"));
            err.println("ftpdrive: mounted " + ms.volumeName() + " at " + ms.mountPoint() + " ("
                    + ftp.modes().current().name().toLowerCase() + " mode"
                    + (ftp.modes().why() == null ? "" : " because " + ftp.modes().why())
                    + (ms.readOnly() ? ", read-only" : "") + "); stop with Ctrl-C or: ftpdrive unmount "
                    + ms.mountPoint());
            err.flush();
            mounted.awaitEnd();
            shutdown.run();
            return ExitCodes.OK;
        } catch (Exception | Error e) {
            if (drive != null) {
                drive.close();
            }
            if (staging != null) {
                staging.close();
            }
            ftp.close();
            throw e;
        }
    }

    /**
     * Checks that the root is a directory and lists it once, which proves that data connections
     * work before anything is mounted (the stat itself may need one: without MLST it lists the
     * parent). When none works, the doctor's checks say why, so the user gets a diagnosis instead
     * of a drive that hangs at its first use.
     */
    private static void checkRootOrDiagnose(FtpRemoteStore ftp, ConnectionSettings cs, PrintWriter err)
            throws java.io.IOException {
        try {
            RemoteEntry root = ftp.stat(RemotePath.ROOT);
            if (!root.isDirectory()) {
                throw new NotDirectoryException(cs.endpoint().path().toString());
            }
            ftp.list(RemotePath.ROOT);
        } catch (DataConnectionException e) {
            log.info("no data connection ({}); finding out why", e.getMessage());
            if (stderrIsTerminal()) {
                // Only for a person at a terminal: scripts get the one error line and nothing else.
                err.println("ftpdrive: no data connection works yet; finding out why (up to about "
                        + DataModeProbe.upperBound(cs).toSeconds() + " s)...");
                err.flush();
            }
            DoctorAdvice advice = DoctorAdvice.of(DataModeProbe.run(cs));
            if (advice.mode() != null) {
                throw new NoDataConnectionException("data connections fail in " + cs.dataMode().name().toLowerCase()
                        + " mode (" + e.getMessage() + "); " + advice.lines().get(0), e);
            }
            throw new NoDataConnectionException(String.join("; ", advice.lines()) + " (details: ftpdrive doctor "
                    + DoctorCommand.shownUrl(cs) + ")", e);
        }
    }

    /** Whether standard error is a terminal (System.console() looks at stdin and stdout instead). */
    private static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Finishes pending uploads, then unmounts and closes; safe to run twice (hook and main thread). */
    private static final class Shutdown {
        private final Drive drive;
        private final StagingArea staging;
        private final FtpRemoteStore ftp;
        private final FuseMounter.Mounted mounted;
        private final AtomicBoolean done = new AtomicBoolean();

        Shutdown(Drive drive, StagingArea staging, FtpRemoteStore ftp, FuseMounter.Mounted mounted) {
            this.drive = drive;
            this.staging = staging;
            this.ftp = ftp;
            this.mounted = mounted;
        }

        void run() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (drive.openFiles() > 0) {
                log.warn("unmounting with {} open file(s); finishing their uploads", drive.openFiles());
            }
            drive.flushAll();
            try {
                mounted.unmount(UNMOUNT_TIMEOUT);
            } catch (java.io.IOException e) {
                log.warn("unmounting {}: {}", mounted.mountPoint(), e.getMessage());
            }
            drive.close();
            staging.close();
            ftp.close();
        }
    }
}
