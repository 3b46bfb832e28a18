package org.ftpdrive.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.testing.MemoryRemoteStore;
import org.ftpdrive.testing.MemoryRemoteStore.Gate;
import org.ftpdrive.testing.MemoryRemoteStore.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read strategy on its own: when a download starts, continues, restarts and stops. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrefetchReaderTest {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final int REQUEST = 128 * KIB;
    private static final RemotePath FILE = RemotePath.of("/f");

    private final MemoryRemoteStore server = new MemoryRemoteStore();
    private final ExecutorService fetchers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        fetchers.shutdownNow();
    }

    private PrefetchReader reader(long ahead, long behind) {
        return reader(ahead, behind, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private PrefetchReader reader(long ahead, long behind, Duration readTimeout, Duration idleRelease) {
        return new PrefetchReader(server, FILE, fetchers, ahead, behind, readTimeout, idleRelease);
    }

    private byte[] file(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        server.putFile(FILE.toString(), b);
        return b;
    }

    private static byte[] read(PrefetchReader r, long offset, int size) throws IOException {
        byte[] buf = new byte[size];
        int n = r.read(offset, size, ReadSink.of(buf));
        return Arrays.copyOf(buf, n);
    }

    private static byte[] slice(byte[] b, long from, int length) {
        return Arrays.copyOfRange(b, (int) from, (int) Math.min(b.length, from + length));
    }

    @Test
    void sequentialReadsUseOneDownload() throws IOException {
        byte[] content = file(5 * MIB + 3);
        PrefetchReader r = reader(MIB, MIB);
        for (long off = 0; off < content.length; off += REQUEST) {
            assertArrayEquals(slice(content, off, REQUEST), read(r, off, REQUEST));
        }
        assertEquals(0, read(r, content.length, REQUEST).length);
        assertEquals(1, r.starts());
        assertEquals(content.length, server.bytesRead());
        r.close();
    }

    @Test
    void aSmallForwardJumpWaitsForTheDownloadInsteadOfRestartingIt() throws IOException {
        byte[] content = file(8 * MIB);
        PrefetchReader r = reader(2 * MIB, MIB);
        assertArrayEquals(slice(content, 0, REQUEST), read(r, 0, REQUEST));
        assertArrayEquals(slice(content, MIB + 17, REQUEST), read(r, MIB + 17, REQUEST));
        assertEquals(1, r.starts());
        r.close();
    }

    @Test
    void aFarJumpRestartsAtTheNewOffset() throws IOException {
        byte[] content = file(32 * MIB);
        PrefetchReader r = reader(MIB, MIB);
        assertArrayEquals(slice(content, 0, REQUEST), read(r, 0, REQUEST));
        assertArrayEquals(slice(content, 20 * MIB, REQUEST), read(r, 20 * MIB, REQUEST));
        assertEquals(2, r.starts());
        r.close();
    }

    @Test
    void aLateRequestJustBehindIsServedFromWhatIsKeptAndAFarBackwardJumpRestarts() throws IOException {
        byte[] content = file(8 * MIB);
        PrefetchReader r = reader(MIB, MIB);
        for (long off = 0; off < 3 * MIB; off += REQUEST) {
            read(r, off, REQUEST);
        }
        assertArrayEquals(slice(content, 2 * MIB + 5, REQUEST), read(r, 2 * MIB + 5, REQUEST));
        assertEquals(1, r.starts(), "half a MiB behind, within the kept MiB");
        assertArrayEquals(slice(content, 0, REQUEST), read(r, 0, REQUEST));
        assertEquals(2, r.starts());
        r.close();
    }

    @Test
    void aReadAcrossTheEndReturnsWhatThereIs() throws IOException {
        byte[] content = file(300 * KIB);
        PrefetchReader r = reader(MIB, MIB);
        assertArrayEquals(slice(content, 250 * KIB, REQUEST), read(r, 250 * KIB, REQUEST));
        assertEquals(0, read(r, 300 * KIB, REQUEST).length);
        assertEquals(0, read(r, 400 * KIB, REQUEST).length);
        r.close();
    }

    @Test
    void whatIsFetchedAheadIsBounded() throws Exception {
        file(64 * MIB);
        PrefetchReader r = reader(MIB, MIB, Duration.ofSeconds(30), Duration.ofMillis(100));
        read(r, 0, REQUEST);
        // With nobody reading, the fetcher fills its window, then gives its connection back.
        assertTrue(server.awaitLiveDownloadsAtMost(0, Duration.ofSeconds(20)), "the idle download was not ended");
        assertTrue(server.bytesRead() <= REQUEST + MIB + 256 * KIB, "fetched " + server.bytesRead());
        assertEquals(1, r.starts());
        r.close();
    }

    @Test
    void afterGivingItsConnectionBackTheNextReadResumes() throws Exception {
        byte[] content = file(16 * MIB);
        PrefetchReader r = reader(MIB, MIB, Duration.ofSeconds(30), Duration.ofMillis(100));
        read(r, 0, REQUEST);
        assertTrue(server.awaitLiveDownloadsAtMost(0, Duration.ofSeconds(20)));
        assertArrayEquals(slice(content, REQUEST, REQUEST), read(r, REQUEST, REQUEST), "served from the window");
        assertArrayEquals(slice(content, 3 * MIB, REQUEST), read(r, 3 * MIB, REQUEST));
        assertEquals(2, r.starts());
        r.close();
    }

    @Test
    void aCutDownloadResumesFromTheReader() throws IOException {
        byte[] content = file(2 * MIB);
        server.cutDownloadsAfter(300 * KIB);
        PrefetchReader r = reader(4 * MIB, MIB);
        for (long off = 0; off < content.length; off += REQUEST) {
            assertArrayEquals(slice(content, off, REQUEST), read(r, off, REQUEST));
        }
        assertTrue(r.starts() >= 2);
        r.close();
    }

    @Test
    void aDownloadThatKeepsFailingIsReportedAfterAFewAttempts() throws IOException {
        file(MIB);
        server.cutDownloadsAfter(0);
        PrefetchReader r = reader(MIB, MIB);
        assertThrows(TransientNetworkException.class, () -> read(r, 0, REQUEST));
        assertTrue(r.starts() <= 3, "starts: " + r.starts());
        r.close();
    }

    @Test
    void aMissingFileIsReported() {
        PrefetchReader r = reader(MIB, MIB);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> read(r, 0, REQUEST));
        r.close();
    }

    @Test
    void aServerThatSendsNothingTimesTheReadOut() throws Exception {
        file(MIB);
        Gate stuck = server.holdNext(Op.OPEN_READ);
        PrefetchReader r = reader(MIB, MIB, Duration.ofMillis(300), Duration.ofSeconds(30));
        try {
            assertThrows(TransientNetworkException.class, () -> read(r, 0, REQUEST));
        } finally {
            stuck.release();
            r.close();
        }
    }

    @Test
    void closeEndsTheDownloadAndLaterReadsFail() throws Exception {
        file(16 * MIB);
        PrefetchReader r = reader(4 * MIB, MIB);
        read(r, 0, REQUEST);
        r.close();
        assertTrue(server.awaitLiveDownloadsAtMost(0, Duration.ofSeconds(20)));
        assertThrows(IOException.class, () -> read(r, REQUEST, REQUEST));
    }
}
