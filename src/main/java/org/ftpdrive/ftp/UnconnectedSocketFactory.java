package org.ftpdrive.ftp;

import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A socket factory for Commons Net, which creates every socket unconnected and then connects it
 * itself: subclasses only say which socket to make, and the connected variants are refused.
 */
abstract class UnconnectedSocketFactory extends SocketFactory {
    private final String what;

    UnconnectedSocketFactory(String what) {
        this.what = what;
    }

    @Override
    public abstract Socket createSocket();

    @Override
    public Socket createSocket(String host, int port) {
        throw refused();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw refused();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw refused();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw refused();
    }

    private UnsupportedOperationException refused() {
        return new UnsupportedOperationException(what + " sockets are created unconnected");
    }
}
