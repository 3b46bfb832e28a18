package org.ftpdrive.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.testing.MemoryRemoteStore;
import org.ftpdrive.testing.MemoryRemoteStore.Gate;
import org.ftpdrive.testing.MemoryRemoteStore.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cache's rules against an in-memory server: what it answers without asking, and that it
 * never shows something older than a change made through it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CachingRemoteStoreTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final MemoryRemoteStore server = new MemoryRemoteStore();
    private final CachingRemoteStore cache = new CachingRemoteStore(server, TTL);

    private static RemotePath p(String path) {
        return RemotePath.of(path);
    }

    private static List<String> names(List<RemoteEntry> entries) {
        return entries.stream().map(RemoteEntry::name).sorted().toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    // ------------------------------------------------------------------ what is answered from the cache

    @Test
    void oneListingAnswersStatOfEveryChild() throws IOException {
        server.putFile("/d/a", bytes("aa")).putFile("/d/b", bytes("bbb")).mkdirs("/d/sub");

        assertEquals(2, cache.stat(p("/d/a")).size());
        assertEquals(3, cache.stat(p("/d/b")).size());
        assertTrue(cache.stat(p("/d/sub")).isDirectory());
        assertEquals(List.of("a", "b", "sub"), names(cache.list(p("/d"))));

        assertEquals(1, server.calls(Op.LIST), "one listing of /d answered everything");
        assertEquals(0, server.calls(Op.STAT));
        assertEquals(1, cache.serverRequests());
    }

    @Test
    void aMissingNameIsNotAskedAgainWithinTheTtl() throws IOException {
        server.putFile("/d/a", bytes("a"));

        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/missing")));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/missing")));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/other-missing")));

        assertEquals(1, server.calls(Op.LIST));
        assertEquals(0, server.calls(Op.STAT));
    }

    @Test
    void inADirectoryThatCannotBeListedEachNameIsAskedOnceAndMissesAreRemembered() throws IOException {
        server.putFile("/dropbox/f", bytes("x")).denyListing("/dropbox");

        assertEquals(1, cache.stat(p("/dropbox/f")).size());
        assertEquals(1, cache.stat(p("/dropbox/f")).size());
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/dropbox/nothing")));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/dropbox/nothing")));

        assertEquals(2, server.calls(Op.STAT), "one STAT per name, the miss included");
        assertThrows(AccessDeniedException.class, () -> cache.list(p("/dropbox")));
    }

    @Test
    void cachedAnswersAreReallyCached() throws IOException {
        // The premise of every invalidation test below: a change the cache was not told about stays
        // invisible within the TTL.
        server.putFile("/d/a", bytes("a"));
        assertEquals(1, cache.stat(p("/d/a")).size());
        server.putFile("/d/a", bytes("changed behind the cache's back"));
        server.putFile("/d/new", bytes("n"));
        assertEquals(1, cache.stat(p("/d/a")).size());
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/new")));
        assertEquals(List.of("a"), names(cache.list(p("/d"))));
    }

    // ------------------------------------------------------------------ invalidation on every change

    /** Fills the cache with /d's listing and the entries of /d/a and /d/sub, then changes the server behind its back. */
    private void primeAndDiverge() throws IOException {
        server.putFile("/d/a", bytes("a")).mkdirs("/d/sub").putFile("/d/sub/inner", bytes("i"));
        cache.stat(p("/d/a"));
        cache.stat(p("/d/sub/inner"));
        cache.list(p("/d"));
        cache.list(p("/d/sub"));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/new")));
        server.resetCounters();
    }

    @Test
    void mkdirShowsTheNewDirectory() throws IOException {
        primeAndDiverge();
        cache.mkdir(p("/d/new"));
        assertTrue(cache.stat(p("/d/new")).isDirectory());
        assertTrue(names(cache.list(p("/d"))).contains("new"));
        assertTrue(cache.list(p("/d/new")).isEmpty());
    }

    @Test
    void deleteForgetsTheFile() throws IOException {
        primeAndDiverge();
        cache.delete(p("/d/a"));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
        assertFalse(names(cache.list(p("/d"))).contains("a"));
    }

    @Test
    void rmdirForgetsTheDirectoryAndEverythingBelowIt() throws IOException {
        primeAndDiverge();
        cache.delete(p("/d/sub/inner"));
        cache.rmdir(p("/d/sub"));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/sub")));
        assertThrows(NoSuchFileException.class, () -> cache.list(p("/d/sub")));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/sub/inner")));
    }

    @Test
    void renameOfAFileShowsBothSides() throws IOException {
        primeAndDiverge();
        cache.rename(p("/d/a"), p("/d/new"));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
        assertEquals(1, cache.stat(p("/d/new")).size());
        assertEquals(List.of("new", "sub"), names(cache.list(p("/d"))));
    }

    @Test
    void renameOfADirectoryForgetsTheWholeSubtreeOnBothSides() throws IOException {
        primeAndDiverge();
        server.mkdirs("/e");
        cache.list(p("/e"));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/e/moved")));
        assertThrows(NoSuchFileException.class, () -> cache.list(p("/e/moved/sub")));

        cache.rename(p("/d"), p("/e/moved"));

        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/sub/inner")));
        assertThrows(NoSuchFileException.class, () -> cache.list(p("/d/sub")));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
        assertEquals(1, cache.stat(p("/e/moved/sub/inner")).size());
        assertEquals(List.of("inner"), names(cache.list(p("/e/moved/sub"))));

        // A new directory of the old name starts empty, not with the old cached children.
        cache.mkdir(p("/d"));
        assertTrue(cache.list(p("/d")).isEmpty());
        assertThrows(NoSuchFileException.class, () -> cache.list(p("/d/sub")));
    }

    @Test
    void anUploadIsVisibleOnceItsStreamIsClosed() throws IOException {
        primeAndDiverge();
        OutputStream out = cache.openWrite(p("/d/a"), false);
        out.write(bytes("longer content"));
        assertEquals(1, cache.stat(p("/d/a")).size(), "the server has the old file until the upload ends");
        out.close();
        assertEquals(14, cache.stat(p("/d/a")).size());

        try (OutputStream created = cache.openWrite(p("/d/new"), false)) {
            created.write(bytes("x"));
        }
        assertEquals(1, cache.stat(p("/d/new")).size());
        assertTrue(names(cache.list(p("/d"))).contains("new"));
    }

    @Test
    void setModTimeAndChmodShowTheNewAttributes() throws IOException {
        primeAndDiverge();
        Instant t = Instant.parse("2021-06-07T08:09:10Z");
        cache.setModTime(p("/d/a"), t);
        assertEquals(t, cache.stat(p("/d/a")).modified());
        cache.chmod(p("/d/a"), 0640);
        assertEquals(0640, cache.stat(p("/d/a")).permissions());
        assertEquals(0640, cache.list(p("/d")).stream().filter(e -> e.name().equals("a")).findFirst()
                .orElseThrow().permissions());
    }

    @Test
    void aFailedChangeForgetsTooBecauseTheServerMayHaveDoneIt() throws IOException {
        primeAndDiverge();
        server.delete(p("/d/a")); // the server did it, then the reply was lost
        server.failNext(Op.DELETE, new org.ftpdrive.remote.TransientNetworkException("421 timeout"));
        assertThrows(IOException.class, () -> cache.delete(p("/d/a")));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
    }

    // ------------------------------------------------------------------ the generation rule

    private CompletableFuture<List<RemoteEntry>> listInBackground(String dir) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cache.list(p(dir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The changes a listing can race with; each adds "/d/new" or changes "/d/a". */
    enum Change {
        MKDIR, DELETE, RENAME, UPLOAD, SET_MOD_TIME, CHMOD
    }

    private void make(Change change) throws IOException {
        switch (change) {
            case MKDIR -> cache.mkdir(p("/d/new"));
            case DELETE -> cache.delete(p("/d/a"));
            case RENAME -> cache.rename(p("/d/a"), p("/d/new"));
            case UPLOAD -> {
                try (OutputStream out = cache.openWrite(p("/d/new"), false)) {
                    out.write(bytes("n"));
                }
            }
            case SET_MOD_TIME -> cache.setModTime(p("/d/a"), Instant.parse("2001-02-03T04:05:06Z"));
            case CHMOD -> cache.chmod(p("/d/a"), 0600);
        }
    }

    private void assertChangeVisible(Change change) throws IOException {
        switch (change) {
            case MKDIR, UPLOAD -> assertTrue(names(cache.list(p("/d"))).contains("new"));
            case DELETE -> assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
            case RENAME -> {
                assertEquals(List.of("new"), names(cache.list(p("/d"))));
                assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
            }
            case SET_MOD_TIME -> assertEquals(Instant.parse("2001-02-03T04:05:06Z"), cache.stat(p("/d/a")).modified());
            case CHMOD -> assertEquals(0600, cache.stat(p("/d/a")).permissions());
        }
    }

    @ParameterizedTest
    @EnumSource(Change.class)
    void aListingFetchedBeforeAChangeIsNotStoredAfterIt(Change change) throws Exception {
        server.putFile("/d/a", bytes("a"));
        Gate gate = server.holdNext(Op.LIST);
        CompletableFuture<List<RemoteEntry>> early = listInBackground("/d");
        gate.awaitArrival(); // the listing has been read on the server, its reply is on its way

        make(change);
        gate.release();
        assertEquals(List.of("a"), names(early.get(10, TimeUnit.SECONDS)), "the early caller gets what it asked for");

        assertChangeVisible(change);
        assertEquals(2, server.calls(Op.LIST), "the early listing was not kept");
    }

    @Test
    void aChangeInAnotherDirectoryDoesNotDiscardAListingBeingFetched() throws Exception {
        server.putFile("/d/a", bytes("a")).mkdirs("/elsewhere");
        Gate gate = server.holdNext(Op.LIST);
        CompletableFuture<List<RemoteEntry>> listing = listInBackground("/d");
        gate.awaitArrival();

        cache.mkdir(p("/elsewhere/new")); // a cp -r running next to an ls
        gate.release();
        assertEquals(List.of("a"), names(listing.get(10, TimeUnit.SECONDS)));

        assertEquals(List.of("a"), names(cache.list(p("/d"))));
        assertEquals(1, server.calls(Op.LIST), "the listing was kept: its directory did not change");
    }

    @Test
    void aStatFetchedBeforeAChangeIsNotStoredAfterIt() throws Exception {
        server.putFile("/dropbox/a", bytes("a")).denyListing("/dropbox");
        Gate gate = server.holdNext(Op.STAT);
        CompletableFuture<RemoteEntry> early = CompletableFuture.supplyAsync(() -> {
            try {
                return cache.stat(p("/dropbox/a"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        gate.awaitArrival();
        cache.delete(p("/dropbox/a"));
        gate.release();
        assertEquals(1, early.get(10, TimeUnit.SECONDS).size());
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/dropbox/a")));
    }

    @Test
    void aListingFetchedAfterTheChangeIsStored() throws IOException {
        server.putFile("/d/a", bytes("a"));
        cache.delete(p("/d/a"));
        cache.list(p("/d"));
        cache.list(p("/d"));
        assertThrows(NoSuchFileException.class, () -> cache.stat(p("/d/a")));
        assertEquals(1, server.calls(Op.LIST));
    }

    // ------------------------------------------------------------------ times set through the cache

    @Test
    void theExactTimeSetIsShownWhileTheListingAgreesToTheMinute() throws IOException {
        server.listTimesTo(ChronoUnit.MINUTES).putFile("/d/f", bytes("f"), Instant.parse("2020-01-01T00:00:00Z"));
        Instant set = Instant.parse("2024-05-06T07:08:09.123456789Z");

        cache.setModTime(p("/d/f"), set);

        assertEquals(Instant.parse("2024-05-06T07:08:00Z"), server.stat(p("/d/f")).modified(), "the server lists minutes");
        assertEquals(set, cache.stat(p("/d/f")).modified());
    }

    @Test
    void theListedTimeWinsOnceTheListingDisagrees() throws IOException {
        // A zero TTL makes every stat ask the server, so a change by someone else is seen.
        CachingRemoteStore uncached = new CachingRemoteStore(server, Duration.ZERO);
        server.listTimesTo(ChronoUnit.MINUTES).putFile("/f", bytes("f"));
        Instant set = Instant.parse("2024-05-06T07:08:09Z");
        uncached.setModTime(p("/f"), set);
        assertEquals(set, uncached.stat(p("/f")).modified());

        server.touch("/f", Instant.parse("2024-05-06T09:10:11Z"));
        assertEquals(Instant.parse("2024-05-06T09:10:00Z"), uncached.stat(p("/f")).modified());
    }

    @Test
    void anUploadAfterSetModTimeShowsTheServersNewTime() throws IOException {
        server.listTimesTo(ChronoUnit.MINUTES).clock(java.time.Clock.fixed(
                Instant.parse("2024-05-06T07:08:30Z"), java.time.ZoneOffset.UTC));
        server.putFile("/f", bytes("f"));
        cache.setModTime(p("/f"), Instant.parse("2024-05-06T07:08:09Z"));
        try (OutputStream out = cache.openWrite(p("/f"), false)) {
            out.write(bytes("new"));
        }
        assertEquals(Instant.parse("2024-05-06T07:08:00Z"), cache.stat(p("/f")).modified(),
                "the new content's time, not the one set for the old content");
    }

    @Test
    void theExactTimeFollowsTheFileThroughARename() throws IOException {
        // rsync: write ".f.XXXXXX", set its time, rename it over "f", then compare times next run.
        server.listTimesTo(ChronoUnit.MINUTES).putFile("/d/.f.abc123", bytes("f"));
        Instant set = Instant.parse("2024-05-06T07:08:09Z");
        cache.setModTime(p("/d/.f.abc123"), set);

        cache.rename(p("/d/.f.abc123"), p("/d/f"));

        assertEquals(set, cache.stat(p("/d/f")).modified());
    }

    @Test
    void listingPrecisionRules() {
        Instant set = Instant.parse("2024-05-06T07:08:09Z");
        assertTrue(CachingRemoteStore.agreesToListingPrecision(Instant.parse("2024-05-06T07:08:00Z"), set));
        assertFalse(CachingRemoteStore.agreesToListingPrecision(Instant.parse("2024-05-06T07:09:00Z"), set));
        // Old files are listed with a date only ("May  6  2024"), read as midnight.
        assertTrue(CachingRemoteStore.agreesToListingPrecision(Instant.parse("2024-05-06T00:00:00Z"), set));
        assertFalse(CachingRemoteStore.agreesToListingPrecision(Instant.parse("2024-05-09T00:00:00Z"), set));
    }
}
