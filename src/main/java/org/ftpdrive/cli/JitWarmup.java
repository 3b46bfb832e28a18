package org.ftpdrive.cli;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import org.ftpdrive.cache.CachingRemoteStore;
import org.ftpdrive.config.MountSettings;
import org.ftpdrive.fuse.DriveFuse;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;
import org.ftpdrive.vfs.Drive;
import org.ftpdrive.ftp.ListingParser;
import org.ftpdrive.remote.RemoteEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Runs the hot paths of a listing (LIST parsing, lookups answered from the cache) a few thousand
 * times right after mounting, in the background, so the JIT has compiled them before the first
 * {@code ls -l} of a large folder: interpreted, the first 10,000 lookups take seconds instead of
 * a fraction of one. It runs on a drive of its own over a store in memory: never the server.
 */
final class JitWarmup {
    private static final Logger log = LoggerFactory.getLogger(JitWarmup.class);
    private static final int ROUNDS = 20_000;
    private static final long READ_BYTES = 96L << 20;
    private static final int REQUEST = 128 * 1024;

    private JitWarmup() {}

    static void startInBackground(MountSettings settings) {
        Thread t = new Thread(() -> run(settings), "ftpdrive-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Two names, always there: all the warm-up needs of a store. */
    private static final class InMemoryStore implements RemoteStore {
        private final List<RemoteEntry> entries = List.of(RemoteEntry.file("a.txt", READ_BYTES, Instant.EPOCH),
                RemoteEntry.directory("d", Instant.EPOCH));

        @Override
        public List<RemoteEntry> list(RemotePath dir) {
            return entries;
        }

        @Override
        public RemoteEntry stat(RemotePath path) {
            return path.name().equals("a.txt") ? entries.get(0) : RemoteEntry.directory(path.name(), Instant.EPOCH);
        }

        @Override
        public InputStream openRead(RemotePath path, long offset) {
            return new InputStream() {
                private long left = READ_BYTES - offset;

                @Override
                public int read() {
                    return left-- > 0 ? 0 : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, Math.min(left, 64 * 1024));
                    left -= n;
                    return n;
                }
            };
        }

        @Override
        public OutputStream openWrite(RemotePath path, boolean append) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void mkdir(RemotePath dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rmdir(RemotePath dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(RemotePath file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rename(RemotePath from, RemotePath to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setModTime(RemotePath path, Instant modified) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void chmod(RemotePath path, int mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static void run(MountSettings settings) {
        long start = System.nanoTime();
        try (Drive drive = new Drive(new CachingRemoteStore(new InMemoryStore(), Duration.ofHours(1)), null,
                Drive.Options.defaults())) {
            ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                lines.add(String.format("-rw-r--r--    1 1000     1000     %8d Nov 24 14:57 warm-%05d.txt", i * 7, i));
                lines.add(String.format("drwxr-xr-x    2 1000     1000         4096 Jan  1  2020 dir-%05d", i));
            }
            for (int i = 0; i < 3; i++) {
                parser.parseList(lines);
            }
            DriveFuse fs = new DriveFuse(drive, settings);
            Pointer stat = Memory.allocateDirect(Runtime.getSystemRuntime(), 512);
            List<String> paths = List.of("/", "/a.txt", "/d", "/d/a.txt");
            for (int i = 0; i < ROUNDS; i++) {
                fs.getattr(paths.get(i % paths.size()), FileStat.of(stat));
            }
            // and the read path: open, 128 KiB requests through the prefetching reader, release
            Pointer fileInfo = Memory.allocateDirect(Runtime.getSystemRuntime(), 64);
            Pointer buffer = Memory.allocateDirect(Runtime.getSystemRuntime(), REQUEST);
            for (int pass = 0; pass < 2; pass++) {
                FuseFileInfo fi = FuseFileInfo.of(fileInfo);
                fileInfo.putInt(0, 0); // O_RDONLY
                if (fs.open("/a.txt", fi) != 0) {
                    break;
                }
                for (long off = 0; off < READ_BYTES; off += REQUEST) {
                    fs.read("/a.txt", buffer, REQUEST, off, fi);
                }
                fs.release("/a.txt", fi);
            }
            log.debug("JIT warm-up done in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            log.debug("JIT warm-up stopped: {}", e.toString());
        }
    }
}
