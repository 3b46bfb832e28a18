package org.ftpdrive.ftp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * The data of one RETR. Reaching the end waits for the server's 226 and throws if the transfer
 * failed, so a cut-short download is never mistaken for the end of the file. Closing early cancels
 * the transfer (see {@link FtpSession#cancelTransfer}) and returns the session to the pool, or drops
 * it when its state is uncertain. Once the transfer failed, every later read throws that failure
 * again: a failed download never turns into an end of file.
 */
final class RetrInputStream extends InputStream {
    private static final int BUFFER = 128 * 1024;

    private final SessionPool<FtpSession>.Lease lease;
    private final Socket socket;
    private final InputStream in;
    private final String path;
    private boolean finished;
    private boolean closed;
    /** The failure of the transfer, thrown again by every later read; null while none. */
    private IOException failure;

    RetrInputStream(SessionPool<FtpSession>.Lease lease, Socket socket, String path) throws IOException {
        this.lease = lease;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
        this.path = path;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            lease.discard();
            failure = FtpErrors.fromTransport(e, "reading " + path);
            throw failure;
        }
        if (n < 0) {
            try {
                finish();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        } else if (n > 0) {
            lease.progressed();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return finished || closed || failure != null ? 0 : in.available();
    }

    private void finish() throws IOException {
        finished = true;
        closeSocket();
        lease.session().finishTransfer("RETR", path);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!finished) {
                finished = true;
                closeSocket();
                // A session already known to be broken is dropped; waiting for its reply is pointless.
                if (!lease.isDiscarded()) {
                    lease.session().cancelTransfer("RETR", path);
                }
            }
        } finally {
            lease.close();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            lease.discard();
        }
    }
}
