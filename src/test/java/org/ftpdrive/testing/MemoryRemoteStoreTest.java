package org.ftpdrive.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;
import org.ftpdrive.testing.MemoryRemoteStore.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake keeps its promises; other tests rely on it behaving like a real server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MemoryRemoteStoreTest {
    private final MemoryRemoteStore store = new MemoryRemoteStore();

    private static RemotePath p(String path) {
        return RemotePath.of(path);
    }

    @Test
    void listsAndStatsWhatIsThere() throws IOException {
        store.putFile("/d/a.txt", "hello".getBytes(UTF_8)).mkdirs("/d/sub");
        List<RemoteEntry> entries = store.list(p("/d"));
        assertEquals(List.of("a.txt", "sub"), entries.stream().map(RemoteEntry::name).toList());
        assertEquals(5, entries.get(0).size());
        assertTrue(entries.get(1).isDirectory());
        assertEquals("a.txt", store.stat(p("/d/a.txt")).name());
        assertTrue(store.stat(RemotePath.ROOT).isDirectory());
        assertThrows(NoSuchFileException.class, () -> store.stat(p("/d/missing")));
        assertThrows(NoSuchFileException.class, () -> store.list(p("/missing")));
        assertThrows(NotDirectoryException.class, () -> store.list(p("/d/a.txt")));
        assertEquals(3, store.calls(Op.LIST));
        assertEquals(3, store.calls(Op.STAT));
    }

    @Test
    void uploadCommitsOnlyAtClose() throws IOException {
        store.mkdirs("/d");
        OutputStream out = store.openWrite(p("/d/f"), false);
        out.write("abc".getBytes(UTF_8));
        assertFalse(store.exists("/d/f"));
        out.close();
        assertArrayEquals("abc".getBytes(UTF_8), store.content("/d/f"));
        try (OutputStream more = store.openWrite(p("/d/f"), true)) {
            more.write("def".getBytes(UTF_8));
        }
        assertArrayEquals("abcdef".getBytes(UTF_8), store.content("/d/f"));
        assertEquals(1, store.appends());
        assertEquals(6, store.bytesWritten());
        assertThrows(NoSuchFileException.class, () -> store.openWrite(p("/nodir/f"), false));
    }

    @Test
    void uploadFailingAtCloseCommitsNothing() throws IOException {
        store.putFile("/f", "old".getBytes(UTF_8)).failUploadsAtClose(1);
        OutputStream out = store.openWrite(p("/f"), false);
        out.write("new".getBytes(UTF_8));
        assertThrows(TransientNetworkException.class, out::close);
        assertArrayEquals("old".getBytes(UTF_8), store.content("/f"));
        try (OutputStream again = store.openWrite(p("/f"), false)) {
            again.write("new".getBytes(UTF_8));
        }
        assertArrayEquals("new".getBytes(UTF_8), store.content("/f"));
    }

    @Test
    void readsFromAnOffsetAndCountsBytes() throws IOException {
        store.putFile("/f", "0123456789".getBytes(UTF_8));
        try (InputStream in = store.openRead(p("/f"), 7)) {
            assertEquals(1, store.liveDownloads());
            assertArrayEquals("789".getBytes(UTF_8), in.readAllBytes());
        }
        try (InputStream in = store.openRead(p("/f"), 20)) {
            assertEquals(-1, in.read());
        }
        assertEquals(0, store.liveDownloads());
        assertEquals(3, store.bytesRead());
        assertEquals(2, store.calls(Op.OPEN_READ));
    }

    @Test
    void cutDownloadFailsAfterItsBytes() throws IOException {
        store.putFile("/f", new byte[1000]).cutDownloadsAfter(300);
        try (InputStream in = store.openRead(p("/f"), 0)) {
            byte[] buf = new byte[1000];
            assertEquals(300, in.readNBytes(buf, 0, 300));
            assertThrows(TransientNetworkException.class, in::read);
        }
    }

    @Test
    void errorsAreTheRealStoresVocabulary() throws IOException {
        store.putFile("/d/f", new byte[1]).mkdirs("/e");
        assertThrows(FileAlreadyExistsException.class, () -> store.mkdir(p("/d")));
        assertThrows(NoSuchFileException.class, () -> store.mkdir(p("/x/y")));
        assertThrows(DirectoryNotEmptyException.class, () -> store.rmdir(p("/d")));
        assertThrows(NotDirectoryException.class, () -> store.rmdir(p("/d/f")));
        assertThrows(NoSuchFileException.class, () -> store.delete(p("/d/g")));
        assertThrows(NoSuchFileException.class, () -> store.rename(p("/d/g"), p("/d/h")));
        assertThrows(DirectoryNotEmptyException.class, () -> store.rename(p("/e"), p("/d")));
        store.denyListing("/e");
        assertThrows(AccessDeniedException.class, () -> store.list(p("/e")));
        store.chmodUnsupported(true);
        assertThrows(UnsupportedRemoteOperationException.class, () -> store.chmod(p("/d/f"), 0600));
        store.failNext(Op.DELETE, new AccessDeniedException("/d/f"));
        assertThrows(AccessDeniedException.class, () -> store.delete(p("/d/f")));
        store.delete(p("/d/f"));
        assertNull(store.content("/d/f"));
    }

    @Test
    void renameOverwritesUnlessRefused() throws IOException {
        store.putFile("/a", "A".getBytes(UTF_8)).putFile("/b", "B".getBytes(UTF_8));
        store.rename(p("/a"), p("/b"));
        assertArrayEquals("A".getBytes(UTF_8), store.content("/b"));
        assertFalse(store.exists("/a"));
        store.putFile("/c", "C".getBytes(UTF_8)).renameRefusesOverwrite(true);
        assertThrows(FileAlreadyExistsException.class, () -> store.rename(p("/c"), p("/b")));
        assertArrayEquals("A".getBytes(UTF_8), store.content("/b"));
        store.rename(p("/c"), p("/d"));
        assertTrue(store.exists("/d"));
    }

    @Test
    void timesCanBeListedToTheMinute() throws IOException {
        Instant t = Instant.parse("2024-03-04T05:06:07.890Z");
        store.putFile("/f", new byte[0], t);
        assertEquals(t, store.stat(p("/f")).modified());
        store.listTimesTo(ChronoUnit.MINUTES);
        assertEquals(Instant.parse("2024-03-04T05:06:00Z"), store.stat(p("/f")).modified());
        assertEquals(t, store.modified("/f"));
    }

    @Test
    void aHeldListingReturnsWhatWasThereBeforeTheGate() throws Exception {
        store.putFile("/d/a", new byte[0]);
        MemoryRemoteStore.Gate gate = store.holdNext(Op.LIST);
        var listing = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return store.list(p("/d"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        gate.awaitArrival();
        store.delete(p("/d/a"));
        assertFalse(listing.isDone());
        gate.release();
        assertEquals(1, listing.get(10, TimeUnit.SECONDS).size());
        assertTrue(store.list(p("/d")).isEmpty());
        assertTrue(store.awaitLiveDownloadsAtMost(0, Duration.ofSeconds(1)));
    }
}
