package org.ftpdrive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ftpdrive.config.MountSettings;
import org.ftpdrive.vfs.StagingArea;
import picocli.CommandLine.Option;

/** The local side of a mount: who owns the files, how long things are cached, FUSE options. */
final class MountOptions {
    @Option(names = "--read-only", description = "Refuse every change (writes fail with 'Read-only file system').")
    boolean readOnly;

    @Option(names = "--uid", paramLabel = "UID", description = "Owner shown for every file (default: you).")
    Long uid;

    @Option(names = "--gid", paramLabel = "GID", description = "Group shown for every file (default: yours).")
    Long gid;

    @Option(names = "--umask", paramLabel = "OCTAL", defaultValue = "022",
            description = "Permission bits to take away from what the server reports (default: ${DEFAULT-VALUE}).")
    String umask;

    @Option(names = "--allow-other",
            description = "Let other users use the drive (for non-root users, needs user_allow_other in /etc/fuse.conf).")
    boolean allowOther;

    @Option(names = "--attr-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long the kernel trusts names and attributes before asking again "
                    + "(default: ${DEFAULT-VALUE}).")
    double attrTimeout;

    @Option(names = "--dir-cache-ttl", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a listing, and the attributes and missing names it shows, are trusted; "
                    + "changes made through the drive are seen at once (default: ${DEFAULT-VALUE}).")
    double dirCacheTtl;

    @Option(names = "--volume-name", paramLabel = "NAME",
            description = "Name shown by mount, df and file managers (default: the server and path).")
    String volumeName;

    @Option(names = "-o", paramLabel = "OPT[,OPT...]", description = "FUSE mount options, passed on as they are.")
    List<String> fuseOptions = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where staging copies of files being edited are kept (default: $XDG_CACHE_HOME/ftpdrive "
                    + "or ~/.cache/ftpdrive).")
    Path cacheDir;

    MountSettings toSettings(Path mountPoint, String defaultVolumeName) {
        int mask;
        try {
            mask = Integer.parseInt(umask, 8);
        } catch (NumberFormatException e) {
            throw new UsageException("--umask must be octal, like 022 or 077, not '" + umask + "'");
        }
        if (mask < 0 || mask > 0777) {
            throw new UsageException("--umask must be between 000 and 777, not " + umask);
        }
        List<String> opts = new ArrayList<>();
        for (String o : fuseOptions) {
            for (String part : o.split(",")) {
                if (!part.isBlank()) {
                    opts.add(part.trim());
                }
            }
        }
        return new MountSettings(mountPoint, readOnly, uid == null ? currentId("uid") : uid,
                gid == null ? currentId("gid") : gid, mask, allowOther, seconds(attrTimeout, "--attr-timeout"),
                seconds(dirCacheTtl, "--dir-cache-ttl"), volumeName == null ? defaultVolumeName : volumeName, opts,
                cacheDir == null ? StagingArea.defaultBase() : cacheDir);
    }

    private static Duration seconds(double value, String option) {
        if (!(value >= 0) || value > 86_400) {
            throw new UsageException(option + " must be between 0 and 86400 seconds, not " + value);
        }
        return Duration.ofMillis(Math.round(value * 1000));
    }

    /** The running user's id, from the owner of /proc/self (no native call needed). */
    static long currentId(String which) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + which)).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new UsageException("cannot tell your " + which + ": give --" + which);
        }
    }
}
