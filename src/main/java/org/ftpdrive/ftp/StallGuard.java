package org.ftpdrive.ftp;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking socket writes, which Java does not time out: a server that stops reading while
 * keeping the data connection open would otherwise block an upload forever. The guarded resource
 * is closed when one guarded step takes longer than the timeout, which makes the write fail.
 *
 * <p>The deadline is about progress, not about the size of a write: {@link #write} hands the
 * socket at most {@link #MAX_STEP} bytes per step, each step with its own deadline, so a large
 * write on a slow but moving connection is not cut off.
 */
final class StallGuard {
    /** The most bytes written under one deadline. */
    static final int MAX_STEP = 1 << 20;

    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final Duration timeout;
    private final Closeable resource;
    private final ScheduledExecutorService timer;
    private volatile boolean fired;

    StallGuard(Duration timeout, Closeable resource) {
        this(timeout, resource, TIMER);
    }

    StallGuard(Duration timeout, Closeable resource, ScheduledExecutorService timer) {
        this.timeout = timeout;
        this.resource = resource;
        this.timer = timer;
    }

    /** A timer thread for guards; cancelled alarms (nearly all of them) leave its queue at once. */
    static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "ftpdrive-stall-guard");
            thread.setDaemon(true);
            return thread;
        });
        // Without this, every write leaves its cancelled alarm queued for the whole timeout.
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    @FunctionalInterface
    interface Io {
        void run() throws IOException;
    }

    /** Runs one step; closes the resource if it has not finished within the timeout. */
    void run(Io io) throws IOException {
        ScheduledFuture<?> alarm = timer.schedule(this::fire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            io.run();
        } catch (IOException e) {
            if (fired) {
                throw new java.net.SocketTimeoutException("no progress for " + timeout.toSeconds() + " s");
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    /** Writes {@code len} bytes in steps of at most {@link #MAX_STEP}, each bounded by the timeout. */
    void write(OutputStream out, byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int end = off + len;
        for (int from = off; from < end; from += MAX_STEP) {
            int start = from;
            int n = Math.min(MAX_STEP, end - from);
            run(() -> out.write(b, start, n));
        }
    }

    private void fire() {
        fired = true;
        try {
            resource.close();
        } catch (IOException ignored) {
            // the blocked write fails either way
        }
    }
}
