package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.ftpdrive.ftp.SessionPoolTest.FakeSession;
import org.junit.jupiter.api.Test;

/** The lease of a transfer goes to its stream only once the stream exists. */
class TransferHandOffTest {
    private static SessionPool<FakeSession> pool() {
        return new SessionPool<>(() -> new FakeSession(1), 1, Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofMinutes(5), "test-server");
    }

    @Test
    void aStreamThatCannotBeMadeLeavesTheLeaseWithTheCallerAndTheSessionDiscarded() throws IOException {
        try (SessionPool<FakeSession> pool = pool()) {
            SessionPool<FakeSession>.Lease lease = pool.borrow();
            Socket data = new Socket();
            IllegalStateException bug = new IllegalStateException("the stream's constructor failed");
            assertSame(bug, assertThrows(IllegalStateException.class,
                    () -> FtpRemoteStore.handOff(lease, data, () -> {
                        throw bug;
                    })));
            assertFalse(lease.isHandedOff(), "the caller still owns the lease, so it closes it");
            assertTrue(data.isClosed(), "the transfer's data socket is closed");
            lease.close();
            assertTrue(lease.session().closed, "the session, left mid-transfer, is not pooled again");
            assertEquals(0, pool.liveSessions());
        }
    }

    @Test
    void aStreamThatWasMadeOwnsTheLease() throws IOException {
        try (SessionPool<FakeSession> pool = pool()) {
            SessionPool<FakeSession>.Lease lease = pool.borrow();
            Object stream = new Object();
            assertSame(stream, FtpRemoteStore.handOff(lease, new Socket(), () -> stream));
            assertTrue(lease.isHandedOff());
            assertFalse(lease.isDiscarded());
            lease.close();
        }
    }
}
