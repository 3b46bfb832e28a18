package org.ftpdrive.fuse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.Errno;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import org.ftpdrive.config.MountSettings;
import org.ftpdrive.testing.MemoryRemoteStore;
import org.ftpdrive.testing.MemoryRemoteStore.Op;
import org.ftpdrive.vfs.Drive;
import org.ftpdrive.vfs.StagingArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The jnr-fuse callbacks called directly, without a kernel, with native structs in memory laid
 * out as libfuse 2 on 64-bit Linux lays them out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriveFuseTest {
    private static final int O_RDONLY = jnr.constants.platform.OpenFlags.O_RDONLY.intValue();
    private static final int O_WRONLY = jnr.constants.platform.OpenFlags.O_WRONLY.intValue();
    private static final int O_CREAT = jnr.constants.platform.OpenFlags.O_CREAT.intValue();
    private static final int O_TRUNC = jnr.constants.platform.OpenFlags.O_TRUNC.intValue();
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int UID = 1234;
    private static final int GID = 5678;

    @TempDir
    Path tmp;

    private final MemoryRemoteStore server = new MemoryRemoteStore();
    private StagingArea staging;
    private Drive drive;

    @BeforeEach
    void linux64() throws IOException {
        Platform platform = Platform.getNativePlatform();
        Assumptions.assumeTrue(platform.getOS() == Platform.OS.LINUX && platform.is64Bit(),
                "the struct offsets are those of 64-bit Linux");
        staging = StagingArea.create(tmp.resolve("staging"));
    }

    @AfterEach
    void close() {
        if (drive != null) {
            drive.close();
        }
        if (staging != null) {
            staging.close();
        }
    }

    /** The adapter over a drive with no cache in between, so changes on the server show at once. */
    private DriveFuse mount(boolean readOnly) {
        drive = new Drive(server, staging, Drive.Options.defaults().withReadOnly(readOnly));
        return new DriveFuse(drive, new MountSettings(Path.of("/mnt/ftp"), readOnly, UID, GID, 022, false,
                Duration.ofSeconds(1), Duration.ofSeconds(30), "ftp.example.com", List.of(), tmp));
    }

    private static Pointer memory(int size) {
        return jnr.ffi.Runtime.getSystemRuntime().getMemoryManager().allocateDirect(size, true);
    }

    private static FuseFileInfo fileInfo(int flags) {
        Pointer m = memory(64);
        m.putInt(FileInfo.FLAGS, flags);
        return FuseFileInfo.of(m);
    }

    private static FileStat stat() {
        return FileStat.of(memory(256));
    }

    private static int mode(FileStat st) {
        return st.st_mode.intValue();
    }

    @Test
    void cpThroughTheCallbacks() {
        DriveFuse fuse = mount(false);
        server.mkdirs("/d");
        byte[] content = new byte[300 * 1024];
        new Random(1).nextBytes(content);

        FuseFileInfo fi = fileInfo(O_WRONLY | O_CREAT | O_TRUNC);
        assertEquals(0, fuse.create("/d/f", 0644, fi));
        assertNotEquals(0, FileInfo.handle(fi));
        Pointer buf = memory(128 * 1024);
        for (int off = 0; off < content.length; off += 128 * 1024) {
            int n = Math.min(128 * 1024, content.length - off);
            buf.put(0, content, off, n);
            assertEquals(n, fuse.write("/d/f", buf, n, off, fi));
        }
        FileStat st = stat();
        assertEquals(0, fuse.fgetattr("/d/f", st, fi));
        assertEquals(content.length, st.st_size.longValue());
        assertEquals(0, fuse.flush("/d/f", fi));
        assertEquals(0, fuse.release("/d/f", fi));
        assertArrayEquals(content, server.content("/d/f"));
    }

    @Test
    void getattrFillsTypeModeOwnerSizeAndTime() {
        DriveFuse fuse = mount(false);
        Instant t = Instant.parse("2024-01-02T03:04:05.678Z");
        server.putFile("/f", new byte[1000], t).putFile("/private", new byte[1]).mkdirs("/d");
        assertEquals(0, fuse.chmod("/private", 0600));

        FileStat st = stat();
        assertEquals(0, fuse.getattr("/f", st));
        assertEquals(FileStat.S_IFREG | 0644, mode(st), "0666 minus the umask 022");
        assertEquals(1000, st.st_size.longValue());
        assertEquals(UID, st.st_uid.intValue());
        assertEquals(GID, st.st_gid.intValue());
        assertEquals(t.getEpochSecond(), st.st_mtim.tv_sec.longValue());
        assertEquals(t.getNano(), st.st_mtim.tv_nsec.longValue());

        FileStat dir = stat();
        assertEquals(0, fuse.getattr("/d", dir));
        assertEquals(FileStat.S_IFDIR | 0755, mode(dir));

        FileStat priv = stat();
        assertEquals(0, fuse.getattr("/private", priv));
        assertEquals(FileStat.S_IFREG | 0600, mode(priv));

        assertEquals(-Errno.ENOENT.intValue(), fuse.getattr("/missing", stat()));
    }

    @Test
    void aReadOnlyMountShowsNoWriteBitsAndRefusesWrites() {
        DriveFuse fuse = mount(true);
        server.putFile("/f", new byte[1]);
        FileStat st = stat();
        assertEquals(0, fuse.getattr("/f", st));
        assertEquals(FileStat.S_IFREG | 0444, mode(st));
        assertEquals(-Errno.EROFS.intValue(), fuse.open("/f", fileInfo(O_WRONLY)));
        assertEquals(-Errno.EROFS.intValue(), fuse.access("/f", 2));
        assertEquals(0, fuse.access("/f", 4));
        assertEquals(-Errno.EROFS.intValue(), fuse.unlink("/f"));
        assertEquals(0, server.changeCalls());
    }

    @Test
    void readsIntoTheKernelsBufferAndKeepsTheCacheOfUnchangedFiles() {
        DriveFuse fuse = mount(false);
        byte[] content = "0123456789".getBytes(UTF_8);
        server.putFile("/f", content, Instant.parse("2024-01-01T00:00:00Z"));

        FuseFileInfo first = fileInfo(O_RDONLY);
        assertEquals(0, fuse.open("/f", first));
        assertEquals(0, memoryOf(first).getInt(FileInfo.BITS) & FileInfo.KEEP_CACHE, "first open: nothing to keep");
        Pointer buf = memory(16);
        assertEquals(6, fuse.read("/f", buf, 16, 4, first));
        byte[] got = new byte[6];
        buf.get(0, got, 0, 6);
        assertArrayEquals("456789".getBytes(UTF_8), got);
        assertEquals(0, fuse.release("/f", first));

        FuseFileInfo second = fileInfo(O_RDONLY);
        assertEquals(0, fuse.open("/f", second));
        assertEquals(FileInfo.KEEP_CACHE, memoryOf(second).getInt(FileInfo.BITS) & FileInfo.KEEP_CACHE,
                "unchanged since the last open: the kernel may keep its pages");
        assertEquals(0, fuse.release("/f", second));

        server.putFile("/f", "changed!!!".getBytes(UTF_8), Instant.parse("2024-01-01T00:01:00Z"));
        FuseFileInfo third = fileInfo(O_RDONLY);
        assertEquals(0, fuse.open("/f", third));
        assertEquals(0, memoryOf(third).getInt(FileInfo.BITS) & FileInfo.KEEP_CACHE, "changed: drop the pages");
        assertEquals(0, fuse.release("/f", third));
    }

    @Test
    void aFileListedWithoutASizeIsReadPastTheKernelsIdeaOfItsEnd() {
        DriveFuse fuse = mount(false);
        server.putFile("/nosize", "0123456789".getBytes(UTF_8)).hideSizes(true);
        FuseFileInfo fi = fileInfo(O_RDONLY);
        assertEquals(0, fuse.open("/nosize", fi));
        assertEquals(FileInfo.DIRECT_IO, memoryOf(fi).getInt(FileInfo.BITS) & FileInfo.DIRECT_IO,
                "direct_io: the kernel would stop at the 0 bytes it was told");
        Pointer buf = memory(16);
        assertEquals(10, fuse.read("/nosize", buf, 16, 0, fi));
        assertEquals(0, fuse.release("/nosize", fi));

        server.hideSizes(false).putFile("/sized", "abc".getBytes(UTF_8));
        FuseFileInfo sized = fileInfo(O_RDONLY);
        assertEquals(0, fuse.open("/sized", sized));
        assertEquals(0, memoryOf(sized).getInt(FileInfo.BITS) & FileInfo.DIRECT_IO, "a known size uses the page cache");
        assertEquals(0, fuse.release("/sized", sized));
    }

    private static Pointer memoryOf(FuseFileInfo fi) {
        return jnr.ffi.Struct.getMemory(fi);
    }

    @Test
    void utimensSetsTheModificationTimeUnlessOmitted() {
        DriveFuse fuse = mount(false);
        Instant before = Instant.parse("2020-01-01T00:00:00Z");
        server.putFile("/f", new byte[1], before);
        Timespec[] times = {Timespec.of(memory(16)), Timespec.of(memory(16))};

        times[1].tv_sec.set(0);
        times[1].tv_nsec.set(UTIME_OMIT);
        assertEquals(0, fuse.utimens("/f", times));
        assertEquals(before, server.modified("/f"));
        assertEquals(0, server.calls(Op.SET_MOD_TIME));

        Instant t = Instant.parse("2023-05-06T07:08:09.123456789Z");
        times[1].tv_sec.set(t.getEpochSecond());
        times[1].tv_nsec.set(t.getNano());
        assertEquals(0, fuse.utimens("/f", times));
        assertEquals(t, server.modified("/f"));
    }

    @Test
    void chownAcceptsOnlyTheMountsOwner() {
        DriveFuse fuse = mount(false);
        server.putFile("/f", new byte[1]);
        assertEquals(0, fuse.chown("/f", UID, GID));
        assertEquals(0, fuse.chown("/f", -1, -1));
        assertEquals(0, fuse.chown("/f", 0xFFFFFFFFL, GID));
        assertEquals(-Errno.EPERM.intValue(), fuse.chown("/f", 0, GID));
        assertEquals(-Errno.EPERM.intValue(), fuse.chown("/f", UID, 0));
        assertEquals(-Errno.ENOENT.intValue(), fuse.chown("/missing", UID, GID));
    }

    @Test
    void readdirListsDotsTheServersNamesAndFilesBeingCreated() {
        DriveFuse fuse = mount(false);
        server.putFile("/d/a", new byte[1]).putFile("/d/b", new byte[1]);
        FuseFileInfo created = fileInfo(O_WRONLY | O_CREAT);
        assertEquals(0, fuse.create("/d/new", 0644, created));

        List<String> names = new ArrayList<>();
        FuseFillDir filler = (buf, name, stbuf, off) -> {
            byte[] b = new byte[name.remaining()];
            name.duplicate().get(b);
            int end = 0;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            names.add(new String(b, 0, end, UTF_8));
            return 0;
        };
        assertEquals(0, fuse.readdir("/d", null, filler, 0, fileInfo(O_RDONLY)));
        assertEquals(List.of(".", "..", "a", "b", "new"), names);
        assertEquals(0, fuse.release("/d/new", created));
        assertEquals(-Errno.ENOENT.intValue(), fuse.readdir("/nope", null, filler, 0, fileInfo(O_RDONLY)));
    }

    @Test
    void errorsBecomeErrnos() {
        DriveFuse fuse = mount(false);
        server.putFile("/d/f", new byte[1]).failUploadsAtClose(1);
        assertEquals(-Errno.ENOENT.intValue(), fuse.unlink("/missing"));
        assertEquals(-Errno.EEXIST.intValue(), fuse.mkdir("/d", 0755));
        assertEquals(-Errno.ENOTEMPTY.intValue(), fuse.rmdir("/d"));
        assertEquals(-Errno.EISDIR.intValue(), fuse.open("/d", fileInfo(O_RDONLY)));
        assertEquals(-Errno.EINVAL.intValue(), fuse.mkdir("/bad\nname", 0755), "CR/LF never reach the server");

        FuseFileInfo fi = fileInfo(O_WRONLY | O_CREAT | O_TRUNC);
        assertEquals(0, fuse.create("/d/g", 0644, fi));
        Pointer buf = memory(4);
        buf.put(0, "data".getBytes(UTF_8), 0, 4);
        assertEquals(4, fuse.write("/d/g", buf, 4, 0, fi));
        assertEquals(-Errno.EIO.intValue(), fuse.flush("/d/g", fi), "close(2) reports the failed upload");
        fuse.release("/d/g", fi);
        assertEquals(-Errno.EBADF.intValue(), fuse.release("/d/g", fi));
    }

    @Test
    void initAsksForAtomicOpenTruncWhenOffered() {
        DriveFuse fuse = mount(false);
        Pointer conn = memory(64);
        conn.putInt(20, 1 << 3); // capable: FUSE_CAP_ATOMIC_O_TRUNC
        conn.putInt(24, 1); // want: something already asked for
        fuse.init(conn);
        assertEquals(1 | 1 << 3, conn.getInt(24));

        Pointer old = memory(64);
        fuse.init(old);
        assertEquals(0, old.getInt(24), "not offered: not asked for");
    }

    @Test
    void fileInfoOffsetsAreLibfuse2s() {
        FuseFileInfo fi = fileInfo(0x8001);
        Pointer m = jnr.ffi.Struct.getMemory(fi);
        assertEquals(0x8001, FileInfo.flags(fi));
        FileInfo.setHandle(fi, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, m.getLong(24));
        assertEquals(0x1122334455667788L, FileInfo.handle(fi));
        m.putInt(FileInfo.BITS, 1); // direct_io set by someone else
        FileInfo.setKeepCache(fi, true);
        assertEquals(1 | 2, m.getInt(FileInfo.BITS), "keep_cache is the second bit; direct_io kept");
        FileInfo.setKeepCache(fi, false);
        assertEquals(1, m.getInt(FileInfo.BITS));
        assertEquals(0x1122334455667788L, FileInfo.handle(fi), "the bit fields do not touch fh");
        assertEquals(0, m.getInt(16), "writepage untouched");
    }
}
