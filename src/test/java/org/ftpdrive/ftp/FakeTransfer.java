package org.ftpdrive.ftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.Credentials;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.Endpoint;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.testing.FakeFtpServer;

/**
 * One transfer's worth of parts for testing the transfer streams without a real server: a real
 * {@link FtpSession} logged in to a {@link FakeFtpServer}, borrowed from a pool of one, and a
 * loopback socket pair standing in for the data connection. The test plays the server: it reads or
 * writes {@link #peer} and pushes the final reply with {@code server.push(...)}.
 */
final class FakeTransfer implements AutoCloseable {
    final FakeFtpServer server;
    final SessionPool<FtpSession> pool;
    final SessionPool<FtpSession>.Lease lease;
    /** The data connection as the stream under test sees it. */
    final Socket data;
    /** The data connection's peer (the server's end). */
    final Socket peer;

    private FakeTransfer(FakeFtpServer server, SessionPool<FtpSession> pool, SessionPool<FtpSession>.Lease lease,
            Socket data, Socket peer) {
        this.server = server;
        this.pool = pool;
        this.lease = lease;
        this.data = data;
        this.peer = peer;
    }

    /** Starts the fake server, logs in, borrows the session and connects {@code data} to {@link #peer}. */
    static FakeTransfer start(Socket data) throws IOException {
        FakeFtpServer server = FakeFtpServer.start();
        ConnectionSettings settings = ConnectionSettings.builder(
                        new Endpoint(server.host(), server.port(), RemotePath.ROOT),
                        new Credentials("user", "pw".toCharArray()))
                .controlTimeout(Duration.ofSeconds(10))
                .connections(1)
                .build();
        FtpSessionFactory factory = new FtpSessionFactory(settings);
        SessionPool<FtpSession> pool = new SessionPool<>(() -> factory.open(DataMode.PASSIVE), 1,
                Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5), "fake");
        SessionPool<FtpSession>.Lease lease = pool.borrow();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            data.connect(new java.net.InetSocketAddress(loopback, listener.getLocalPort()));
            return new FakeTransfer(server, pool, lease, data, listener.accept());
        }
    }

    static FakeTransfer start() throws IOException {
        return start(new Socket());
    }

    @Override
    public void close() {
        for (Socket s : new Socket[] {peer, data}) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        lease.close();
        pool.close();
        server.close();
    }
}
