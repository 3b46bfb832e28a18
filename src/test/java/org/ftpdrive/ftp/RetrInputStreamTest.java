package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.remote.TransientNetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The RETR stream against a scripted control connection (no real server can fail on cue). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetrInputStreamTest {

    @Test
    void aFailedFinalReplyIsThrownByEveryLaterReadNotTakenForTheEnd() throws IOException {
        try (FakeTransfer t = FakeTransfer.start()) {
            RetrInputStream in = new RetrInputStream(t.lease, t.data, "/f.bin");
            try (OutputStream out = t.peer.getOutputStream()) {
                out.write("abc".getBytes(StandardCharsets.UTF_8));
            }
            t.server.push("451 Local error in processing.");

            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), in.readNBytes(3));
            TransientNetworkException failure = assertThrows(TransientNetworkException.class, in::read);
            assertSame(failure, assertThrows(IOException.class, in::read), "read() after the failure");
            assertSame(failure, assertThrows(IOException.class, () -> in.read(new byte[8], 0, 8)));
            assertSame(failure, assertThrows(IOException.class, in::readAllBytes));
            in.close();
        }
    }
}
