package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool's rules, with sessions that need no network (the network adds nothing to these). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionPoolTest {
    static final class FakeSession implements PooledSession {
        final int id;
        boolean broken;
        boolean dead;
        boolean closed;
        int checks;
        RuntimeException checkBug;

        FakeSession(int id) {
            this.id = id;
        }

        @Override
        public boolean isBroken() {
            return broken;
        }

        @Override
        public void checkAlive() throws IOException {
            checks++;
            if (checkBug != null) {
                throw checkBug;
            }
            if (dead) {
                throw new IOException("connection reset");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final AtomicInteger opened = new AtomicInteger();
    private final List<FakeSession> sessions = new ArrayList<>();

    private SessionPool<FakeSession> pool(int size, Duration borrowTimeout, Duration checkAfter,
            SessionPool.Opener<FakeSession> opener) {
        return new SessionPool<>(opener, size, borrowTimeout, checkAfter, Duration.ofMinutes(5), "test-server");
    }

    private FakeSession openFake() {
        FakeSession s = new FakeSession(opened.incrementAndGet());
        synchronized (sessions) {
            sessions.add(s);
        }
        return s;
    }

    @Test
    void reusesReturnedSessionsAndDropsBrokenOnes() throws IOException {
        try (SessionPool<FakeSession> pool = pool(2, Duration.ofSeconds(1), Duration.ofMinutes(1), this::openFake)) {
            FakeSession first;
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                first = lease.session();
            }
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                assertSame(first, lease.session());
                lease.session().broken = true;
            }
            assertTrue(first.closed, "a broken session is closed on return");
            assertEquals(0, pool.liveSessions());
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                assertNotSame(first, lease.session());
                lease.discard();
            }
            assertEquals(0, pool.liveSessions());
            assertEquals(2, opened.get());
        }
    }

    @Test
    void exhaustionFailsAfterTheBorrowTimeoutWithAClearMessage() throws IOException {
        try (SessionPool<FakeSession> pool = pool(2, Duration.ofMillis(300), Duration.ofMinutes(1), this::openFake)) {
            SessionPool<FakeSession>.Lease a = pool.borrow();
            SessionPool<FakeSession>.Lease b = pool.borrow();
            long start = System.nanoTime();
            PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::borrow);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= 250, "waited " + waitedMs);
            assertTrue(e.getMessage().startsWith("all 2 connections to test-server are busy"), e.getMessage());
            a.close();
            try (SessionPool<FakeSession>.Lease c = pool.borrow()) {
                assertSame(a.session(), c.session());
            }
            b.close();
        }
    }

    @Test
    void transfersLeaveOneSessionForListings() throws Exception {
        try (SessionPool<FakeSession> pool = pool(4, Duration.ofMillis(300), Duration.ofMinutes(1), this::openFake)) {
            List<SessionPool<FakeSession>.Lease> streaming = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                streaming.add(pool.borrowForTransfer());
            }
            PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::borrowForTransfer);
            assertTrue(e.getMessage().contains("one is kept for listings"), e.getMessage());
            try (SessionPool<FakeSession>.Lease listing = pool.borrow()) {
                assertEquals(4, pool.liveSessions(), "the fourth session serves the listing");
            }
            // A transfer that waits gets the session of the next transfer that ends, not the listing's.
            CompletableFuture<FakeSession> waiting = CompletableFuture.supplyAsync(() -> {
                try (SessionPool<FakeSession>.Lease lease = pool.borrowForTransfer()) {
                    return lease.session();
                } catch (IOException ex) {
                    throw new RuntimeException(ex);
                }
            });
            streaming.get(0).close();
            waiting.get(5, TimeUnit.SECONDS);
            for (SessionPool<FakeSession>.Lease l : streaming) {
                l.close();
            }
            assertEquals(4, pool.liveSessions(), "nothing leaked: every session is idle in the pool");
        }
    }

    @Test
    void aQueuedTransferWaitsWhileOthersMoveAndFailsWhenNoneDoes() throws Exception {
        try (SessionPool<FakeSession> pool = pool(4, Duration.ofSeconds(1), Duration.ofMinutes(1), this::openFake)) {
            List<SessionPool<FakeSession>.Lease> streaming = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                streaming.add(pool.borrowForTransfer());
            }
            CompletableFuture<SessionPool<FakeSession>.Lease> queued = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.borrowForTransfer();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // Bytes move for 3 s, three times the borrow timeout: the queued transfer keeps waiting.
            for (int i = 0; i < 30; i++) {
                Thread.sleep(100);
                streaming.get(0).progressed();
            }
            assertTrue(!queued.isDone(), "still queued while the others move");
            streaming.get(0).close();
            SessionPool<FakeSession>.Lease next = queued.get(5, TimeUnit.SECONDS);
            assertSame(streaming.get(0).session(), next.session(), "it got the session of the transfer that ended");

            // Now nothing moves: a further transfer gives up after the borrow timeout.
            Thread.sleep(1100);
            PoolExhaustedException e = assertThrows(PoolExhaustedException.class, pool::borrowForTransfer);
            assertTrue(e.getMessage().contains("no transfer has moved for"), e.getMessage());
            next.close();
            streaming.get(1).close();
            streaming.get(2).close();
        }
    }

    @Test
    void transfersStartingTogetherStillLeaveOneSession() throws Exception {
        // Opening a session releases the pool's lock: transfers deciding meanwhile must see each other.
        SessionPool.Opener<FakeSession> slow = () -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return openFake();
        };
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
        try (SessionPool<FakeSession> pool = pool(4, Duration.ofMillis(500), Duration.ofMinutes(1), slow)) {
            List<CompletableFuture<SessionPool<FakeSession>.Lease>> starts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                starts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return pool.borrowForTransfer();
                    } catch (IOException e) {
                        return null;
                    }
                }, threads));
            }
            List<SessionPool<FakeSession>.Lease> got = new ArrayList<>();
            for (CompletableFuture<SessionPool<FakeSession>.Lease> f : starts) {
                SessionPool<FakeSession>.Lease lease = f.get(5, TimeUnit.SECONDS);
                if (lease != null) {
                    got.add(lease);
                }
            }
            assertEquals(3, got.size(), "three transfers at once; the others waited and gave up");
            try (SessionPool<FakeSession>.Lease listing = pool.borrow()) {
                assertEquals(4, pool.liveSessions());
            }
            got.forEach(SessionPool.Lease::close);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void withTwoSessionsTransfersMayUseBoth() throws IOException {
        // Copying a file within the drive reads and writes at once: with two sessions both must be usable.
        try (SessionPool<FakeSession> pool = pool(2, Duration.ofMillis(300), Duration.ofMinutes(1), this::openFake)) {
            SessionPool<FakeSession>.Lease read = pool.borrowForTransfer();
            SessionPool<FakeSession>.Lease write = pool.borrowForTransfer();
            assertNotSame(read.session(), write.session());
            read.close();
            write.close();
        }
    }

    @Test
    void waitingBorrowerGetsTheNextReturnedSession() throws Exception {
        try (SessionPool<FakeSession> pool = pool(1, Duration.ofSeconds(10), Duration.ofMinutes(1), this::openFake)) {
            SessionPool<FakeSession>.Lease held = pool.borrow();
            CompletableFuture<FakeSession> waiter = CompletableFuture.supplyAsync(() -> {
                try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                    return lease.session();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(100);
            assertTrue(!waiter.isDone(), "the second borrower waits");
            held.close();
            assertSame(held.session(), waiter.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void idleSessionsAreCheckedAndDeadOnesReplaced() throws IOException {
        try (SessionPool<FakeSession> pool = pool(2, Duration.ofSeconds(1), Duration.ZERO, this::openFake)) {
            FakeSession first;
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                first = lease.session();
            }
            first.dead = true;
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                assertNotSame(first, lease.session());
            }
            assertEquals(1, first.checks);
            assertTrue(first.closed);
            assertEquals(1, pool.liveSessions());
        }
    }

    @Test
    void tooManyConnectionsLowersTheLimitInsteadOfFailing() throws Exception {
        SessionPool.Opener<FakeSession> capped = () -> {
            synchronized (sessions) {
                if (sessions.stream().filter(s -> !s.closed).count() >= 2) {
                    throw new TooManyConnectionsException("421 There are too many connections from your internet address.");
                }
            }
            return openFake();
        };
        try (SessionPool<FakeSession> pool = pool(4, Duration.ofSeconds(5), Duration.ofMinutes(1), capped)) {
            SessionPool<FakeSession>.Lease a = pool.borrow();
            SessionPool<FakeSession>.Lease b = pool.borrow();
            CompletableFuture<FakeSession> third = CompletableFuture.supplyAsync(() -> {
                try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                    return lease.session();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            assertEquals(2, pool.limit());
            a.close();
            assertSame(a.session(), third.get(5, TimeUnit.SECONDS));
            b.close();
        }
    }

    @Test
    void aLoweredLimitIsTriedAgainLater() throws Exception {
        AtomicInteger serverAllows = new AtomicInteger(1);
        SessionPool.Opener<FakeSession> capped = () -> {
            synchronized (sessions) {
                if (sessions.stream().filter(s -> !s.closed).count() >= serverAllows.get()) {
                    throw new TooManyConnectionsException("421 Too many connections");
                }
            }
            return openFake();
        };
        try (SessionPool<FakeSession> pool = pool(3, Duration.ofSeconds(5), Duration.ofMinutes(1), capped)) {
            pool.limitRecheck(Duration.ofMillis(300));
            SessionPool<FakeSession>.Lease a = pool.borrow();
            CompletableFuture<FakeSession> second = CompletableFuture.supplyAsync(() -> {
                try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                    return lease.session();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pool.limit() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, pool.limit(), "lowered to what the server took");
            // The server now takes more (it refused two at once, not two at all). The waiting
            // borrower tries one more once the recheck time has passed, and gets it.
            serverAllows.set(3);
            FakeSession got = second.get(5, TimeUnit.SECONDS);
            assertNotSame(a.session(), got, "a second session, opened without waiting for the first");
            assertEquals(2, pool.limit());
            a.close();
        }
    }

    @Test
    void tooManyConnectionsWithNoSessionAtAllFails() {
        SessionPool.Opener<FakeSession> refusing = () -> {
            throw new TooManyConnectionsException("421 Too many users");
        };
        try (SessionPool<FakeSession> pool = pool(4, Duration.ofSeconds(1), Duration.ofMinutes(1), refusing)) {
            assertThrows(TooManyConnectionsException.class, pool::borrow);
            assertEquals(0, pool.liveSessions());
        }
    }

    @Test
    void closeQuitsIdleSessionsAndLaterReturns() throws IOException {
        SessionPool<FakeSession> pool = pool(2, Duration.ofSeconds(1), Duration.ofMinutes(1), this::openFake);
        SessionPool<FakeSession>.Lease a = pool.borrow();
        SessionPool<FakeSession>.Lease b = pool.borrow();
        b.close();
        pool.close();
        assertTrue(b.session().closed);
        assertTrue(!a.session().closed);
        a.close();
        assertTrue(a.session().closed, "a session returned after close is closed");
        assertEquals(0, pool.liveSessions(), "every session is accounted for after close");
        assertThrows(IOException.class, pool::borrow);
    }

    @Test
    void anOpenerThrowingAnUncheckedExceptionGivesItsSlotBack() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        SessionPool.Opener<FakeSession> buggyOnce = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("bug in the opener");
            }
            return openFake();
        };
        try (SessionPool<FakeSession> pool = pool(1, Duration.ofMillis(200), Duration.ofMinutes(1), buggyOnce)) {
            assertThrows(IllegalStateException.class, pool::borrow);
            assertEquals(0, pool.liveSessions());
            // With the slot leaked, this borrow would wait for a session that never comes back.
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                assertEquals(1, lease.session().id);
                assertEquals(1, pool.liveSessions());
            }
        }
    }

    @Test
    void aCheckThrowingAnUncheckedExceptionClosesTheSessionAndGivesItsSlotBack() throws IOException {
        try (SessionPool<FakeSession> pool = pool(1, Duration.ofMillis(200), Duration.ZERO, this::openFake)) {
            FakeSession first;
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                first = lease.session();
            }
            first.checkBug = new IllegalStateException("bug in the check");
            assertThrows(IllegalStateException.class, pool::borrow);
            assertTrue(first.closed, "the session whose check failed is closed");
            assertEquals(0, pool.liveSessions());
            try (SessionPool<FakeSession>.Lease lease = pool.borrow()) {
                assertNotSame(first, lease.session());
            }
        }
    }
}
