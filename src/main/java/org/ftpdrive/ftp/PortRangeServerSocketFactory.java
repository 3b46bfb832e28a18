package org.ftpdrive.ftp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ServerSocketFactory;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.config.PortRange;

/**
 * Listening sockets for active-mode data connections.
 *
 * <p>Commons Net picks one random port of the active range and gives up when it is taken (sockets of
 * earlier transfers linger in TIME_WAIT), so this factory walks the whole range from a random start
 * until a bind succeeds. Its sockets also bound the wait for the server to connect back by the data
 * connect timeout, not by the (long) data timeout Commons Net asks for.
 */
final class PortRangeServerSocketFactory extends ServerSocketFactory {
    private final PortRange range;
    private final Duration acceptTimeout;

    PortRangeServerSocketFactory(PortRange range, Duration acceptTimeout) {
        this.range = range;
        this.acceptTimeout = acceptTimeout;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new AcceptSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 1, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int ignoredPort, int backlog, InetAddress address) throws IOException {
        if (range == null) {
            AcceptSocket socket = new AcceptSocket();
            socket.bind(new InetSocketAddress(address, 0), backlog);
            return socket;
        }
        int start = ThreadLocalRandom.current().nextInt(range.size());
        BindException last = null;
        for (int i = 0; i < range.size(); i++) {
            int port = range.low() + (start + i) % range.size();
            AcceptSocket socket = new AcceptSocket();
            try {
                socket.bind(new InetSocketAddress(address, port), backlog);
                return socket;
            } catch (BindException e) {
                socket.close();
                last = e;
            }
        }
        throw new DataConnectionException(DataMode.ACTIVE,
                "no free local port in the active port range " + range + " to listen on", last);
    }

    private final class AcceptSocket extends ServerSocket {
        AcceptSocket() throws IOException {
            super();
            setSoTimeout(0);
        }

        @Override
        public synchronized void setSoTimeout(int requested) throws java.net.SocketException {
            long bound = acceptTimeout.toMillis();
            super.setSoTimeout(requested <= 0 ? (int) bound : (int) Math.min(requested, bound));
        }

        @Override
        public Socket accept() throws IOException {
            try {
                return super.accept();
            } catch (SocketTimeoutException e) {
                throw new DataConnectionException(DataMode.ACTIVE, DataConnectionException.Reason.TIMED_OUT,
                        "the server did not connect back to port "
                        + getLocalPort() + " within " + acceptTimeout.toSeconds() + " s (active mode)", e);
            }
        }
    }
}
