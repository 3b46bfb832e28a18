package org.ftpdrive.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ftpdrive.cache.CachingRemoteStore;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.testing.MemoryRemoteStore;
import org.ftpdrive.testing.MemoryRemoteStore.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays what real programs do to a mounted drive (the calls FUSE makes for them), against an
 * in-memory server behind the real cache, and checks what reaches the server and what the
 * programs are told.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriveTest {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /** The most a FUSE read or write request carries with big_writes. */
    private static final int REQUEST = 128 * KIB;

    private static final OpenMode WRONLY = new OpenMode(false, true, false, false);
    private static final OpenMode RDWR = new OpenMode(true, true, false, false);
    private static final OpenMode APPEND = new OpenMode(false, true, false, true);

    @TempDir
    Path tmp;

    private final MemoryRemoteStore server = new MemoryRemoteStore();
    private StagingArea staging;
    private Drive drive;

    @BeforeEach
    void mount() throws IOException {
        staging = StagingArea.create(tmp);
        drive = newDrive(Drive.Options.defaults());
    }

    private Drive newDrive(Drive.Options options) {
        return new Drive(new CachingRemoteStore(server, Duration.ofMinutes(5)), staging, options);
    }

    @AfterEach
    void unmount() {
        drive.close();
        staging.close();
    }

    private static RemotePath p(String path) {
        return RemotePath.of(path);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private long stagingFiles() throws IOException {
        try (Stream<Path> files = Files.list(staging.dir())) {
            return files.count();
        }
    }

    /** Writes like the kernel does for a program writing in order: one reused buffer of at most 128 KiB. */
    private void writeInOrder(long handle, long start, byte[] content) throws IOException {
        byte[] buffer = new byte[REQUEST];
        for (int off = 0; off < content.length; off += REQUEST) {
            int n = Math.min(REQUEST, content.length - off);
            System.arraycopy(content, off, buffer, 0, n);
            drive.write(handle, start + off, buffer, n);
            Arrays.fill(buffer, (byte) 0x5A); // the adapter reuses its buffer: the drive must not keep it
        }
    }

    private byte[] readAll(long handle, int size) throws IOException {
        byte[] out = new byte[size + 1];
        int off = 0;
        while (true) {
            byte[] buf = new byte[REQUEST];
            int n = drive.read(handle, off, REQUEST, ReadSink.of(buf));
            if (n == 0) {
                break;
            }
            System.arraycopy(buf, 0, out, off, n);
            off += n;
            assertTrue(off <= size, "read past the end");
        }
        return Arrays.copyOf(out, off);
    }

    private byte[] readFile(String path) throws IOException {
        long h = drive.open(p(path), OpenMode.READ);
        try {
            return readAll(h, (int) drive.getattr(p(path)).size());
        } finally {
            drive.release(h);
        }
    }

    private List<String> names(String dir) throws IOException {
        return drive.readdir(p(dir)).stream().map(RemoteEntry::name).sorted().toList();
    }

    // ------------------------------------------------------------------ writing programs

    @Test
    void cpStreamsOneUploadThatIsOnTheServerAfterFlush() throws IOException {
        server.mkdirs("/dst");
        byte[] content = random(3 * MIB + 123, 1);

        long h = drive.create(p("/dst/file.bin"), WRONLY);
        assertEquals(0, drive.getattr(p("/dst/file.bin")).size());
        writeInOrder(h, 0, content);
        assertNull(server.content("/dst/file.bin"), "nothing is on the server before flush");
        assertEquals(0, stagingFiles(), "sequential writes are not staged");

        drive.flush(h);
        assertArrayEquals(content, server.content("/dst/file.bin"));
        drive.release(h);

        assertArrayEquals(content, server.content("/dst/file.bin"));
        assertEquals(1, server.calls(Op.OPEN_WRITE), "one upload");
        assertEquals(0, server.appends());
        assertEquals(0, server.calls(Op.OPEN_READ), "nothing downloaded");
        assertEquals(content.length, server.bytesWritten(), "each byte sent once");
        assertEquals(content.length, drive.getattr(p("/dst/file.bin")).size());
    }

    @Test
    void cpOverAnExistingFileReplacesIt() throws IOException {
        server.putFile("/f", random(2 * MIB, 2));
        byte[] content = random(300 * KIB, 3);

        long h = drive.open(p("/f"), OpenMode.WRITE_TRUNCATE);
        assertEquals(0, drive.getattr(p("/f")).size(), "O_TRUNC shows an empty file at once");
        writeInOrder(h, 0, content);
        drive.flush(h);
        drive.release(h);

        assertArrayEquals(content, server.content("/f"));
        assertEquals(0, server.appends());
        assertEquals(0, server.calls(Op.OPEN_READ));
    }

    @Test
    void anEmptyFileCreatedAndClosedExistsOnTheServer() throws IOException {
        long h = drive.create(p("/empty"), WRONLY);
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(new byte[0], server.content("/empty"));
        assertEquals(1, server.calls(Op.OPEN_WRITE));
    }

    @Test
    void editorSavesThroughATempFileRenamedOverTheOriginal() throws IOException {
        server.putFile("/docs/notes.txt", bytes("old text\n"));
        byte[] saved = bytes("new text, longer than before\n");

        long h = drive.create(p("/docs/.goutputstream-X1Y2Z3"), WRONLY);
        drive.write(h, 0, saved, saved.length);
        drive.flush(h);
        drive.release(h);
        drive.rename(p("/docs/.goutputstream-X1Y2Z3"), p("/docs/notes.txt"));

        assertArrayEquals(saved, server.content("/docs/notes.txt"));
        assertEquals(List.of("notes.txt"), server.names("/docs"));
        assertEquals(List.of("notes.txt"), names("/docs"));
        assertEquals(saved.length, drive.getattr(p("/docs/notes.txt")).size());
        assertArrayEquals(saved, readFile("/docs/notes.txt"));
    }

    @Test
    void vimSavesByMovingTheOriginalToABackupAndWritingAnew() throws IOException {
        server.putFile("/notes.txt", bytes("old\n"));
        drive.rename(p("/notes.txt"), p("/notes.txt~"));
        long h = drive.create(p("/notes.txt"), WRONLY);
        drive.write(h, 0, bytes("new\n"), 4);
        drive.flush(h);
        drive.release(h);
        drive.unlink(p("/notes.txt~"));

        assertArrayEquals(bytes("new\n"), server.content("/notes.txt"));
        assertEquals(List.of("notes.txt"), names("/"));
    }

    @Test
    void rsyncWritesATempFileSetsModeAndTimeAndRenamesItOverTheTarget() throws IOException {
        server.listTimesTo(ChronoUnit.MINUTES); // LIST shows minutes; rsync compares seconds
        server.putFile("/backup/photo.jpg", random(100 * KIB, 4));
        byte[] content = random(700 * KIB, 5);
        Instant mtime = Instant.parse("2023-08-09T10:11:12Z");
        RemotePath temp = p("/backup/.photo.jpg.a1B2c3");

        long h = drive.create(temp, RDWR); // mkstemp: O_RDWR|O_CREAT|O_EXCL
        writeInOrder(h, 0, content);
        drive.flush(h);
        drive.release(h);
        drive.chmod(temp, 0100644);
        drive.setModTime(temp, mtime);
        drive.rename(temp, p("/backup/photo.jpg"));

        assertArrayEquals(content, server.content("/backup/photo.jpg"));
        assertEquals(0644, server.permissions("/backup/photo.jpg"));
        assertEquals(mtime, server.modified("/backup/photo.jpg"));
        assertEquals(List.of("photo.jpg"), server.names("/backup"));

        // The next rsync run compares size and time; both must match or it copies everything again.
        RemoteEntry e = drive.getattr(p("/backup/photo.jpg"));
        assertEquals(content.length, e.size());
        assertEquals(mtime, e.modified());
        assertEquals(1, server.calls(Op.OPEN_WRITE));
    }

    @Test
    void randomOffsetWritesAreStagedAndTheWholeFileIsOnTheServerAfterFlush() throws IOException {
        int block = 64 * KIB;
        int blocks = 24;
        byte[] content = random(block * blocks, 6);
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i < blocks; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        order.add(blocks / 2, 0);

        long h = drive.create(p("/random.bin"), RDWR);
        for (int i : order) {
            drive.write(h, (long) i * block, Arrays.copyOfRange(content, i * block, (i + 1) * block), block);
        }
        assertEquals(content.length, drive.getattr(p("/random.bin")).size());
        assertEquals(1, stagingFiles(), "out-of-order writes go to a staging copy");
        assertNull(server.content("/random.bin"));

        drive.flush(h);
        assertArrayEquals(content, server.content("/random.bin"));

        byte[] back = new byte[block];
        assertEquals(block, drive.read(h, 5L * block, block, ReadSink.of(back)));
        assertArrayEquals(Arrays.copyOfRange(content, 5 * block, 6 * block), back, "reads see the staged copy");

        drive.release(h);
        assertEquals(0, stagingFiles(), "the staging copy is removed at release");
        assertArrayEquals(content, server.content("/random.bin"));
    }

    @Test
    void ddConvNotruncPatchesTheMiddleOfAnExistingFile() throws IOException {
        byte[] original = random(MIB, 8);
        server.putFile("/disk.img", original);
        byte[] patch = random(4 * KIB, 9);

        long h = drive.open(p("/disk.img"), WRONLY);
        drive.write(h, 512 * KIB, patch, patch.length);
        assertEquals(original.length, drive.getattr(p("/disk.img")).size());
        drive.flush(h);
        drive.release(h);

        byte[] expected = original.clone();
        System.arraycopy(patch, 0, expected, 512 * KIB, patch.length);
        assertArrayEquals(expected, server.content("/disk.img"));
    }

    @Test
    void rsyncInplaceRewritesChangedBlocksAndCutsTheTail() throws IOException {
        byte[] original = random(512 * KIB, 21);
        server.putFile("/db.bin", original);
        byte[] changed = random(8 * KIB, 22);

        long h = drive.open(p("/db.bin"), RDWR);
        drive.write(h, 100 * KIB, changed, changed.length);
        drive.write(h, 300 * KIB, changed, changed.length);
        drive.ftruncate(h, 400 * KIB);
        drive.flush(h);
        drive.release(h);

        byte[] expected = Arrays.copyOf(original, 400 * KIB);
        System.arraycopy(changed, 0, expected, 100 * KIB, changed.length);
        System.arraycopy(changed, 0, expected, 300 * KIB, changed.length);
        assertArrayEquals(expected, server.content("/db.bin"));
        assertEquals(0, stagingFiles());
    }

    @Test
    void gitWritesItsIndexThroughALockFile() throws IOException {
        server.putFile("/repo/.git/index", random(10 * KIB, 23));
        byte[] index = random(12 * KIB, 24);
        long h = drive.create(p("/repo/.git/index.lock"), RDWR);
        writeInOrder(h, 0, index);
        drive.fsync(h);
        drive.flush(h);
        drive.release(h);
        drive.rename(p("/repo/.git/index.lock"), p("/repo/.git/index"));
        assertArrayEquals(index, server.content("/repo/.git/index"));
        assertEquals(List.of("index"), names("/repo/.git"));
    }

    @Test
    void writesAfterAnFsyncContinueTheFile() throws IOException {
        long h = drive.create(p("/journal"), WRONLY);
        drive.write(h, 0, bytes("first;"), 6);
        drive.fsync(h);
        assertArrayEquals(bytes("first;"), server.content("/journal"), "fsync puts it on the server");
        drive.write(h, 6, bytes("second;"), 7);
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(bytes("first;second;"), server.content("/journal"));
    }

    @Test
    void aHeaderWrittenAfterTheDataEndsUpInTheFile() throws IOException {
        // zip and tar writers stream the data, then seek back to fill in a header.
        byte[] body = random(600 * KIB, 25);
        long h = drive.create(p("/archive.zip"), WRONLY);
        writeInOrder(h, 0, body);
        byte[] header = bytes("HEADER");
        drive.write(h, 0, header, header.length);
        drive.flush(h);
        drive.release(h);
        byte[] expected = body.clone();
        System.arraycopy(header, 0, expected, 0, header.length);
        assertArrayEquals(expected, server.content("/archive.zip"));
    }

    @Test
    void readingBackWhatWasJustWrittenOnTheSameHandle() throws IOException {
        byte[] first = random(200 * KIB, 26);
        long h = drive.create(p("/scratch"), RDWR);
        drive.write(h, 0, first, first.length);
        byte[] back = new byte[first.length];
        assertEquals(first.length, drive.read(h, 0, first.length, ReadSink.of(back)));
        assertArrayEquals(first, back);
        drive.write(h, 1000, bytes("xyz"), 3);
        byte[] three = new byte[3];
        assertEquals(3, drive.read(h, 1000, 3, ReadSink.of(three)));
        assertArrayEquals(bytes("xyz"), three);
        drive.flush(h);
        drive.release(h);
        byte[] expected = first.clone();
        System.arraycopy(bytes("xyz"), 0, expected, 1000, 3);
        assertArrayEquals(expected, server.content("/scratch"));
    }

    @Test
    void aWriteBeyondTheEndLeavesZerosInTheGap() throws IOException {
        server.putFile("/sparse", bytes("abc"));
        long h = drive.open(p("/sparse"), WRONLY);
        drive.write(h, 10, bytes("z"), 1);
        assertEquals(11, drive.getattr(p("/sparse")).size());
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(new byte[] {'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0, 'z'}, server.content("/sparse"));
    }

    @Test
    void truncateByPath() throws IOException {
        byte[] original = random(200 * KIB, 10);
        server.putFile("/t0", original).putFile("/shrink", original).putFile("/grow", original)
                .putFile("/same", original);

        drive.truncate(p("/t0"), 0);
        assertArrayEquals(new byte[0], server.content("/t0"));
        assertEquals(0, server.calls(Op.OPEN_READ), "emptying a file downloads nothing");

        drive.truncate(p("/shrink"), 1000);
        assertArrayEquals(Arrays.copyOf(original, 1000), server.content("/shrink"));
        assertEquals(1000, drive.getattr(p("/shrink")).size());

        drive.truncate(p("/grow"), original.length + 5000);
        assertArrayEquals(Arrays.copyOf(original, original.length + 5000), server.content("/grow"));

        server.resetCounters();
        drive.truncate(p("/same"), original.length);
        assertEquals(0, server.changeCalls(), "truncating to the current size changes nothing");
        assertEquals(0, stagingFiles());
    }

    @Test
    void truncateByHandle() throws IOException {
        byte[] original = random(100 * KIB, 11);
        server.putFile("/h0", original).putFile("/h10", original);

        long h = drive.open(p("/h0"), WRONLY);
        drive.ftruncate(h, 0);
        assertEquals(0, drive.getattr(h).size());
        drive.write(h, 0, bytes("abc"), 3);
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(bytes("abc"), server.content("/h0"));
        assertEquals(0, server.appends(), "after truncating to 0 the upload replaces the file");

        h = drive.open(p("/h10"), RDWR);
        drive.ftruncate(h, 10);
        assertEquals(10, drive.getattr(h).size());
        assertEquals(10, drive.getattr(p("/h10")).size());
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(Arrays.copyOf(original, 10), server.content("/h10"));
    }

    @Test
    void truncateByPathWhileOpenGoesThroughTheOpenFile() throws IOException {
        server.putFile("/f", random(50 * KIB, 12));
        long h = drive.open(p("/f"), WRONLY);
        drive.truncate(p("/f"), 0); // open(O_TRUNC) without atomic_o_trunc: truncate, then writes
        drive.write(h, 0, bytes("fresh"), 5);
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(bytes("fresh"), server.content("/f"));
    }

    @Test
    void catAppendAddsAtTheEndWithoutDownloadingTheFile() throws IOException {
        server.putFile("/log.txt", bytes("line 1\n"));
        long h = drive.open(p("/log.txt"), APPEND);
        drive.write(h, 7, bytes("line 2\n"), 7);
        assertEquals(14, drive.getattr(p("/log.txt")).size());
        drive.flush(h);
        drive.release(h);

        assertArrayEquals(bytes("line 1\nline 2\n"), server.content("/log.txt"));
        assertEquals(1, server.appends());
        assertEquals(0, server.calls(Op.OPEN_READ));
    }

    @Test
    void getattrOfAFileBeingWrittenShowsItsGrowingSize() throws IOException {
        server.mkdirs("/d");
        long h = drive.create(p("/d/growing"), WRONLY);
        byte[] chunk = random(REQUEST, 13);
        for (int i = 1; i <= 5; i++) {
            drive.write(h, (long) (i - 1) * REQUEST, chunk, REQUEST);
            assertEquals((long) i * REQUEST, drive.getattr(p("/d/growing")).size());
            assertEquals((long) i * REQUEST, drive.getattr(h).size());
        }
        drive.flush(h);
        drive.release(h);
        assertEquals(5L * REQUEST, drive.getattr(p("/d/growing")).size());
    }

    @Test
    void aCreatedFileWithNoBytesYetIsListedOnce() throws IOException {
        server.putFile("/d/existing", bytes("x"));
        long h = drive.create(p("/d/new"), WRONLY);
        assertEquals(List.of("existing", "new"), names("/d"));
        RemoteEntry e = drive.getattr(p("/d/new"));
        assertTrue(e.isFile());
        assertEquals(0, e.size());

        drive.write(h, 0, bytes("n"), 1);
        drive.flush(h);
        assertEquals(List.of("existing", "new"), names("/d"), "on the server and open: listed once");
        drive.release(h);
        assertEquals(List.of("existing", "new"), names("/d"));
    }

    @Test
    void touchOfAFileBeingWrittenKeepsTheTimeAfterClose() throws IOException {
        Instant t = Instant.parse("2022-02-02T02:02:02Z");
        long h = drive.create(p("/f"), WRONLY);
        drive.write(h, 0, bytes("data"), 4);
        drive.setModTime(p("/f"), t);
        assertArrayEquals(bytes("data"), server.content("/f"), "the upload is finished before the time is set");
        drive.flush(h);
        drive.release(h);
        assertEquals(t, server.modified("/f"), "no later upload overwrote the time");
        assertEquals(1, server.calls(Op.OPEN_WRITE));
    }

    @Test
    void unmountUploadsWhatIsStillOpen() throws IOException {
        long h = drive.create(p("/pending"), WRONLY);
        drive.write(h, 0, bytes("pending"), 7);
        drive.close();
        assertArrayEquals(bytes("pending"), server.content("/pending"));
        drive = newDrive(Drive.Options.defaults());
    }

    // ------------------------------------------------------------------ servers that do not list sizes

    @Test
    void aWriteIntoAFileOfUnknownSizeKeepsTheRestOfIt() throws IOException {
        byte[] original = random(100 * KIB, 27);
        server.putFile("/nosize", original).hideSizes(true);
        long h = drive.open(p("/nosize"), WRONLY);
        drive.write(h, 0, bytes("HEAD"), 4);
        drive.flush(h);
        drive.release(h);
        byte[] expected = original.clone();
        System.arraycopy(bytes("HEAD"), 0, expected, 0, 4);
        assertArrayEquals(expected, server.content("/nosize"));
    }

    @Test
    void truncatingAFileOfUnknownSizeKeepsItsBeginning() throws IOException {
        byte[] original = random(100 * KIB, 28);
        server.putFile("/nosize", original).hideSizes(true);
        drive.truncate(p("/nosize"), 1000);
        assertArrayEquals(Arrays.copyOf(original, 1000), server.content("/nosize"));
    }

    @Test
    void aFileOfUnknownSizeCanBeRead() throws IOException {
        byte[] original = random(300 * KIB, 29);
        server.putFile("/nosize", original).hideSizes(true);
        long h = drive.open(p("/nosize"), OpenMode.READ);
        assertArrayEquals(original, readAll(h, original.length));
        drive.release(h);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aFailedUploadMakesFlushFailAndNothingIsReportedAsWritten() throws IOException {
        server.mkdirs("/d").failUploadsAtClose(1);
        long h = drive.create(p("/d/f"), WRONLY);
        writeInOrder(h, 0, random(300 * KIB, 14));

        assertThrows(IOException.class, () -> drive.flush(h), "close(2) must report the failure");
        drive.release(h);

        assertNull(server.content("/d/f"));
        assertThrows(NoSuchFileException.class, () -> drive.getattr(p("/d/f")));
        assertEquals(List.of(), names("/d"));
    }

    @Test
    void aFailedUploadOverAnExistingFileLeavesTheOldFileShown() throws IOException {
        byte[] old = bytes("old content");
        server.putFile("/f", old).failUploadsAtClose(1);
        long h = drive.open(p("/f"), OpenMode.WRITE_TRUNCATE);
        writeInOrder(h, 0, random(200 * KIB, 15));
        assertThrows(IOException.class, () -> drive.flush(h));
        drive.release(h);
        assertArrayEquals(old, server.content("/f"));
        assertEquals(old.length, drive.getattr(p("/f")).size());
    }

    @Test
    void aFailedUploadOfAStagedFileMakesFlushFail() throws IOException {
        server.putFile("/f", random(100 * KIB, 16)).failUploadsAtClose(1);
        long h = drive.open(p("/f"), WRONLY);
        drive.write(h, 10, bytes("patch"), 5);
        assertThrows(IOException.class, () -> drive.flush(h));
        drive.release(h);
    }

    @Test
    void aReadOnlyDriveRefusesEveryChange() throws IOException {
        drive.close();
        drive = newDrive(Drive.Options.defaults().withReadOnly(true));
        server.putFile("/d/f", bytes("content")).mkdirs("/d/empty");
        long reading = drive.open(p("/d/f"), OpenMode.READ);

        List<Executable> changes = List.of(
                () -> drive.open(p("/d/f"), WRONLY),
                () -> drive.open(p("/d/f"), RDWR),
                () -> drive.open(p("/d/f"), OpenMode.WRITE_TRUNCATE),
                () -> drive.create(p("/d/new"), WRONLY),
                () -> drive.truncate(p("/d/f"), 0),
                () -> drive.ftruncate(reading, 0),
                () -> drive.mkdir(p("/d/sub")),
                () -> drive.rmdir(p("/d/empty")),
                () -> drive.unlink(p("/d/f")),
                () -> drive.rename(p("/d/f"), p("/d/g")),
                () -> drive.chmod(p("/d/f"), 0600),
                () -> drive.setModTime(p("/d/f"), Instant.EPOCH));
        for (Executable change : changes) {
            assertThrows(ReadOnlyDriveException.class, change);
        }
        assertEquals(0, server.changeCalls());
        assertTrue(drive.readOnly());
        assertArrayEquals(bytes("content"), readAll(reading, 7));
        drive.release(reading);
    }

    @Test
    void renameReplacesAnExistingTargetOnAServerThatRefusesToOverwrite() throws IOException {
        server.renameRefusesOverwrite(true);
        server.putFile("/a", bytes("A")).putFile("/b", bytes("B"));
        drive.rename(p("/a"), p("/b"));
        assertArrayEquals(bytes("A"), server.content("/b"));
        assertFalse(server.exists("/a"));
        assertEquals(List.of("b"), names("/"));
        assertEquals(List.of("b"), server.names("/"), "nothing left behind");
    }

    @Test
    void renameReplacesAnExistingTargetWhenTheRefusalLooksLikeA550() throws IOException {
        // FtpRemoteStore turns a bare "550 rename failed" into NoSuchFileException.
        server.renameRefusesOverwrite(true).renameRefusal(to -> new NoSuchFileException(to.toString()));
        server.putFile("/a", bytes("A")).putFile("/b", bytes("B"));
        drive.rename(p("/a"), p("/b"));
        assertArrayEquals(bytes("A"), server.content("/b"));
        assertFalse(server.exists("/a"));
    }

    @Test
    void renameOfADirectoryReplacesAnEmptyDirectoryOnARefusingServer() throws IOException {
        server.renameRefusesOverwrite(true);
        server.putFile("/src/f", bytes("f")).mkdirs("/dst");
        drive.rename(p("/src"), p("/dst"));
        assertArrayEquals(bytes("f"), server.content("/dst/f"));
        assertFalse(server.exists("/src"));
    }

    @Test
    void renameOfADirectoryOverANonEmptyDirectoryIsRefusedAndChangesNothing() throws IOException {
        server.renameRefusesOverwrite(true);
        server.putFile("/src/f", bytes("f")).putFile("/dst/keep", bytes("k"));
        assertThrows(java.nio.file.DirectoryNotEmptyException.class, () -> drive.rename(p("/src"), p("/dst")));
        assertArrayEquals(bytes("k"), server.content("/dst/keep"));
        assertArrayEquals(bytes("f"), server.content("/src/f"));
        assertEquals(List.of("dst", "src"), server.names("/"));
    }

    @Test
    void renameOfAFileOverADirectoryIsRefusedAndRemovesNothing() throws IOException {
        server.renameRefusesOverwrite(true);
        server.putFile("/a", bytes("A")).mkdirs("/dir");
        assertThrows(IsDirectoryException.class, () -> drive.rename(p("/a"), p("/dir")));
        assertTrue(server.isDirectory("/dir"));
        assertTrue(server.exists("/a"));
    }

    @Test
    void aRenameThatIsDeniedDoesNotCostTheTarget() throws IOException {
        server.putFile("/readonly/a", bytes("A")).putFile("/b", bytes("B")).denyRenameOf("/readonly/a");
        assertThrows(AccessDeniedException.class, () -> drive.rename(p("/readonly/a"), p("/b")));
        assertArrayEquals(bytes("B"), server.content("/b"), "the target survives a rename that failed");
        assertArrayEquals(bytes("A"), server.content("/readonly/a"));
        assertEquals(List.of("b", "readonly"), server.names("/"), "nothing left behind");
    }

    @Test
    void aRenameOfAMissingFileFailsWithoutTouchingTheTarget() throws IOException {
        server.renameRefusesOverwrite(true).putFile("/b", bytes("B"));
        assertThrows(NoSuchFileException.class, () -> drive.rename(p("/missing"), p("/b")));
        assertArrayEquals(bytes("B"), server.content("/b"));
    }

    @Test
    void chmodOnAServerWithoutChmodIsAcceptedButARefusalIsNot() throws IOException {
        server.putFile("/f", bytes("f")).chmodUnsupported(true);
        drive.chmod(p("/f"), 0600);
        assertNull(server.permissions("/f"));

        server.chmodUnsupported(false).failNext(Op.CHMOD, new AccessDeniedException("/f"));
        assertThrows(AccessDeniedException.class, () -> drive.chmod(p("/f"), 0600));
        drive.chmod(p("/f"), 0100600);
        assertEquals(0600, server.permissions("/f"));
    }

    @Test
    void openAndCreateCheckWhatIsThere() throws IOException {
        server.putFile("/f", bytes("f")).mkdirs("/dir");
        assertThrows(IsDirectoryException.class, () -> drive.open(p("/dir"), OpenMode.READ));
        assertThrows(NoSuchFileException.class, () -> drive.open(p("/missing"), OpenMode.READ));
        assertThrows(NoSuchFileException.class, () -> drive.create(p("/nodir/f"), WRONLY));
        assertThrows(NotDirectoryException.class, () -> drive.create(p("/f/x"), WRONLY));
        assertEquals(0, drive.openFiles());
    }

    @Test
    void aHandleIsGoneAfterRelease() throws IOException {
        server.putFile("/f", bytes("f"));
        long h = drive.open(p("/f"), OpenMode.READ);
        assertEquals(1, drive.openFiles());
        drive.release(h);
        assertEquals(0, drive.openFiles());
        assertThrows(BadHandleException.class, () -> drive.release(h));
        assertThrows(BadHandleException.class, () -> drive.read(h, 0, 1, ReadSink.of(new byte[1])));
        assertThrows(BadHandleException.class, () -> drive.flush(h));
    }

    // ------------------------------------------------------------------ reading programs

    /**
     * Reads a whole file in 128 KiB requests on {@code threads} threads: requests are issued in
     * order but shuffled in groups of four, and request i is issued only once every request before
     * i - {@code window} has finished (the reader waits for its pages before the kernel reads further).
     */
    private byte[] readLikeTheKernel(long h, int size, int threads, int window, long seed) throws Exception {
        List<Long> offsets = new ArrayList<>();
        for (long off = 0; off < size; off += REQUEST) {
            offsets.add(off);
        }
        Random shuffle = new Random(seed);
        for (int i = 0; i < offsets.size(); i += 4) {
            Collections.shuffle(offsets.subList(i, Math.min(i + 4, offsets.size())), shuffle);
        }
        byte[] got = new byte[size];
        ExecutorService fuseThreads = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> reads = new ArrayList<>(Collections.nCopies(offsets.size(), null));
            int finished = 0;
            long total = 0;
            for (long off : offsets) {
                int index = (int) (off / REQUEST);
                while (finished < index - window) {
                    if (reads.get(finished) != null) {
                        total += reads.get(finished).get(30, TimeUnit.SECONDS);
                        finished++;
                    } else {
                        break; // not issued yet: it comes later in this shuffled group
                    }
                }
                reads.set(index, fuseThreads.submit(() -> {
                    byte[] buf = new byte[REQUEST];
                    int n = drive.read(h, off, REQUEST, ReadSink.of(buf));
                    System.arraycopy(buf, 0, got, (int) off, n);
                    return n;
                }));
            }
            for (; finished < reads.size(); finished++) {
                total += reads.get(finished).get(30, TimeUnit.SECONDS);
            }
            assertEquals(size, total);
        } finally {
            fuseThreads.shutdownNow();
        }
        return got;
    }

    @Test
    void kernelReadAheadOutOfOrderOnSeveralThreadsDoesNotRestartTheDownloadRepeatedly() throws Exception {
        int size = 12 * MIB + 777;
        byte[] content = random(size, 17);
        server.putFile("/movie.mkv", content);
        long h = drive.open(p("/movie.mkv"), OpenMode.READ);

        // The kernel's read-ahead sends requests in groups that FUSE's worker threads deliver out of
        // order; the reading program waits for the earliest unfinished one, so at most a window of
        // requests is in flight at any time.
        byte[] got = readLikeTheKernel(h, size, 4, 8, 18);
        assertArrayEquals(content, got);
        assertTrue(server.calls(Op.OPEN_READ) <= 2,
                "downloads started: " + server.calls(Op.OPEN_READ) + " (a late first request may restart once)");
        assertTrue(server.bytesRead() <= 2L * size, "bytes downloaded: " + server.bytesRead());
        drive.release(h);
        assertTrue(server.awaitLiveDownloadsAtMost(0, Duration.ofSeconds(10)), "release ends the download");
    }

    @Test
    void reading4KiBAtTheEndOfA64MiBFileTransfersFarLessThanTheFile() throws Exception {
        int size = 64 * MIB;
        byte[] content = new byte[size];
        for (int i = size - 64 * KIB; i < size; i++) {
            content[i] = (byte) (i * 31);
        }
        server.putFile("/big.iso", content);
        long h = drive.open(p("/big.iso"), OpenMode.READ);

        byte[] tail = new byte[4 * KIB];
        assertEquals(tail.length, drive.read(h, size - tail.length, tail.length, ReadSink.of(tail)));
        assertArrayEquals(Arrays.copyOfRange(content, size - tail.length, size), tail);
        assertEquals(0, drive.read(h, size, 4 * KIB, ReadSink.of(tail)), "end of file");

        drive.release(h);
        assertTrue(server.awaitLiveDownloadsAtMost(0, Duration.ofSeconds(10)));
        assertEquals(1, server.calls(Op.OPEN_READ));
        assertTrue(server.bytesRead() < MIB, "bytes downloaded: " + server.bytesRead());
    }

    @Test
    void aDownloadCutOffTheServerResumesWhereItBroke() throws IOException {
        byte[] content = random(3 * MIB + 5, 19);
        server.putFile("/f", content).cutDownloadsAfter(700 * KIB);
        assertArrayEquals(content, readFile("/f"));
        assertTrue(server.calls(Op.OPEN_READ) >= 5, "resumed " + server.calls(Op.OPEN_READ) + " times");
    }

    @Test
    void aDownloadThatNeverDeliversFailsTheReadInsteadOfLooping() throws IOException {
        server.putFile("/f", random(MIB, 20)).cutDownloadsAfter(0);
        long h = drive.open(p("/f"), OpenMode.READ);
        assertThrows(IOException.class, () -> drive.read(h, 0, REQUEST, ReadSink.of(new byte[REQUEST])));
        assertTrue(server.calls(Op.OPEN_READ) <= 4, "attempts: " + server.calls(Op.OPEN_READ));
        drive.release(h);
    }

    @Test
    void readingAnEmptyFileDownloadsNothing() throws IOException {
        server.putFile("/empty", new byte[0]);
        assertArrayEquals(new byte[0], readFile("/empty"));
        assertEquals(0, server.calls(Op.OPEN_READ));
    }

    @Test
    void twoFarApartReadersOnOneHandleBothProgress() throws Exception {
        byte[] content = random(48 * MIB, 33);
        server.putFile("/movie", content);
        long h = drive.open(p("/movie"), OpenMode.READ);
        long[] starts = {0, 40L * MIB};
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> done = new java.util.ArrayList<>();
            for (long start : starts) {
                done.add(pool.submit(() -> {
                    byte[] buf = new byte[REQUEST];
                    for (long off = start; off < start + 4L * MIB; off += REQUEST) {
                        int n = drive.read(h, off, REQUEST, ReadSink.of(buf));
                        if (n != REQUEST || !java.util.Arrays.equals(buf, 0, n, content, (int) off, (int) off + n)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : done) {
                assertTrue(f.get(60, java.util.concurrent.TimeUnit.SECONDS), "reads return the right bytes");
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(server.calls(MemoryRemoteStore.Op.OPEN_READ) <= 4, "one download per reading position, not one per request: "
                + server.calls(MemoryRemoteStore.Op.OPEN_READ));
        drive.release(h);
    }

    @Test
    void aFileCreatedButNotUploadedCanBeRenamedAndArrivesUnderItsNewName() throws IOException {
        server.mkdirs("/d");
        long h = drive.create(p("/d/tmp"), WRONLY);
        drive.rename(p("/d/tmp"), p("/d/final"));
        writeInOrder(h, 0, bytes("content"));
        drive.flush(h);
        drive.release(h);
        assertArrayEquals(bytes("content"), server.content("/d/final"));
        assertFalse(server.exists("/d/tmp"));
    }

    @Test
    void aFailedStreamingUploadFailsEveryLaterFlush() throws IOException {
        server.mkdirs("/d").failUploadsAtClose(1);
        long h = drive.create(p("/d/f"), RDWR);
        writeInOrder(h, 0, random(300 * KIB, 5));
        byte[] buf = new byte[10];
        // a read on a written handle finishes the streaming upload first: that fails here
        assertThrows(IOException.class, () -> drive.read(h, 0, 10, ReadSink.of(buf)));
        assertThrows(IOException.class, () -> drive.flush(h), "close(2) still reports the lost writes");
        assertThrows(IOException.class, () -> drive.flush(h));
        drive.release(h);
    }
}
