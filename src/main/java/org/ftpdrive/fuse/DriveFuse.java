package org.ftpdrive.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.Pointer;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import org.ftpdrive.config.MountSettings;
import org.ftpdrive.remote.EntryType;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.vfs.Drive;
import org.ftpdrive.vfs.OpenMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The jnr-fuse callbacks: each decodes its arguments, calls {@link Drive}, and ends in
 * {@link #fail}, the one place where an exception becomes an error number.
 */
public final class DriveFuse extends FuseStubFS {
    private static final Logger log = LoggerFactory.getLogger(DriveFuse.class);
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int W_OK = 2;
    private static final long UNCHANGED_ID = 0xFFFFFFFFL;
    /** libfuse 2 {@code struct fuse_conn_info}: offsets of {@code capable} and {@code want}. */
    private static final int CONN_CAPABLE = 20;
    private static final int CONN_WANT = 24;
    private static final int CAP_ATOMIC_O_TRUNC = 1 << 3;
    private static final int MAX_IO = 128 * 1024;

    private final Drive drive;
    private final MountSettings mount;
    private final ThreadLocal<byte[]> writeBuffers = ThreadLocal.withInitial(() -> new byte[MAX_IO]);
    /** What each file looked like when last opened, so unchanged files keep the kernel's page cache. */
    private final Map<RemotePath, Version> seen = new ConcurrentHashMap<>();

    private record Version(long size, Instant modified) {}

    public DriveFuse(Drive drive, MountSettings mount) {
        this.drive = drive;
        this.mount = mount;
    }

    @FunctionalInterface
    private interface Call {
        int run() throws Exception;
    }

    private int call(String op, String path, Call call) {
        try {
            return call.run();
        } catch (Exception | Error e) {
            return fail(op, path, e);
        }
    }

    private static int fail(String op, String path, Throwable e) {
        int errno = ErrnoTranslator.toFuse(e);
        if (e instanceof org.ftpdrive.remote.InvalidRemoteNameException) {
            log.debug("{} {}: {}", op, path, e.getMessage());
        } else if (e instanceof RuntimeException || e instanceof Error) {
            log.warn("{} {}: unexpected {}", op, path, e.toString(), e);
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            log.trace("{} {}: not found", op, path);
        } else {
            log.debug("{} {}: {}", op, path, e.toString(), e);
            if (ErrnoTranslator.errnoOf(e) == jnr.constants.platform.Errno.EIO) {
                log.warn("{} {}: {}", op, path, e.getMessage());
            }
        }
        return errno;
    }

    private static RemotePath remote(String path) {
        return RemotePath.of(path);
    }

    @Override
    public Pointer init(Pointer conn) {
        if (conn != null) {
            // Ask for O_TRUNC in open() instead of a separate truncate before it, which would empty
            // the server's copy before the new one is written.
            int capable = conn.getInt(CONN_CAPABLE);
            if ((capable & CAP_ATOMIC_O_TRUNC) != 0) {
                conn.putInt(CONN_WANT, conn.getInt(CONN_WANT) | CAP_ATOMIC_O_TRUNC);
            }
        }
        return null;
    }

    @Override
    public int getattr(String path, FileStat stat) {
        return call("getattr", path, () -> {
            fill(stat, drive.getattr(remote(path)));
            return 0;
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return call("fgetattr", path, () -> {
            fill(stat, drive.getattr(FileInfo.handle(fi)));
            return 0;
        });
    }

    private void fill(FileStat stat, RemoteEntry e) {
        int type;
        int defaultMode;
        switch (e.type()) {
            case DIRECTORY -> {
                type = FileStat.S_IFDIR;
                defaultMode = 0777;
            }
            case SYMLINK -> {
                type = FileStat.S_IFLNK;
                defaultMode = 0777;
            }
            default -> {
                type = FileStat.S_IFREG;
                defaultMode = 0666;
            }
        }
        int perms = e.permissions() == null ? defaultMode : e.permissions() & 0777;
        if (e.type() == EntryType.DIRECTORY) {
            perms |= 0100; // the owner can always enter a directory it can list
        }
        if (mount.readOnly()) {
            perms &= ~0222;
        }
        stat.st_mode.set(type | (perms & ~mount.umask()));
        stat.st_nlink.set(e.isDirectory() ? 2 : 1);
        stat.st_uid.set(mount.uid());
        stat.st_gid.set(mount.gid());
        long size = e.type() == EntryType.SYMLINK && e.linkTarget() != null
                ? e.linkTarget().getBytes(StandardCharsets.UTF_8).length
                : Math.max(0, e.size());
        stat.st_size.set(size);
        stat.st_blksize.set(MAX_IO);
        stat.st_blocks.set((size + 511) / 512);
        Instant t = e.modified() == null ? Instant.EPOCH : e.modified();
        for (Timespec ts : new Timespec[] {stat.st_mtim, stat.st_atim, stat.st_ctim}) {
            ts.tv_sec.set(t.getEpochSecond());
            ts.tv_nsec.set(t.getNano());
        }
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        return call("readdir", path, () -> {
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            for (RemoteEntry e : drive.readdir(remote(path))) {
                if (filler.apply(buf, e.name(), null, 0) != 0) {
                    break;
                }
            }
            return 0;
        });
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        return call("readlink", path, () -> {
            byte[] target = drive.readlink(remote(path)).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call("open", path, () -> {
            RemotePath p = remote(path);
            OpenMode mode = OpenFlags.decode(FileInfo.flags(fi));
            long handle = drive.open(p, mode);
            FileInfo.setHandle(fi, handle);
            RemoteEntry entry = drive.getattr(handle);
            if (entry.size() < 0) {
                // The server listed no size, so the kernel believes 0 bytes and would read
                // nothing: pass reads through, and let the end of the download be the end.
                FileInfo.setDirectIo(fi, true);
            } else if (mode.write()) {
                seen.remove(p);
            } else {
                FileInfo.setKeepCache(fi, unchangedSinceLastOpen(p, entry));
            }
            return 0;
        });
    }

    private boolean unchangedSinceLastOpen(RemotePath p, RemoteEntry e) {
        Version now = new Version(e.size(), e.modified());
        Version before = seen.put(p, now);
        return now.equals(before) && now.modified() != null;
    }

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        return call("create", path, () -> {
            RemotePath p = remote(path);
            seen.remove(p);
            FileInfo.setHandle(fi, drive.create(p, OpenFlags.decode(FileInfo.flags(fi))));
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return call("read", path, () -> drive.read(FileInfo.handle(fi), offset, (int) Math.min(size, Integer.MAX_VALUE),
                (dest, src, srcOffset, length) -> buf.put(dest, src, srcOffset, length)));
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return call("write", path, () -> {
            int n = (int) size;
            byte[] data = n <= MAX_IO ? writeBuffers.get() : new byte[n];
            buf.get(0, data, 0, n);
            drive.write(FileInfo.handle(fi), offset, data, n);
            return n;
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return call("flush", path, () -> {
            drive.flush(FileInfo.handle(fi));
            return 0;
        });
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return call("fsync", path, () -> {
            drive.fsync(FileInfo.handle(fi));
            return 0;
        });
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call("release", path, () -> {
            drive.release(FileInfo.handle(fi));
            return 0;
        });
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return call("truncate", path, () -> {
            RemotePath p = remote(path);
            seen.remove(p);
            drive.truncate(p, size);
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return call("ftruncate", path, () -> {
            seen.remove(remote(path));
            drive.ftruncate(FileInfo.handle(fi), size);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            RemotePath p = remote(path);
            seen.remove(p);
            drive.unlink(p);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return call("mkdir", path, () -> {
            drive.mkdir(remote(path));
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            drive.rmdir(remote(path));
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return call("rename", oldpath, () -> {
            RemotePath from = remote(oldpath);
            RemotePath to = remote(newpath);
            seen.keySet().removeIf(p -> p.startsWith(from) || p.startsWith(to));
            drive.rename(from, to);
            return 0;
        });
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return call("chmod", path, () -> {
            drive.chmod(remote(path), (int) mode);
            return 0;
        });
    }

    /** Ownership cannot change over FTP: keeping the mount's owner is accepted, anything else is EPERM. */
    @Override
    public int chown(String path, long uid, long gid) {
        return call("chown", path, () -> {
            drive.getattr(remote(path));
            boolean sameUser = uid == -1 || uid == UNCHANGED_ID || uid == mount.uid();
            boolean sameGroup = gid == -1 || gid == UNCHANGED_ID || gid == mount.gid();
            return sameUser && sameGroup ? 0 : -jnr.constants.platform.Errno.EPERM.intValue();
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return call("utimens", path, () -> {
            Timespec mtime = timespec[1];
            long nsec = mtime.tv_nsec.longValue();
            if (nsec == UTIME_OMIT) {
                return 0;
            }
            Instant when = nsec == UTIME_NOW ? Instant.now() : Instant.ofEpochSecond(mtime.tv_sec.get(), nsec);
            RemotePath p = remote(path);
            seen.remove(p);
            drive.setModTime(p, when);
            return 0;
        });
    }

    @Override
    public int access(String path, int mask) {
        return call("access", path, () -> {
            drive.getattr(remote(path));
            return (mask & W_OK) != 0 && drive.readOnly() ? -jnr.constants.platform.Errno.EROFS.intValue() : 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        // FTP has no standard way to ask for free space: report a large, plausible volume so
        // programs that check before copying go ahead.
        long blocks = 1L << 32;
        stbuf.f_bsize.set(4096);
        stbuf.f_frsize.set(4096);
        stbuf.f_blocks.set(blocks);
        stbuf.f_bfree.set(blocks);
        stbuf.f_bavail.set(blocks);
        stbuf.f_files.set(1L << 24);
        stbuf.f_ffree.set(1L << 24);
        stbuf.f_favail.set(1L << 24);
        stbuf.f_namemax.set(255);
        stbuf.f_flag.set(drive.readOnly() ? Statvfs.ST_RDONLY : 0);
        return 0;
    }

    /**
     * jnr-fuse calls this from its own shutdown hook, where it would detach the mount at once
     * (fusermount -u -z, not waited for) while pending uploads are still being finished. ftpdrive
     * unmounts by itself, after the uploads ({@link FuseMounter.Mounted#unmount}).
     */
    @Override
    public void umount() {
        // deliberately nothing
    }

    @Override
    protected String getFSName() {
        return "ftpdrive";
    }
}
