package org.ftpdrive.ftp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ftpdrive.remote.TransientNetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of sessions to one server.
 *
 * <ul>
 *   <li>{@link #borrow()} waits at most the borrow timeout, then says that all N sessions are busy.
 *   <li>Transfers ({@link #borrowForTransfer()}: a file being read or written, which may hold its
 *       session for minutes) leave one session free whenever the limit is at least {@value
 *       #MIN_LIMIT_TO_RESERVE}, so listings and stat keep working while files stream: a file
 *       manager browses on while it copies.
 *   <li>A transfer waiting for a session waits as long as other transfers move (see {@link
 *       Lease#progressed()}): it queues behind them, and fails only when none has moved for the
 *       borrow timeout.
 *   <li>A session idle for longer than the check interval gets a NOOP before it is handed out.
 *   <li>Broken or discarded sessions are closed, never handed out again.
 *   <li>Idle sessions are closed after the idle timeout, so the server is not held for nothing.
 *   <li>When the server answers 421 "too many connections", the pool lowers its limit to the number
 *       of sessions it already has and waits for one of them instead of failing. A minute later it
 *       tries one more again, when it needs it: a server may refuse connections that arrive
 *       together although it would accept them one by one.
 * </ul>
 *
 * Sessions are opened and closed outside the lock; the lock guards only the counters and the idle
 * deque.
 */
public final class SessionPool<S extends PooledSession> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionPool.class);

    /** Opens one new session. */
    @FunctionalInterface
    public interface Opener<S> {
        S open() throws IOException;
    }

    private record Idle<S>(S session, long sinceNanos) {}

    /**
     * Below this limit no session is kept from transfers: with two, copying a file within the
     * drive needs both (one reads, one writes), which matters more than a listing's wait.
     */
    static final int MIN_LIMIT_TO_RESERVE = 3;

    private final Opener<S> opener;
    private final int maxSize;
    private final Duration borrowTimeout;
    private final Duration checkAfterIdle;
    private final Duration closeAfterIdle;
    private final String serverName;
    private final ScheduledExecutorService reaper;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock: idle sessions, most recently used first. */
    private final Deque<Idle<S>> idle = new ArrayDeque<>();
    /** Guarded by lock: sessions that exist or are being opened (idle + borrowed + opening). */
    private int live;
    /** Guarded by lock: the most sessions the server accepts from us, learnt from 421 replies. */
    private int limit;
    /** Guarded by lock: System.nanoTime() when {@link #limit} last changed. */
    private long limitChangedAt;
    /** Guarded by lock: the lowest limit warned about, so a recheck that fails again stays quiet. */
    private int lowestLearnt = Integer.MAX_VALUE;
    /** How long a lowered limit holds before one more session is tried. */
    private Duration limitRecheck = Duration.ofMinutes(1);
    /** Guarded by lock: leases borrowed for transfers and not yet given back. */
    private int transfers;
    /** System.nanoTime() of the last sign of life of any transfer (bytes moved, started, ended). */
    private volatile long lastTransferProgress = System.nanoTime();
    /** Guarded by lock. */
    private boolean closed;

    public SessionPool(Opener<S> opener, int maxSize, Duration borrowTimeout, Duration checkAfterIdle,
            Duration closeAfterIdle, String serverName) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
        this.opener = opener;
        this.maxSize = maxSize;
        this.limit = maxSize;
        this.borrowTimeout = borrowTimeout;
        this.checkAfterIdle = checkAfterIdle;
        this.closeAfterIdle = closeAfterIdle;
        this.serverName = serverName;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ftpdrive-pool-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, closeAfterIdle.toMillis() / 2);
        reaper.scheduleWithFixedDelay(this::closeIdleSessions, period, period, TimeUnit.MILLISECONDS);
    }

    /** A borrowed session; closing the lease gives it back (or drops it when it is broken). */
    public final class Lease implements AutoCloseable {
        private final S session;
        private final boolean reused;
        private final boolean transfer;
        private boolean discard;
        private boolean released;
        private boolean handedOff;

        private Lease(S session, boolean reused, boolean transfer) {
            this.session = session;
            this.reused = reused;
            this.transfer = transfer;
        }

        public S session() {
            return session;
        }

        /**
         * True when the session sat in the pool before this lease: the server or the network may
         * have dropped it meanwhile, so a transport failure on it says little about the operation.
         */
        public boolean reused() {
            return reused;
        }

        /** The session must not be reused (its state is unknown); it is closed on release. */
        public void discard() {
            discard = true;
        }

        public boolean isDiscarded() {
            return discard;
        }

        /** A transfer moved bytes: transfers queued behind it keep waiting instead of failing. */
        public void progressed() {
            if (transfer) {
                lastTransferProgress = System.nanoTime();
            }
        }

        /** Another owner (a transfer stream) will close this lease; see {@link #isHandedOff()}. */
        public void handOff() {
            handedOff = true;
        }

        public boolean isHandedOff() {
            return handedOff;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            release(session, discard || session.isBroken(), transfer);
        }
    }

    /** A session for a short command or a listing. */
    public Lease borrow() throws IOException {
        return borrow(false);
    }

    /** A session for a file transfer, which may hold it long: never the last one (see the class comment). */
    public Lease borrowForTransfer() throws IOException {
        return borrow(true);
    }

    private Lease borrow(boolean transfer) throws IOException {
        long deadline = System.nanoTime() + borrowTimeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new TransientNetworkException("the connection pool to " + serverName + " is closed");
                }
                boolean mayTake = !transfer || limit < MIN_LIMIT_TO_RESERVE || transfers < limit - 1;
                // Until a lowered limit may be tried one higher again (only meaningful below maxSize).
                long recheckIn = limitChangedAt + limitRecheck.toNanos() - System.nanoTime();
                if (mayTake && idle.isEmpty() && live >= limit && limit < maxSize && recheckIn <= 0) {
                    limit++;
                    limitChangedAt = System.nanoTime();
                    log.info("trying {} connection(s) to {} again", limit, serverName);
                }
                if (mayTake && (!idle.isEmpty() || live < limit)) {
                    Lease lease = takeOrOpen(transfer);
                    if (lease != null) {
                        return lease;
                    }
                    continue;
                }
                long remaining = deadline - System.nanoTime();
                if (transfer && transfers > 0) {
                    // Queued behind transfers that are moving: wait while they move.
                    remaining = Math.max(remaining, lastTransferProgress + borrowTimeout.toNanos() - System.nanoTime());
                }
                if (remaining <= 0) {
                    throw new PoolExhaustedException(exhausted(transfer, mayTake));
                }
                if (mayTake && limit < maxSize && recheckIn > 0) {
                    remaining = Math.min(remaining, recheckIn); // wakes up to try one more session
                }
                changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientNetworkException("interrupted while waiting for a connection to " + serverName, e);
        } finally {
            lock.unlock();
        }
    }

    /** Why a borrower gives up. Called with the lock held. */
    private String exhausted(boolean transfer, boolean mayTake) {
        String wait = transfer && transfers > 0
                ? "and no transfer has moved for " + borrowTimeout.toSeconds() + " s"
                : "(waited " + borrowTimeout.toSeconds() + " s)";
        String what = mayTake ? "all " + limit + " connections to " + serverName + " are busy "
                : "the " + (limit - 1) + " of " + limit + " connections to " + serverName + " that transfers may use "
                        + "are busy (one is kept for listings) ";
        return what + wait + "; try again when transfers finish, or raise --connections if the server allows more";
    }

    /**
     * Hands out an idle session or opens one; null when the idle one was dead or the server
     * refused another connection (the caller looks again). Called with the lock held, which
     * {@link #checkedOrNull} and {@link #openOutsideLock} release meanwhile: a transfer counts
     * from the start, so that others deciding meanwhile see it.
     */
    private Lease takeOrOpen(boolean transfer) throws IOException {
        if (transfer) {
            transfers++;
            lastTransferProgress = System.nanoTime();
        }
        Lease lease = null;
        try {
            Idle<S> candidate = idle.pollFirst();
            if (candidate != null) {
                S checked = checkedOrNull(candidate);
                lease = checked == null ? null : new Lease(checked, true, transfer);
            } else {
                live++;
                S opened = openOutsideLock();
                lease = opened == null ? null : new Lease(opened, false, transfer);
            }
            return lease;
        } finally {
            if (lease == null && transfer) {
                transfers--;
                changed.signalAll();
            }
        }
    }

    /**
     * NOOPs a session that sat idle for a while; returns null (and forgets it) when it is dead.
     * Called with the lock held; releases it around the check. Whatever happens, a session that is
     * not handed out gives its slot back.
     */
    private S checkedOrNull(Idle<S> candidate) {
        S session = candidate.session();
        boolean stale = System.nanoTime() - candidate.sinceNanos() > checkAfterIdle.toNanos();
        if (!stale && !session.isBroken()) {
            return session;
        }
        boolean alive = false;
        lock.unlock();
        try {
            if (!session.isBroken()) {
                session.checkAlive();
                alive = true;
            }
        } catch (IOException e) {
            log.debug("idle session to {} is dead ({}); replacing it", serverName, e.getMessage());
        } finally {
            lock.lock();
            if (!alive) {
                live--;
                changed.signalAll();
                closeOutsideLock(session);
            }
        }
        return alive ? session : null;
    }

    /**
     * Opens a session with the lock released; a slot was reserved in {@code live}. Any failure,
     * checked or not, gives the slot back.
     */
    private S openOutsideLock() throws IOException {
        lock.unlock();
        S session = null;
        IOException failure = null;
        try {
            session = opener.open();
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.lock();
            if (session == null) {
                live--;
                changed.signalAll();
            }
        }
        if (session != null) {
            return session;
        }
        if (failure == null) {
            throw new IOException("the session opener for " + serverName + " returned no session");
        }
        if (failure instanceof TooManyConnectionsException && live > 0) {
            if (live < limit) {
                if (live < lowestLearnt) {
                    log.warn("{} allows only {} connection(s) from here ({}); using {}", serverName, live,
                            failure.getMessage(), live);
                    lowestLearnt = live;
                } else {
                    log.debug("{} still allows only {} connection(s) from here", serverName, live);
                }
                limit = live;
                limitChangedAt = System.nanoTime();
            }
            return null;
        }
        throw failure;
    }

    private void release(S session, boolean drop, boolean transfer) {
        boolean close;
        lock.lock();
        try {
            if (transfer) {
                transfers--;
                lastTransferProgress = System.nanoTime();
            }
            close = drop || closed;
            if (close) {
                live--;
            } else {
                idle.addFirst(new Idle<>(session, System.nanoTime()));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (close) {
            session.close();
        }
    }

    private void closeIdleSessions() {
        List<S> expired = new ArrayList<>();
        lock.lock();
        try {
            long now = System.nanoTime();
            idle.removeIf(i -> {
                if (now - i.sinceNanos() > closeAfterIdle.toNanos()) {
                    expired.add(i.session());
                    return true;
                }
                return false;
            });
            live -= expired.size();
            if (!expired.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        expired.forEach(S::close);
    }

    private void closeOutsideLock(S session) {
        lock.unlock();
        try {
            session.close();
        } finally {
            lock.lock();
        }
    }

    /** For tests: how long a lowered limit holds before one more session is tried (default 1 min). */
    void limitRecheck(Duration after) {
        lock.lock();
        try {
            limitRecheck = after;
        } finally {
            lock.unlock();
        }
    }

    /** The most sessions the pool will open now (lowered after 421 replies). */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    public int maxSize() {
        return maxSize;
    }

    /** Sessions that are open now, idle or borrowed. */
    public int liveSessions() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Closes idle sessions now (QUIT); borrowed ones are closed when they come back. */
    @Override
    public void close() {
        List<S> toClose = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Idle<S> i : idle) {
                toClose.add(i.session());
            }
            live -= idle.size();
            idle.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        reaper.shutdownNow();
        toClose.forEach(S::close);
    }
}
