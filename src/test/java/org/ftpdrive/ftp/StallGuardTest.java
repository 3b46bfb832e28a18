package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StallGuardTest {
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aWriteToAPeerThatNeverReadsFailsAfterTheTimeout() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
                Socket client = new Socket(loopback, server.getLocalPort());
                Socket silent = server.accept()) {
            StallGuard guard = new StallGuard(Duration.ofMillis(300), client);
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[1 << 20];
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> {
                // socket buffers fill within a few MiB; then the write blocks until the guard fires
                for (int i = 0; i < 1024; i++) {
                    guard.run(() -> out.write(chunk));
                }
            });
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 10_000, "took " + ms + " ms");
            assertTrue(silent.isConnected());
        }
    }

    @Test
    void fastWritesAreUntouched() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
                Socket client = new Socket(loopback, server.getLocalPort());
                Socket reader = server.accept()) {
            StallGuard guard = new StallGuard(Duration.ofMillis(200), client);
            for (int i = 0; i < 100; i++) {
                guard.run(() -> client.getOutputStream().write(new byte[100]));
                reader.getInputStream().readNBytes(100);
            }
            Thread.sleep(400);
            assertTrue(!client.isClosed(), "the guard did not fire after the writes completed");
        }
    }
}
