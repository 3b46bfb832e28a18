package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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

    @Test
    void cancelledAlarmsDoNotStayQueued() throws Exception {
        ScheduledThreadPoolExecutor timer = StallGuard.newTimer();
        try {
            StallGuard guard = new StallGuard(Duration.ofHours(1), () -> { }, timer);
            for (int i = 0; i < 1000; i++) {
                guard.run(() -> { });
            }
            assertEquals(0, timer.getQueue().size(), "alarms of finished writes left in the queue");
        } finally {
            timer.shutdownNow();
        }
    }

    /** Counts the alarms set, so a test can see which deadline each write ran under. */
    private static final class CountingTimer extends ScheduledThreadPoolExecutor {
        int alarms;

        CountingTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            alarms++;
            return super.schedule(command, delay, unit);
        }
    }

    @Test
    void aLargeWriteIsGuardedInStepsOfAtMostOneMebibyteEachWithItsOwnDeadline() throws Exception {
        CountingTimer timer = new CountingTimer();
        try {
            StallGuard guard = new StallGuard(Duration.ofHours(1), () -> { }, timer);
            byte[] data = new byte[5 * StallGuard.MAX_STEP + 3];
            new Random(1).nextBytes(data);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            List<int[]> steps = new ArrayList<>(); // {bytes, alarms set so far}
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    steps.add(new int[] {len, timer.alarms});
                    received.write(b, off, len);
                }
            };
            guard.write(sink, data, 0, data.length);

            assertArrayEquals(data, received.toByteArray());
            assertEquals(6, steps.size());
            for (int i = 0; i < steps.size(); i++) {
                assertTrue(steps.get(i)[0] <= StallGuard.MAX_STEP, "step " + i + " wrote " + steps.get(i)[0]);
                assertEquals(i + 1, steps.get(i)[1], "step " + i + " runs under a deadline of its own");
            }
        } finally {
            timer.shutdownNow();
        }
    }
}
