package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.remote.TransientNetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The STOR stream against a scripted control connection (no real server can fail on cue). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StorOutputStreamTest {
    private static final Duration STALL = Duration.ofSeconds(30);

    @Test
    void afterAFailureFlushAndWriteReportThatFailureAgain() throws IOException {
        try (FakeTransfer t = FakeTransfer.start()) {
            StorOutputStream out = new StorOutputStream(t.lease, t.data, "STOR", "/f.bin", STALL);
            out.write(1);
            t.data.close(); // the data connection breaks under the stream
            t.server.push("426 Failure writing network stream.");

            TransientNetworkException failure = assertThrows(TransientNetworkException.class, out::flush);
            assertSame(failure, assertThrows(IOException.class, out::flush), "flush() after the failure");
            assertSame(failure, assertThrows(IOException.class, () -> out.write(2)), "write() after the failure");
            out.close();
            assertEquals(0, t.pool.liveSessions(), "the session of a failed upload is dropped");
        }
    }
}
