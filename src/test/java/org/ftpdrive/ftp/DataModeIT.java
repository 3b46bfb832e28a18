package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.Credentials;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.Endpoint;
import org.ftpdrive.config.PortRange;
import org.ftpdrive.demo.EmbeddedFtpServer;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.VsftpdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data mode handling against a server that behaves like one behind NAT: it refuses EPSV and names
 * an address in its PASV replies where nothing listens (127.0.0.9, on loopback).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataModeIT {
    private static final String UNREACHABLE = "127.0.0.9";

    private EmbeddedFtpServer server;

    @BeforeAll
    void start(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("a.txt"), "data");
        server = EmbeddedFtpServer.builder(root).user("u", "p").refuse("EPSV").passiveAdvertisedAddress(UNREACHABLE)
                .start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private ConnectionSettings.Builder settings(DataMode mode) {
        return ConnectionSettings.builder(new Endpoint(server.host(), server.port(), RemotePath.ROOT),
                        new Credentials("u", "p".toCharArray()))
                .dataMode(mode)
                .connections(1)
                .dataConnectTimeout(Duration.ofSeconds(3));
    }

    private static List<String> names(FtpRemoteStore store) throws IOException {
        return store.list(RemotePath.ROOT).stream().map(RemoteEntry::name).toList();
    }

    @Test
    void passiveFallsBackToPasvOncePerSessionAndIgnoresTheAdvertisedAddress() throws IOException {
        int before = server.refusals("EPSV");
        try (FtpRemoteStore store = FtpRemoteStore.connect(settings(DataMode.PASSIVE).build())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of("a.txt"), names(store));
            }
            assertEquals(1, server.refusals("EPSV") - before, "EPSV is asked once, then PASV is remembered");
            try (SessionPool<FtpSession>.Lease lease = store.pool().borrow()) {
                assertEquals(UNREACHABLE, lease.session().lastPasvAdvertised());
                assertTrue(lease.session().epsvRefused());
            }
        }
    }

    @Test
    void trustingTheAdvertisedAddressFailsClearlyInPassiveMode() throws IOException {
        try (FtpRemoteStore store = FtpRemoteStore.connect(settings(DataMode.PASSIVE).usePasvAddress(true).build())) {
            long start = System.nanoTime();
            DataConnectionException e = assertThrows(DataConnectionException.class, () -> names(store));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(DataMode.PASSIVE, e.mode());
            assertTrue(e.getMessage().contains(UNREACHABLE), e.getMessage());
            assertTrue(ms < 10_000, "failed within the data connect timeout, took " + ms + " ms");
        }
    }

    @Test
    void autoModeSwitchesToActiveAndTheOperationSucceeds() throws IOException {
        try (FtpRemoteStore store = FtpRemoteStore.connect(settings(DataMode.AUTO).usePasvAddress(true).build())) {
            assertEquals(List.of("a.txt"), names(store));
            assertEquals(DataMode.ACTIVE, store.modes().current());
            try (InputStream in = store.openRead(RemotePath.of("/a.txt"), 0)) {
                assertEquals("data", new String(in.readAllBytes()));
            }
            assertEquals(DataMode.ACTIVE, store.modes().current(), "the working mode is kept");
        }
    }

    @Test
    void autoModeWhereNeitherModeWorksFailsOnceWithBothReasonsAndStartsOverInPassive() throws IOException {
        ConnectionSettings s = settings(DataMode.AUTO).usePasvAddress(true).activeAddress(UNREACHABLE).build();
        try (FtpRemoteStore store = FtpRemoteStore.connect(s)) {
            DataConnectionException e = assertThrows(DataConnectionException.class, () -> names(store));
            assertTrue(e.getMessage().startsWith("data connections fail in both modes: "), e.getMessage());
            assertTrue(e.getMessage().contains("passive data connection to " + UNREACHABLE), e.getMessage());
            assertEquals(DataMode.ACTIVE, e.mode());
            assertEquals(DataMode.PASSIVE, store.modes().current(), "the next operation tries passive first again");
            assertTrue(store.modes().why().startsWith("active data connections failed"), store.modes().why());
        }
    }

    @Test
    void activeModeWithAPortRange() throws IOException {
        ConnectionSettings s = settings(DataMode.ACTIVE).activePortRange(new PortRange(46100, 46110)).build();
        try (FtpRemoteStore store = FtpRemoteStore.connect(s)) {
            for (int i = 0; i < 15; i++) {
                assertEquals(List.of("a.txt"), names(store), "transfer " + i);
            }
        }
    }

    @Test
    void activeModeAdvertisesTheConfiguredAddress() throws IOException {
        try (FtpRemoteStore store = FtpRemoteStore.connect(
                settings(DataMode.ACTIVE).activeAddress("127.0.0.1").build())) {
            assertEquals(List.of("a.txt"), names(store));
        }
        // Nothing listens on 127.0.0.9: the server either refuses the PORT or cannot connect back.
        try (FtpRemoteStore store = FtpRemoteStore.connect(
                settings(DataMode.ACTIVE).activeAddress(UNREACHABLE).build())) {
            DataConnectionException e = assertThrows(DataConnectionException.class, () -> names(store));
            assertEquals(DataMode.ACTIVE, e.mode());
        }
    }

    @Test
    void vsftpdAdvertisingAnUnreachableAddress(@TempDir Path state) throws IOException {
        try (VsftpdServer vsftpd = TestRequirements.startVsftpdOrSkip(state,
                VsftpdServer.Options.defaults().withPasvAddress(UNREACHABLE))) {
            ConnectionSettings.Builder b = ConnectionSettings.builder(
                            new Endpoint(vsftpd.host(), vsftpd.port(), RemotePath.ROOT),
                            new Credentials(vsftpd.user(), vsftpd.password().toCharArray()))
                    .useEpsv(false)
                    .dataConnectTimeout(Duration.ofSeconds(3));
            try (FtpRemoteStore store = FtpRemoteStore.connect(b.build())) {
                assertEquals(List.of(), names(store));
            }
            try (FtpRemoteStore store = FtpRemoteStore.connect(b.usePasvAddress(true).build())) {
                assertThrows(DataConnectionException.class, () -> names(store));
            }
            try (FtpRemoteStore store = FtpRemoteStore.connect(b.dataMode(DataMode.AUTO).build())) {
                assertEquals(List.of(), names(store));
                assertEquals(DataMode.ACTIVE, store.modes().current());
            }
        }
    }
}
