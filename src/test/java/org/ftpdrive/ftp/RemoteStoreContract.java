package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.Credentials;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.Endpoint;
import org.ftpdrive.remote.EntryType;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every real server must do through {@link FtpRemoteStore}, in one data mode. Subclasses name
 * the server and the mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RemoteStoreContract {
    private static final int BIG_DIR_ENTRIES = 10_000;
    private static final int BIG_FILE_BYTES = 4 * 1024 * 1024 + 17;

    protected TestServer server;
    protected FtpRemoteStore store;
    private byte[] bigContent;

    /** Starts the server (skipping or failing when it cannot run here). */
    protected abstract TestServer startServer(Path stateDir) throws IOException;

    protected abstract DataMode mode();

    /** Checks the pool size the store settled on against a server allowing {@code max} sessions. */
    protected void assertLearntLimit(int max, int learnt) {
        assertEquals(max, learnt, "the pool learnt the server's limit");
    }

    /**
     * For ProFTPD: within the limit and lowered, not necessarily equal. When two connections
     * arrive together it may count both before either has logged in and refuse both; the pool
     * then settles on what it still has.
     */
    protected static void assertLearntLimitAtMost(int max, int learnt) {
        assertTrue(learnt >= 1 && learnt <= max, "the pool learnt the server's limit " + max + ", not " + learnt);
    }

    /** Starts a second server of the same kind that allows at most {@code max} sessions per address. */
    protected abstract TestServer startLimitedServer(Path stateDir, int max) throws IOException;

    @BeforeAll
    void startServerAndStore(@TempDir Path stateDir) throws IOException {
        server = startServer(stateDir);
        Path root = server.root();
        Path big = Files.createDirectories(root.resolve("big"));
        for (int i = 0; i < BIG_DIR_ENTRIES; i++) {
            Files.write(big.resolve(String.format("file-%05d.txt", i)), new byte[i % 100]);
        }
        bigContent = new byte[BIG_FILE_BYTES];
        new Random(42).nextBytes(bigContent);
        Files.write(root.resolve("big.bin"), bigContent);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        server.handOver(root);
        store = FtpRemoteStore.connect(settings(4, Duration.ofSeconds(10)));
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    protected ConnectionSettings settings(int connections, Duration borrowTimeout) {
        return ConnectionSettings.builder(
                        new Endpoint(server.host(), server.port(), RemotePath.ROOT),
                        new Credentials(server.user(), server.password().toCharArray()))
                .dataMode(mode())
                .connections(connections)
                .borrowTimeout(borrowTimeout)
                .dataConnectTimeout(Duration.ofSeconds(5))
                .controlTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static RemotePath p(String path) {
        return RemotePath.of(path);
    }

    @Test
    void listsTenThousandEntriesWithSizes() throws IOException {
        List<RemoteEntry> entries = store.list(p("/big"));
        assertEquals(BIG_DIR_ENTRIES, entries.size());
        for (RemoteEntry e : entries) {
            int i = Integer.parseInt(e.name().substring(5, 10));
            assertEquals(EntryType.FILE, e.type(), e.name());
            assertEquals(i % 100, e.size(), e.name());
        }
        Set<String> names = entries.stream().map(RemoteEntry::name).collect(Collectors.toSet());
        assertTrue(names.contains("file-00000.txt") && names.contains("file-09999.txt"));
    }

    @Test
    void statsFilesDirectoriesAndMissingNames() throws IOException {
        RemoteEntry file = store.stat(p("/hello.txt"));
        assertEquals("hello.txt", file.name());
        assertEquals(EntryType.FILE, file.type());
        assertEquals(13, file.size());
        assertTrue(file.modified() != null, "modification time known");

        RemoteEntry dir = store.stat(p("/big"));
        assertEquals(EntryType.DIRECTORY, dir.type());

        assertEquals(EntryType.DIRECTORY, store.stat(RemotePath.ROOT).type());
        assertThrows(NoSuchFileException.class, () -> store.stat(p("/no-such-file")));
        assertThrows(NoSuchFileException.class, () -> store.list(p("/no-such-dir")));
    }

    @Test
    void readsWholeFileAndFromAnOffset() throws IOException {
        try (InputStream in = store.openRead(p("/big.bin"), 0)) {
            assertArrayEquals(bigContent, in.readAllBytes());
        }
        long offset = 3_000_001;
        try (InputStream in = store.openRead(p("/big.bin"), offset)) {
            byte[] rest = in.readAllBytes();
            assertEquals(bigContent.length - offset, rest.length);
            for (int i = 0; i < rest.length; i++) {
                if (rest[i] != bigContent[(int) offset + i]) {
                    throw new AssertionError("byte " + (offset + i) + " differs");
                }
            }
        }
        assertThrows(NoSuchFileException.class, () -> store.openRead(p("/missing.bin"), 0).close());
    }

    @Test
    void abortedReadLeavesTheSessionUsable() throws IOException {
        try (FtpRemoteStore single = FtpRemoteStore.connect(settings(1, Duration.ofSeconds(5)))) {
            for (int round = 0; round < 3; round++) {
                try (InputStream in = single.openRead(p("/big.bin"), 0)) {
                    byte[] half = in.readNBytes(BIG_FILE_BYTES / 2);
                    assertEquals(bigContent[half.length - 1], half[half.length - 1]);
                }
                assertEquals(1, single.pool().liveSessions(), "the session went back to the pool");
                assertEquals(13, single.stat(p("/hello.txt")).size());
                try (InputStream in = single.openRead(p("/hello.txt"), 7)) {
                    assertEquals("world\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(1, single.pool().liveSessions());
        }
    }

    @Test
    void writesAppendsRenamesAndDeletes() throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        RemotePath file = p("/written.bin");
        try (OutputStream out = store.openWrite(file, false)) {
            out.write(data, 0, 100_000);
            out.write(data, 100_000, 200_000);
        }
        assertArrayEquals(data, Files.readAllBytes(server.root().resolve("written.bin")));
        assertEquals(data.length, store.stat(file).size());

        try (OutputStream out = store.openWrite(file, true)) {
            out.write("tail".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(data.length + 4, Files.size(server.root().resolve("written.bin")));

        store.rename(file, p("/renamed.bin"));
        assertFalse(Files.exists(server.root().resolve("written.bin")));
        assertTrue(Files.exists(server.root().resolve("renamed.bin")));

        store.delete(p("/renamed.bin"));
        assertFalse(Files.exists(server.root().resolve("renamed.bin")));
        assertThrows(NoSuchFileException.class, () -> store.delete(p("/renamed.bin")));
    }

    @Test
    void makesAndRemovesDirectories() throws IOException {
        store.mkdir(p("/newdir"));
        assertTrue(Files.isDirectory(server.root().resolve("newdir")));
        assertThrows(FileAlreadyExistsException.class, () -> store.mkdir(p("/newdir")));
        try (OutputStream out = store.openWrite(p("/newdir/inner.txt"), false)) {
            out.write(1);
        }
        assertThrows(java.nio.file.DirectoryNotEmptyException.class, () -> store.rmdir(p("/newdir")));
        store.delete(p("/newdir/inner.txt"));
        store.rmdir(p("/newdir"));
        assertFalse(Files.exists(server.root().resolve("newdir")));
        assertThrows(NoSuchFileException.class, () -> store.rmdir(p("/newdir")));
    }

    @Test
    void setsModificationTime() throws IOException {
        RemotePath file = p("/dated.txt");
        try (OutputStream out = store.openWrite(file, false)) {
            out.write("x".getBytes(StandardCharsets.UTF_8));
        }
        Instant when = Instant.parse("2021-03-04T05:06:07Z");
        store.setModTime(file, when);
        assertEquals(when, Files.getLastModifiedTime(server.root().resolve("dated.txt")).toInstant());
        assertEquals(when, store.stat(file).modified());
    }

    /** Whether the server implements SITE CHMOD (MINA does not). */
    protected boolean supportsChmod() {
        return true;
    }

    @Test
    void chmodWhereTheServerAllowsIt() throws IOException {
        RemotePath file = p("/mode.txt");
        try (OutputStream out = store.openWrite(file, false)) {
            out.write('m');
        }
        if (supportsChmod()) {
            store.chmod(file, 0640);
            assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"),
                    Files.getPosixFilePermissions(server.root().resolve("mode.txt")));
        } else {
            assertThrows(org.ftpdrive.remote.UnsupportedRemoteOperationException.class, () -> store.chmod(file, 0640));
        }
        store.delete(file);
    }

    @Test
    void missingParentsAndWrongTypesGiveTheErrorsProgramsExpect() throws IOException {
        assertThrows(NoSuchFileException.class, () -> store.openWrite(p("/no-such-dir/f.txt"), false).close());
        assertThrows(NoSuchFileException.class, () -> store.openWrite(p("/no-such-dir/f.txt"), true).close());
        assertThrows(NoSuchFileException.class, () -> store.mkdir(p("/no-such-dir/sub")));
        assertThrows(NoSuchFileException.class, () -> store.delete(p("/no-such-dir/f.txt")));
        assertThrows(NoSuchFileException.class, () -> store.rename(p("/no-such-file"), p("/other")));
        assertThrows(NoSuchFileException.class, () -> store.rename(p("/hello.txt"), p("/no-such-dir/hello.txt")));
        assertTrue(Files.exists(server.root().resolve("hello.txt")), "a failed rename moves nothing");

        assertIsADirectory(() -> store.openRead(p("/big"), 0).close());
        assertIsADirectory(() -> store.openWrite(p("/big"), false).close());
        assertIsADirectory(() -> store.delete(p("/big")));
        assertThrows(NotDirectoryException.class, () -> store.rmdir(p("/hello.txt")));
        assertTrue(Files.isDirectory(server.root().resolve("big")) && Files.exists(server.root().resolve("hello.txt")));
    }

    private static void assertIsADirectory(Executable call) {
        FileSystemException e = assertThrows(FileSystemException.class, call);
        assertEquals("is a directory", e.getReason(), e.toString());
    }

    /**
     * For servers that run as another user than the test JVM (vsftpd, ProFTPD); not MINA, which runs
     * inside the test JVM as the very user that made the files. Subclasses call it from a test.
     */
    protected void refusalsForLackOfPermissionAreAccessDenied() throws IOException {
        // Created by the test JVM (root) and not handed over: the FTP user may read, not write.
        Path locked = Files.createDirectories(server.root().resolve("locked"));
        Files.writeString(locked.resolve("file.txt"), "x");
        Files.createDirectories(locked.resolve("sub"));
        Path secret = Files.writeString(locked.resolve("secret.txt"), "s");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        assertThrows(AccessDeniedException.class, () -> store.delete(p("/locked/file.txt")));
        assertThrows(AccessDeniedException.class, () -> store.rmdir(p("/locked/sub")));
        assertThrows(AccessDeniedException.class, () -> store.mkdir(p("/locked/new")));
        assertThrows(AccessDeniedException.class, () -> store.openWrite(p("/locked/new.txt"), false).close());
        assertThrows(AccessDeniedException.class, () -> store.openWrite(p("/locked/file.txt"), false).close());
        assertThrows(AccessDeniedException.class, () -> store.rename(p("/locked/file.txt"), p("/moved.txt")));
        assertThrows(AccessDeniedException.class, () -> store.rename(p("/hello.txt"), p("/locked/hello.txt")));
        assertThrows(AccessDeniedException.class, () -> store.openRead(p("/locked/secret.txt"), 0).close());
        assertEquals("x", Files.readString(locked.resolve("file.txt")));
        assertTrue(Files.isDirectory(locked.resolve("sub")) && !Files.exists(locked.resolve("new")));
        assertTrue(Files.exists(server.root().resolve("hello.txt")));
    }

    @Test
    void namesWithSpacesDashesAndNonAsciiLetters() throws IOException {
        for (String name : List.of("with space.txt", "-leading-dash", "Grüße ✓.txt")) {
            RemotePath file = RemotePath.ROOT.resolve(name);
            try (OutputStream out = store.openWrite(file, false)) {
                out.write(name.getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(name, Files.readString(server.root().resolve(name)));
            assertEquals(name.getBytes(StandardCharsets.UTF_8).length, store.stat(file).size());
            store.delete(file);
        }
    }

    @Test
    void exhaustedPoolFailsClearlyWithinItsTimeout() throws IOException {
        try (FtpRemoteStore single = FtpRemoteStore.connect(settings(1, Duration.ofSeconds(1)))) {
            try (InputStream held = single.openRead(p("/big.bin"), 0)) {
                assertEquals(bigContent[0], (byte) held.read());
                long start = System.nanoTime();
                PoolExhaustedException e = assertThrows(PoolExhaustedException.class,
                        () -> single.list(RemotePath.ROOT));
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(e.getMessage().contains("all 1 connections"), e.getMessage());
                assertTrue(waitedMs >= 900 && waitedMs < 5_000, "waited " + waitedMs + " ms");
            }
            assertFalse(single.list(RemotePath.ROOT).isEmpty(), "usable again once the read is closed");
        }
    }

    @Test
    void killedSessionsAreReplaced() throws IOException {
        // Several idle sessions die at once (a server restart): the one retry after a transport
        // failure must not land on another dead session from the pool.
        int size = 3;
        try (FtpRemoteStore own = FtpRemoteStore.connect(settings(size, Duration.ofSeconds(5)))) {
            fillWithIdleSessions(own, size);
            server.killSessions();
            assertEquals(13, own.stat(p("/hello.txt")).size());

            fillWithIdleSessions(own, size);
            server.killSessions();
            try (InputStream in = own.openRead(p("/hello.txt"), 0)) {
                assertEquals("hello, world\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }

            fillWithIdleSessions(own, size);
            server.killSessions();
            own.mkdir(p("/made-after-kill"));
            assertTrue(Files.isDirectory(server.root().resolve("made-after-kill")));

            fillWithIdleSessions(own, size);
            server.killSessions();
            own.rmdir(p("/made-after-kill"));
            assertFalse(Files.exists(server.root().resolve("made-after-kill")));
        }
    }

    /** Leaves {@code n} sessions idle in the store's pool, each opened a moment ago. */
    private static void fillWithIdleSessions(FtpRemoteStore store, int n) throws IOException {
        List<SessionPool<FtpSession>.Lease> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(store.pool().borrow());
            }
        } finally {
            held.forEach(SessionPool.Lease::close);
        }
        assertEquals(n, store.pool().liveSessions(), "sessions idle in the pool");
    }

    @Test
    void uploadCutOffByTheServerFailsNoLaterThanClose() throws IOException {
        try (FtpRemoteStore own = FtpRemoteStore.connect(settings(2, Duration.ofSeconds(5)))) {
            byte[] chunk = new byte[256 * 1024];
            OutputStream out = own.openWrite(p("/cut-off.bin"), false);
            out.write(chunk);
            out.flush();
            server.killSessions();
            assertThrows(TransientNetworkException.class, () -> {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
                out.close();
            });
            out.close(); // the failure was reported; closing again has nothing to add
            assertEquals(13, own.stat(p("/hello.txt")).size(), "the store recovers with new sessions");
        }
    }

    @Test
    void downloadCutOffByTheServerIsAnErrorNotAnEarlyEnd() throws IOException {
        // Far larger than the socket buffers, so the server is still sending when it is killed.
        Path huge = server.root().resolve("huge.bin");
        Files.write(huge, new byte[48 * 1024 * 1024]);
        server.handOver(huge);
        try (FtpRemoteStore own = FtpRemoteStore.connect(settings(2, Duration.ofSeconds(5)))) {
            InputStream in = own.openRead(p("/huge.bin"), 0);
            assertEquals(0, in.read());
            server.killSessions();
            assertThrows(TransientNetworkException.class, in::readAllBytes);
            assertThrows(TransientNetworkException.class, in::read, "a failed download stays failed");
            in.close();
            assertEquals(13, own.stat(p("/hello.txt")).size(), "the store recovers with new sessions");
        }
    }

    @Test
    void serverAllowingTwoSessionsServesFourConcurrentReads(@TempDir Path limitedState) throws Exception {
        try (TestServer limited = startLimitedServer(limitedState, 2)) {
            Files.write(limited.root().resolve("big.bin"), bigContent);
            limited.handOver(limited.root().resolve("big.bin"));
            ConnectionSettings four = settings(4, Duration.ofSeconds(30)).toBuilder()
                    .endpoint(new Endpoint(limited.host(), limited.port(), RemotePath.ROOT))
                    .build();
            try (FtpRemoteStore fourStore = FtpRemoteStore.connect(four)) {
                runFourConcurrentReads(fourStore);
                assertLearntLimit(2, fourStore.pool().limit());
            }
        }
    }

    private void runFourConcurrentReads(FtpRemoteStore fourStore) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            // All four ask for a session at once, so the server really sees more than it allows.
            CyclicBarrier start = new CyclicBarrier(4);
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try (InputStream in = fourStore.openRead(p("/big.bin"), 0)) {
                        return in.readAllBytes();
                    }
                }));
            }
            for (Future<byte[]> f : results) {
                assertArrayEquals(bigContent, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
