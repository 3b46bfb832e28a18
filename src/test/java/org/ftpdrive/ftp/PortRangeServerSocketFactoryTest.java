package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.PortRange;
import org.junit.jupiter.api.Test;

/** Binding within the active port range, on loopback. */
class PortRangeServerSocketFactoryTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Finds a run of free ports by binding them; the caller closes what it does not need. */
    private static List<ServerSocket> occupyRun(int length) throws IOException {
        for (int base = 47000; base < 48000; base += length) {
            List<ServerSocket> taken = new ArrayList<>();
            try {
                for (int p = base; p < base + length; p++) {
                    taken.add(new ServerSocket(p, 1, LOOPBACK));
                }
                return taken;
            } catch (IOException busy) {
                for (ServerSocket s : taken) {
                    s.close();
                }
            }
        }
        throw new IllegalStateException("no free run of " + length + " ports between 47000 and 48000");
    }

    @Test
    void skipsTakenPortsAndStaysInTheRange() throws IOException {
        List<ServerSocket> run = occupyRun(5);
        int low = run.get(0).getLocalPort();
        PortRange range = new PortRange(low, low + 4);
        // leave only one port of the range free
        run.get(3).close();
        PortRangeServerSocketFactory factory = new PortRangeServerSocketFactory(range, Duration.ofSeconds(1));
        try (ServerSocket s = factory.createServerSocket(0, 1, LOOPBACK)) {
            assertEquals(low + 3, s.getLocalPort());
        } finally {
            for (ServerSocket s : run) {
                s.close();
            }
        }
    }

    @Test
    void aFullRangeIsADataConnectionError() throws IOException {
        List<ServerSocket> run = occupyRun(3);
        int low = run.get(0).getLocalPort();
        try {
            PortRangeServerSocketFactory factory =
                    new PortRangeServerSocketFactory(new PortRange(low, low + 2), Duration.ofSeconds(1));
            DataConnectionException e = assertThrows(DataConnectionException.class,
                    () -> factory.createServerSocket(0, 1, LOOPBACK));
            assertEquals(DataMode.ACTIVE, e.mode());
            assertTrue(e.getMessage().contains(low + "-" + (low + 2)), e.getMessage());
        } finally {
            for (ServerSocket s : run) {
                s.close();
            }
        }
    }

    @Test
    void usesTheWholeRangeOverManyBinds() throws IOException {
        List<ServerSocket> run = occupyRun(4);
        int low = run.get(0).getLocalPort();
        for (ServerSocket s : run) {
            s.close();
        }
        PortRangeServerSocketFactory factory =
                new PortRangeServerSocketFactory(new PortRange(low, low + 3), Duration.ofSeconds(1));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200 && seen.size() < 4; i++) {
            try (ServerSocket s = factory.createServerSocket(0, 1, LOOPBACK)) {
                assertTrue(s.getLocalPort() >= low && s.getLocalPort() <= low + 3);
                seen.add(s.getLocalPort());
            }
        }
        assertEquals(4, seen.size(), "random starting points spread the binds");
    }

    @Test
    void acceptGivesUpAfterTheConnectTimeout() throws IOException {
        PortRangeServerSocketFactory factory = new PortRangeServerSocketFactory(null, Duration.ofMillis(200));
        try (ServerSocket s = factory.createServerSocket(0, 1, LOOPBACK)) {
            s.setSoTimeout(60_000);
            long start = System.nanoTime();
            DataConnectionException e = assertThrows(DataConnectionException.class, s::accept);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "waited " + ms + " ms");
            assertTrue(e.getMessage().contains("did not connect back"), e.getMessage());
        }
    }
}
