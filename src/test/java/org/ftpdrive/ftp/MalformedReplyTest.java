package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.Credentials;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.Endpoint;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.testing.FakeFtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replies Commons Net cannot parse are data connection failures, not crashes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedReplyTest {

    @Test
    void anEpsvReplyWithoutAPortIsADataConnectionFailureAndTheSessionIsDropped() throws IOException {
        try (FakeFtpServer server = FakeFtpServer.start()) {
            // Commons Net's EPSV parser throws StringIndexOutOfBoundsException on this.
            server.reply("EPSV", "229 Entering Extended Passive Mode");
            ConnectionSettings settings = ConnectionSettings.builder(
                            new Endpoint(server.host(), server.port(), RemotePath.ROOT),
                            new Credentials("user", "pw".toCharArray()))
                    .dataMode(DataMode.PASSIVE)
                    .connections(1)
                    .controlTimeout(Duration.ofSeconds(10))
                    .build();
            try (FtpRemoteStore store = FtpRemoteStore.connect(settings)) {
                DataConnectionException e = assertThrows(DataConnectionException.class,
                        () -> store.openRead(RemotePath.of("/f.bin"), 0));
                assertEquals(DataMode.PASSIVE, e.mode());
                assertTrue(e.getMessage().contains("EPSV"), e.getMessage());
                assertEquals(0, store.pool().liveSessions(), "the session is not pooled again");
            }
            server.reply("EPSV", "229 Entering Extended Passive Mode");
            FtpSession session = new FtpSessionFactory(settings).open(DataMode.PASSIVE);
            try {
                assertThrows(DataConnectionException.class, () -> session.openTransfer("RETR", "/f.bin", 0));
                assertTrue(session.isBroken(), "a session whose reply could not be understood is broken");
            } finally {
                session.close();
            }
        }
    }
}
