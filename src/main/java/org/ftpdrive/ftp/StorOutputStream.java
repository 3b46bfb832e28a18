package org.ftpdrive.ftp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.FileSystemException;
import java.time.Duration;

/**
 * The data of one STOR or APPE. {@link #close()} sends the rest, closes the data connection and
 * waits for the server's final reply: only a positive reply makes close() return normally, so a
 * full disk or a dropped connection is reported to whoever closes the file. Once the upload failed,
 * every later write or flush throws that failure again.
 *
 * <p>Some servers (MINA) accept the data connection before they try to create the file, so "no
 * such directory" or "not allowed" may come only as the final reply; {@link Refusals} turns it into
 * the error a program expects, as for a refusal before the transfer.
 */
final class StorOutputStream extends OutputStream {
    private static final int BUFFER = 256 * 1024;

    /** Refines a refusal of the upload (see {@code FtpRemoteStore.refine}); called with the session released. */
    @FunctionalInterface
    interface Refusals {
        IOException refine(FileSystemException refused);
    }

    private final SessionPool<FtpSession>.Lease lease;
    private final Socket socket;
    private final OutputStream out;
    private final String command;
    private final String path;
    private final StallGuard guard;
    private final Refusals refusals;
    private boolean closed;
    /** The failure of the upload, thrown again by every later write or flush; null while none. */
    private IOException failure;

    StorOutputStream(SessionPool<FtpSession>.Lease lease, Socket socket, String command, String path,
            Duration stallTimeout) throws IOException {
        this(lease, socket, command, path, stallTimeout, refused -> refused);
    }

    StorOutputStream(SessionPool<FtpSession>.Lease lease, Socket socket, String command, String path,
            Duration stallTimeout, Refusals refusals) throws IOException {
        this.lease = lease;
        this.refusals = refusals;
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
        this.command = command;
        this.path = path;
        this.guard = new StallGuard(stallTimeout, socket);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        try {
            guard.write(out, b, off, len);
        } catch (IOException e) {
            throw failure(e);
        }
        lease.progressed();
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        try {
            guard.run(out::flush);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void ensureOpen() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /**
     * The data connection broke mid-upload. The server usually says why on the control connection
     * (552 disk full, 426 aborted); that reply is the better error. Asks the server once: the
     * session is gone afterwards.
     */
    private IOException failure(IOException e) {
        if (failure != null) {
            return failure;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken
        }
        try {
            lease.session().finishTransfer(command, path);
            failure = FtpErrors.fromTransport(e, command + " " + path);
        } catch (IOException reply) {
            failure = reply;
        } finally {
            lease.discard();
            lease.close();
        }
        if (failure instanceof FileSystemException refused) {
            failure = refusals.refine(refused);
        }
        return failure;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            guard.run(() -> {
                out.flush();
                socket.shutdownOutput();
            });
        } catch (IOException e) {
            throw failure(e);
        }
        closed = true;
        boolean answered = false;
        FileSystemException refused = null;
        try {
            try {
                socket.close();
            } catch (IOException e) {
                // The server has seen the end of the data (shutdownOutput above): its reply still
                // says whether the upload worked, and must be read before the session is reused.
            }
            try {
                lease.session().finishTransfer(command, path);
                answered = true;
            } catch (FileSystemException e) {
                answered = true; // a negative reply: the session is in step
                refused = e;
            } catch (IOException e) {
                // A negative reply (the session is in step) or a transport failure (the session
                // marked itself broken). Anything else may leave the reply unread: then the session
                // must not serve another command.
                answered = true;
                throw e;
            }
        } finally {
            if (!answered) {
                lease.discard();
            }
            lease.close();
        }
        if (refused != null) {
            throw refusals.refine(refused);
        }
    }
}
