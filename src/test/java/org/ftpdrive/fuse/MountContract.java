package org.ftpdrive.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ftpdrive.testing.MountProcess;
import org.ftpdrive.testing.Shell;
import org.ftpdrive.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real FUSE mount of a real FTP server, used with ordinary commands (cp, ls, mv, rm, dd,
 * truncate, touch, rsync). Each subclass picks the server and the data mode. Every test works in
 * its own folder of the drive and checks the result on the server's disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MountContract {
    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Duration LONG = Duration.ofSeconds(240);
    private static final int MIB = 1 << 20;

    private Path work;

    private TestServer server;
    private MountProcess mount;
    private Path mp;
    private Path local;

    protected abstract TestServer startServer(Path stateDir);

    protected abstract String mode();

    @BeforeAll
    void mountDrive(@TempDir Path tempDir) throws Exception {
        work = tempDir;
        MountProcess.requireFuse();
        server = startServer(work.resolve("server"));
        mp = work.resolve("mnt");
        local = Files.createDirectories(work.resolve("local"));
        seedServer();
        mount = MountProcess.start(server, mp, work, "--mode", mode());
    }

    @AfterAll
    void unmountDrive() throws Exception {
        try {
            if (mount != null) {
                mount.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static final List<String> FOLDERS = List.of("sizes", "tree", "many", "middle", "meta", "names", "rsync",
            "parallel");
    private static final int MANY = 10_000;

    /**
     * What the tests find on the server, made on its disk before mounting: the drive trusts its
     * listings for a while, so files made behind its back later would not be seen at once.
     */
    private void seedServer() throws IOException {
        for (String name : FOLDERS) {
            Files.createDirectories(server.root().resolve(name));
        }
        for (int i = 0; i < MANY; i++) {
            Files.write(onServer("many/" + manyName(i)), new byte[i % 97]);
        }
        Files.copy(localFile("middle-src", 3L * MIB + 123, 7), onServer("middle/f"));
        for (String name : FOLDERS) {
            server.handOver(server.root().resolve(name));
        }
    }

    private static String manyName(int i) {
        return String.format("entry-%05d.txt", i);
    }

    /** The folder of one test, seeded on the server before mounting. */
    private String folder(String name) {
        if (!FOLDERS.contains(name)) {
            throw new IllegalArgumentException("not a seeded folder: " + name);
        }
        return name;
    }

    private Path onServer(String relative) {
        return server.root().resolve(relative);
    }

    private Path inDrive(String relative) {
        return mp.resolve(relative);
    }

    private static void sh(String script) throws Exception {
        Shell.sh(LONG, script).requireSuccess();
    }

    private static String q(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    private Path localFile(String name, long size, long seed) throws IOException {
        Path f = local.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(f)) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        block[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                out.write(block, 0, n);
                left -= n;
            }
        }
        return f;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[MIB];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void copiesFilesOfEverySizeInAndOut() throws Exception {
        String dir = folder("sizes");
        long[] sizes = {0, 1, 128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1, 10L * MIB, 300L * MIB};
        for (long size : sizes) {
            Path src = localFile("in-" + size, size, size);
            String name = dir + "/f-" + size;
            sh("cp " + q(src) + " " + q(inDrive(name)));
            assertEquals(size, Files.size(onServer(name)), "size on the server after cp of " + size + " B");
            String expected = sha256(src);
            assertEquals(expected, sha256(onServer(name)), "server copy of " + size + " B");
            Path back = local.resolve("out-" + size);
            sh("cp " + q(inDrive(name)) + " " + q(back));
            assertEquals(expected, sha256(back), "copy back of " + size + " B");
            Files.delete(src);
            Files.delete(back);
        }
    }

    @Test
    void makesMovesAndRemovesDirectories() throws Exception {
        String dir = folder("tree");
        sh("mkdir -p " + q(inDrive(dir + "/a/b/c")));
        assertTrue(Files.isDirectory(onServer(dir + "/a/b/c")));
        Files.writeString(local.resolve("note"), "note");
        sh("cp " + q(local.resolve("note")) + " " + q(inDrive(dir + "/a/b/c/note")));
        sh("mv " + q(inDrive(dir + "/a/b/c/note")) + " " + q(inDrive(dir + "/a/moved")));
        assertEquals("note", Files.readString(onServer(dir + "/a/moved")));
        assertFalse(Files.exists(onServer(dir + "/a/b/c/note")));
        sh("mv " + q(inDrive(dir + "/a")) + " " + q(inDrive(dir + "/z")));
        assertTrue(Files.isDirectory(onServer(dir + "/z/b/c")));
        assertFalse(Files.exists(onServer(dir + "/a")));
        assertEquals("note", Files.readString(inDrive(dir + "/z/moved")));
        sh("rm -r " + q(inDrive(dir + "/z")));
        assertFalse(Files.exists(onServer(dir + "/z")));
        assertEquals(List.of(), list(inDrive(dir)));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void longListingOfTenThousandEntriesShowsEveryNameAndSize() throws Exception {
        String dir = folder("many");
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < MANY; i++) {
            expected.put(manyName(i), (long) (i % 97));
        }
        Shell.Result ls = Shell.run(SHORT, "ls", "-l", inDrive(dir).toString()).requireSuccess();
        Map<String, Long> seen = new TreeMap<>();
        for (String line : ls.out().split("\n")) {
            if (line.startsWith("total") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            seen.put(f[f.length - 1], Long.parseLong(f[4]));
        }
        assertEquals(expected, seen);
    }

    @Test
    void readsAndWritesInTheMiddleOfAFile() throws Exception {
        String dir = folder("middle");
        byte[] original = Files.readAllBytes(local.resolve("middle-src"));

        // dd reading 4 KiB at a random offset
        long block = 517;
        Path piece = local.resolve("piece");
        sh("dd if=" + q(inDrive(dir + "/f")) + " of=" + q(piece) + " bs=4096 skip=" + block + " count=1 status=none");
        byte[] expected = java.util.Arrays.copyOfRange(original, (int) block * 4096, (int) block * 4096 + 4096);
        assertTrue(java.util.Arrays.equals(expected, Files.readAllBytes(piece)), "4 KiB read at block " + block);

        // dd conv=notrunc writing in the middle
        sh("printf 'MIDDLE' | dd of=" + q(inDrive(dir + "/f")) + " bs=1 seek=1000000 conv=notrunc status=none");
        byte[] changed = Files.readAllBytes(onServer(dir + "/f"));
        assertEquals(original.length, changed.length, "conv=notrunc keeps the size");
        System.arraycopy("MIDDLE".getBytes(), 0, original, 1_000_000, 6);
        assertTrue(java.util.Arrays.equals(original, changed), "server copy after the write in the middle");
    }

    @Test
    void truncatesAppendsAndSetsTimes() throws Exception {
        String dir = folder("meta");
        Files.writeString(local.resolve("t"), "0123456789");
        sh("cp " + q(local.resolve("t")) + " " + q(inDrive(dir + "/t")));
        sh("truncate -s 4 " + q(inDrive(dir + "/t")));
        assertEquals("0123", Files.readString(onServer(dir + "/t")));
        sh("truncate -s 6 " + q(inDrive(dir + "/t")));
        assertArrayEquals(new byte[] {'0', '1', '2', '3', 0, 0}, Files.readAllBytes(onServer(dir + "/t")));
        sh("truncate -s 0 " + q(inDrive(dir + "/t")));
        assertEquals(0, Files.size(onServer(dir + "/t")));

        sh("echo first > " + q(inDrive(dir + "/log")) + " && echo second >> " + q(inDrive(dir + "/log")));
        assertEquals("first\nsecond\n", Files.readString(onServer(dir + "/log")));

        sh("touch -d '2021-03-04 05:06:07 UTC' " + q(inDrive(dir + "/log")));
        long expected = Instant.parse("2021-03-04T05:06:07Z").getEpochSecond();
        Shell.Result stat = Shell.run(SHORT, "stat", "-c", "%Y", inDrive(dir + "/log").toString()).requireSuccess();
        assertEquals(expected, Long.parseLong(stat.out().trim()), "mtime seen through the drive");
        assertEquals(expected, Files.getLastModifiedTime(onServer(dir + "/log")).toInstant().getEpochSecond(),
                "mtime on the server");
    }

    @Test
    void unusualNamesWorkAndANewlineIsRefused() throws Exception {
        String dir = folder("names");
        Files.writeString(local.resolve("n"), "x");
        List<String> names = List.of("with space.txt", "-leading-dash", "héllo wörld ñ.txt", "日本語.txt");
        for (String name : names) {
            Shell.run(SHORT, "cp", "--", local.resolve("n").toString(), inDrive(dir + "/" + name).toString())
                    .requireSuccess();
            assertEquals("x", Files.readString(onServer(dir + "/" + name)), name);
        }
        assertEquals(names.stream().sorted().toList(), list(inDrive(dir)));

        Shell.Result bad = Shell.run(SHORT, "touch", inDrive(dir + "/bad\nname").toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("Invalid argument"), bad.err());
        assertEquals(names.stream().sorted().toList(), list(onServer(dir)), "nothing reached the server");
    }

    @Test
    void rsyncIntoTheDriveAndBackGivesIdenticalFiles() throws Exception {
        String dir = folder("rsync");
        Path tree = Files.createDirectories(local.resolve("tree"));
        for (int i = 0; i < 200; i++) {
            Path sub = Files.createDirectories(tree.resolve("d" + (i % 7)));
            Path f = sub.resolve("file-" + i + ".dat");
            byte[] data = new byte[(i * 997) % 20_000];
            new SplittableRandom(i).nextBytes(data);
            Files.write(f, data);
        }
        sh("rsync -a " + q(tree) + "/ " + q(inDrive(dir)) + "/");
        Path back = local.resolve("back");
        sh("rsync -a " + q(inDrive(dir)) + "/ " + q(back) + "/");
        Map<String, String> original = checksums(tree);
        assertEquals(200, original.size());
        assertEquals(original, checksums(onServer(dir)), "server copy");
        assertEquals(original, checksums(back), "copy back");
    }

    private static Map<String, String> checksums(Path root) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sums.put(root.relativize(f).toString(), sha256(f));
            }
        }
        return sums;
    }

    @Test
    void fourConcurrentCopiesFinishWithCorrectContent() throws Exception {
        String dir = folder("parallel");
        List<Path> sources = new ArrayList<>();
        List<Process> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path src = localFile("par-" + i, 24L * MIB + i, 100 + i);
            sources.add(src);
            copies.add(new ProcessBuilder("cp", src.toString(), inDrive(dir + "/p" + i).toString())
                    .redirectErrorStream(true).start());
        }
        for (Process p : copies) {
            assertTrue(p.waitFor(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "cp finished");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(sha256(sources.get(i)), sha256(onServer(dir + "/p" + i)), "copy " + i);
        }
        // and four concurrent reads back
        List<Process> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reads.add(new ProcessBuilder("cp", inDrive(dir + "/p" + i).toString(), local.resolve("r" + i).toString())
                    .redirectErrorStream(true).start());
        }
        for (Process p : reads) {
            assertTrue(p.waitFor(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "cp finished");
            assertEquals(0, p.exitValue());
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(sha256(sources.get(i)), sha256(local.resolve("r" + i)), "read " + i);
        }
    }
}
