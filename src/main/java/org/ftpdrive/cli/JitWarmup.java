package org.ftpdrive.cli;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.ftpdrive.fuse.DriveFuse;
import org.ftpdrive.ftp.ListingParser;
import org.ftpdrive.remote.RemoteEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.struct.FileStat;

/**
 * Runs the hot paths of a listing (LIST parsing, lookups answered from the cache) a few thousand
 * times right after mounting, in the background, so the JIT has compiled them before the first
 * {@code ls -l} of a large folder: interpreted, the first 10,000 lookups take seconds instead of
 * a fraction of one. Touches only memory and the drive's cache, never the server.
 */
final class JitWarmup {
    private static final Logger log = LoggerFactory.getLogger(JitWarmup.class);
    private static final int ROUNDS = 20_000;

    private JitWarmup() {}

    static void startInBackground(DriveFuse fs, List<RemoteEntry> rootEntries) {
        Thread t = new Thread(() -> run(fs, rootEntries), "ftpdrive-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run(DriveFuse fs, List<RemoteEntry> rootEntries) {
        long start = System.nanoTime();
        try {
            ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                lines.add(String.format("-rw-r--r--    1 1000     1000     %8d Nov 24 14:57 warm-%05d.txt", i * 7, i));
                lines.add(String.format("drwxr-xr-x    2 1000     1000         4096 Jan  1  2020 dir-%05d", i));
            }
            for (int i = 0; i < 3; i++) {
                parser.parseList(lines);
            }
            Pointer stat = Memory.allocateDirect(Runtime.getSystemRuntime(), 512);
            List<String> paths = new ArrayList<>(List.of("/"));
            rootEntries.stream().limit(8).forEach(e -> paths.add("/" + e.name()));
            for (int i = 0; i < ROUNDS; i++) {
                fs.getattr(paths.get(i % paths.size()), FileStat.of(stat));
            }
            log.debug("JIT warm-up done in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            log.debug("JIT warm-up stopped: {}", e.toString());
        }
    }
}
