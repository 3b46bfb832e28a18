package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
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

    @Test
    void whenClosingTheDataSocketFailsTheFinalReplyIsStillReadBeforeTheSessionIsReused() throws IOException {
        Socket data = new Socket() {
            @Override
            public synchronized void close() throws IOException {
                super.close();
                throw new IOException("close failed");
            }
        };
        try (FakeTransfer t = FakeTransfer.start(data)) {
            StorOutputStream out = new StorOutputStream(t.lease, data, "STOR", "/f.bin", STALL);
            out.write("abc".getBytes(StandardCharsets.UTF_8));
            t.server.push("226 Transfer complete.");
            t.server.reply("MKD", "550 Create directory operation failed.");

            out.close(); // the server confirmed the whole upload: nothing failed
            try (SessionPool<FtpSession>.Lease next = t.pool.borrow()) {
                // Out of step, MKD would read the upload's 226 and seem to succeed.
                assertThrows(FileSystemException.class, () -> next.session().mkdir("/d"));
            }
        }
    }
}
