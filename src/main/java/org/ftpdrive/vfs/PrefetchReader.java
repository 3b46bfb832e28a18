package org.ftpdrive.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;
import org.ftpdrive.remote.TransientNetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming reads of one open file: one live download (REST offset + RETR) whose bytes a background
 * fetcher keeps ahead of the reader, in a window of chunks keyed by offset.
 *
 * <p>The kernel's read-ahead requests arrive out of order from FUSE's threads. A request a little
 * ahead of what has arrived waits for the fetcher instead of restarting the download (the ordering
 * gate), and a request a little behind is served from the chunks kept behind the reader. Only a far
 * jump restarts the download at the new offset, so reading 4 KiB at the end of a large file
 * transfers little more than those 4 KiB.
 *
 * <p>Memory is bounded per reader: at most {@code ahead} bytes beyond the furthest request and
 * {@code behind} bytes before it. A fetcher whose window is full and whose reader has gone quiet
 * gives its connection back after {@code idleRelease} and the next read restarts the download.
 */
final class PrefetchReader {
    private static final Logger log = LoggerFactory.getLogger(PrefetchReader.class);
    private static final int CHUNK = 256 * 1024;
    private static final int RESTARTS_AFTER_FAILURE = 2;

    private final RemoteStore store;
    private final java.util.function.Supplier<RemotePath> pathSource;
    private final Executor fetchers;
    private final long ahead;
    private final long behind;
    private final Duration readTimeout;
    private final Duration idleRelease;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    // Everything below is guarded by lock.
    private final TreeMap<Long, Chunk> chunks = new TreeMap<>();
    private long windowStart;
    private long fetchedEnd;
    private long wantedEnd;
    private boolean eof;
    private IOException failure;
    private int failuresInARow;
    private int generation;
    private boolean fetching;
    private boolean closed;
    private int restarts;
    private long lastUsed;

    /** The reader was closed (the file was released or moved to a staging copy) before or during a read. */
    static final class ClosedException extends IOException {
        ClosedException(RemotePath path) {
            super("reader of " + path + " closed");
        }
    }

    /** Bytes of one chunk; those below {@code length} never change once published. */
    private static final class Chunk {
        final long offset;
        final byte[] data = new byte[CHUNK];
        int length;

        Chunk(long offset) {
            this.offset = offset;
        }

        long end() {
            return offset + length;
        }
    }

    PrefetchReader(RemoteStore store, RemotePath path, Executor fetchers, long ahead, long behind,
            Duration readTimeout, Duration idleRelease) {
        this(store, () -> path, fetchers, ahead, behind, readTimeout, idleRelease);
    }

    /** @param pathSource the file's current path (it may be renamed while open) */
    PrefetchReader(RemoteStore store, java.util.function.Supplier<RemotePath> pathSource, Executor fetchers,
            long ahead, long behind,
            Duration readTimeout, Duration idleRelease) {
        this.store = store;
        this.pathSource = pathSource;
        this.fetchers = fetchers;
        this.ahead = ahead;
        this.behind = behind;
        this.readTimeout = readTimeout;
        this.idleRelease = idleRelease;
    }

    /**
     * Reads up to {@code size} bytes at {@code offset}; fewer only at the end of the file.
     *
     * @return the number of bytes put into {@code sink}, 0 at or beyond the end
     */
    int read(long offset, int size, ReadSink sink) throws IOException {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        List<Segment> segments;
        lock.lock();
        try {
            lastUsed = System.nanoTime();
            wantedEnd = Math.max(wantedEnd, offset + size);
            long progressSeen = fetchedEnd;
            while (true) {
                if (fetchedEnd != progressSeen) {
                    // the deadline is for a stalled download, not a slow one that is catching up
                    progressSeen = fetchedEnd;
                    deadline = System.nanoTime() + readTimeout.toNanos();
                }
                if (closed) {
                    throw new ClosedException(pathSource.get());
                }
                boolean inWindow = offset >= windowStart && offset <= fetchedEnd;
                if (eof && offset >= fetchedEnd && offset >= windowStart) {
                    return 0;
                }
                if (inWindow && (fetchedEnd >= offset + size || eof)) {
                    segments = collect(offset, (int) Math.min(size, fetchedEnd - offset));
                    trimBehind(offset);
                    progress.signalAll();
                    break;
                }
                if (failure != null) {
                    IOException f = failure;
                    failure = null;
                    if (++failuresInARow > RESTARTS_AFTER_FAILURE) {
                        throw f;
                    }
                    log.debug("download of {} broke at {} ({}); resuming", pathSource.get(), fetchedEnd, f.toString());
                    restart(offset);
                    continue;
                }
                boolean reachable = offset >= windowStart && offset <= fetchedEnd + ahead;
                if (!reachable || !fetching) {
                    restart(offset);
                    continue;
                }
                progress.signalAll();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TransientNetworkException("no data from the server for " + pathSource.get() + " within "
                            + readTimeout.toSeconds() + " s");
                }
                progress.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + pathSource.get());
        } finally {
            lock.unlock();
        }
        // Outside the lock, so the fetcher keeps publishing while the kernel's buffer is filled:
        // published bytes never change, and chunk arrays are never reused.
        int copied = 0;
        for (Segment seg : segments) {
            sink.put(copied, seg.data(), seg.from(), seg.length());
            copied += seg.length();
        }
        return copied;
    }

    private record Segment(byte[] data, int from, int length) {}

    /**
     * Whether a read at {@code offset} would be served by this reader's window or its running
     * download, without restarting it.
     */
    boolean reaches(long offset) {
        lock.lock();
        try {
            if (closed || offset < windowStart) {
                return false;
            }
            return offset < fetchedEnd || (eof && offset == fetchedEnd) || (fetching && offset <= fetchedEnd + ahead);
        } finally {
            lock.unlock();
        }
    }

    /** When this reader last served a read (System.nanoTime), to pick one to restart. */
    long lastUsed() {
        lock.lock();
        try {
            return lastUsed;
        } finally {
            lock.unlock();
        }
    }

    /** How many times the download was (re)started, for tests and statistics. */
    int starts() {
        lock.lock();
        try {
            return restarts;
        } finally {
            lock.unlock();
        }
    }

    /** The published bytes of [offset, offset + length), chunk by chunk. Caller holds the lock. */
    private List<Segment> collect(long offset, int length) {
        List<Segment> segments = new ArrayList<>(2);
        int collected = 0;
        Map.Entry<Long, Chunk> entry = chunks.floorEntry(offset);
        while (collected < length && entry != null) {
            Chunk c = entry.getValue();
            long pos = offset + collected;
            int from = (int) (pos - c.offset);
            int n = Math.min(length - collected, c.length - from);
            if (n <= 0) {
                break;
            }
            segments.add(new Segment(c.data, from, n));
            collected += n;
            entry = chunks.higherEntry(c.offset);
        }
        return segments;
    }

    private void trimBehind(long readOffset) {
        long keepFrom = readOffset - behind;
        Iterator<Chunk> it = chunks.values().iterator();
        while (it.hasNext()) {
            Chunk c = it.next();
            if (c.end() > keepFrom || c.end() >= fetchedEnd) {
                break;
            }
            it.remove();
            windowStart = c.end();
        }
    }

    private void restart(long offset) {
        generation++;
        restarts++;
        chunks.clear();
        windowStart = offset;
        fetchedEnd = offset;
        wantedEnd = offset;
        eof = false;
        failure = null;
        fetching = true;
        int gen = generation;
        progress.signalAll();
        fetchers.execute(() -> fetch(gen, offset));
    }

    private void fetch(int gen, long offset) {
        InputStream in = null;
        try {
            in = store.openRead(pathSource.get(), offset);
            long pos = offset;
            while (true) {
                Chunk chunk;
                lock.lock();
                try {
                    if (!waitForRoom(gen, pos)) {
                        return;
                    }
                    chunk = new Chunk(pos);
                    chunks.put(pos, chunk);
                } finally {
                    lock.unlock();
                }
                while (chunk.length < CHUNK) {
                    int n = in.read(chunk.data, chunk.length, CHUNK - chunk.length);
                    lock.lock();
                    try {
                        if (gen != generation || closed) {
                            return;
                        }
                        if (n < 0) {
                            eof = true;
                            progress.signalAll();
                            return;
                        }
                        chunk.length += n;
                        fetchedEnd = chunk.end();
                        failuresInARow = 0;
                        progress.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                pos = chunk.end();
            }
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                if (gen == generation && !closed) {
                    failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    progress.signalAll();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            closeQuietly(in);
            lock.lock();
            try {
                if (gen == generation) {
                    fetching = false;
                    progress.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits while the window is full. Returns false when this fetcher should stop: superseded,
     * closed, or idle long enough to give its connection back.
     */
    private boolean waitForRoom(int gen, long pos) {
        long idleSince = System.nanoTime();
        long seenWanted = wantedEnd;
        while (gen == generation && !closed && pos >= wantedEnd + ahead) {
            if (wantedEnd != seenWanted) {
                seenWanted = wantedEnd;
                idleSince = System.nanoTime();
            }
            long left = idleRelease.toNanos() - (System.nanoTime() - idleSince);
            if (left <= 0) {
                log.debug("reader of {} idle: giving the connection back at {}", pathSource.get(), pos);
                return false;
            }
            try {
                progress.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return gen == generation && !closed;
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a download: {}", e.toString());
        }
    }

    /** Stops the download; the fetcher cancels the transfer and gives its connection back. */
    void close() {
        lock.lock();
        try {
            closed = true;
            generation++;
            chunks.clear();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
