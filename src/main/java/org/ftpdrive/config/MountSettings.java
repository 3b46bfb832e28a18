package org.ftpdrive.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a drive is mounted locally.
 *
 * @param mountPoint where the drive appears
 * @param readOnly refuse every change
 * @param uid owner shown for every file
 * @param gid group shown for every file
 * @param umask permission bits taken away from what the server reports (or from 0777/0666)
 * @param allowOther let other users see the drive (needs user_allow_other for non-root users)
 * @param attrTimeout how long the kernel trusts names and attributes without asking
 * @param dirCacheTtl how long ftpdrive trusts a listing and the attributes in it
 * @param volumeName the name file managers show
 * @param fuseOptions extra options passed to FUSE as they are
 * @param cacheDir the base folder for staging copies
 */
public record MountSettings(Path mountPoint, boolean readOnly, long uid, long gid, int umask, boolean allowOther,
        Duration attrTimeout, Duration dirCacheTtl, String volumeName, List<String> fuseOptions, Path cacheDir) {

    public MountSettings {
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(attrTimeout, "attrTimeout");
        Objects.requireNonNull(dirCacheTtl, "dirCacheTtl");
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(cacheDir, "cacheDir");
        fuseOptions = List.copyOf(fuseOptions);
        if ((umask & ~0777) != 0) {
            throw new IllegalArgumentException("umask must be octal between 000 and 777");
        }
    }
}
