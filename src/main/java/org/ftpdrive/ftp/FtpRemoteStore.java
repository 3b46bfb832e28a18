package org.ftpdrive.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;
import org.ftpdrive.remote.TransientNetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemoteStore} over a pool of FTP sessions. Store paths are relative to the URL's directory,
 * which is itself relative to the login directory (RFC 1738), so "/" is the directory the user
 * named.
 *
 * <p>After a transport failure (a session killed by the server or by a network drop) an operation
 * is retried: on the next session as long as it failed on one that had waited in the pool (after
 * a server restart every idle session is dead, not just the first), and once more on a new
 * session when it is idempotent; see {@link Retries}. Data operations in auto mode are retried once
 * in the other data mode when the data connection cannot be set up.
 */
public final class FtpRemoteStore implements RemoteStore {
    private static final Logger log = LoggerFactory.getLogger(FtpRemoteStore.class);

    private final SessionPool<FtpSession> pool;
    private final DataModeSelector modes;
    private final RemotePath root;
    private final Duration dataTimeout;

    FtpRemoteStore(SessionPool<FtpSession> pool, DataModeSelector modes, RemotePath root, Duration dataTimeout) {
        this.pool = pool;
        this.modes = modes;
        this.root = root;
        this.dataTimeout = dataTimeout;
    }

    /**
     * Opens a pool to the server and logs in once, so a wrong host or password fails here rather
     * than at the first file operation.
     */
    public static FtpRemoteStore connect(ConnectionSettings settings) throws IOException {
        FtpSessionFactory factory = new FtpSessionFactory(settings);
        DataModeSelector modes = new DataModeSelector(settings.dataMode());
        SessionPool<FtpSession> pool = new SessionPool<>(() -> factory.open(modes.current()),
                settings.connections(), settings.borrowTimeout(), Duration.ofSeconds(15), Duration.ofSeconds(60),
                settings.endpoint().authority());
        try (SessionPool<FtpSession>.Lease lease = pool.borrow()) {
            RemotePath home = lease.session().home();
            RemotePath root = home.resolvePath(settings.endpoint().path().toString());
            log.debug("store root on the server: {}", root);
            return new FtpRemoteStore(pool, modes, root, settings.dataTimeout());
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public SessionPool<FtpSession> pool() {
        return pool;
    }

    public DataModeSelector modes() {
        return modes;
    }

    /** The server-side path for a store path. */
    public String serverPath(RemotePath path) {
        return root.resolvePath(path.toString()).toString();
    }

    @Override
    public List<RemoteEntry> list(RemotePath dir) throws IOException {
        String p = serverPath(dir);
        return withData("listing " + p, false, lease -> lease.session().list(p));
    }

    @Override
    public RemoteEntry stat(RemotePath path) throws IOException {
        String p = serverPath(path);
        RemoteEntry entry = withData("stat " + p, false, lease -> lease.session().stat(p));
        return entry.withName(path.name());
    }

    @Override
    public InputStream openRead(RemotePath path, long offset) throws IOException {
        String p = serverPath(path);
        try {
            return withData("reading " + p, true, lease -> {
                Socket socket = lease.session().openTransfer("RETR", p, offset);
                return handOff(lease, socket, () -> new RetrInputStream(lease, socket, p));
            });
        } catch (FileSystemException e) {
            throw refine(path, e, Expect.FILE);
        }
    }

    @Override
    public OutputStream openWrite(RemotePath path, boolean append) throws IOException {
        String p = serverPath(path);
        String command = append ? "APPE" : "STOR";
        try {
            return withData("writing " + p, true, lease -> {
                Socket socket = lease.session().openTransfer(command, p, 0);
                return handOff(lease, socket, () -> new StorOutputStream(lease, socket, command, p, dataTimeout,
                        refused -> refine(path, refused, Expect.FILE_OR_ABSENT)));
            });
        } catch (FileSystemException e) {
            throw refine(path, e, Expect.FILE_OR_ABSENT);
        }
    }

    @FunctionalInterface
    interface StreamFactory<T> {
        T create() throws IOException;
    }

    /**
     * Makes the stream of a transfer that has just started and hands the lease to it, in that
     * order: while the stream does not exist, the caller still owns the lease. When making the
     * stream fails, the transfer is abandoned: its data socket is closed and the session, left
     * mid-transfer, is discarded when the caller closes the lease.
     */
    static <S extends PooledSession, T> T handOff(SessionPool<S>.Lease lease, Socket dataSocket,
            StreamFactory<T> factory) throws IOException {
        T stream;
        try {
            stream = factory.create();
        } catch (IOException | RuntimeException e) {
            lease.discard();
            try {
                dataSocket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        lease.handOff();
        return stream;
    }

    @Override
    public void mkdir(RemotePath dir) throws IOException {
        String p = serverPath(dir);
        try {
            withSession("mkdir " + p, false, lease -> {
                lease.session().mkdir(p);
                return null;
            });
        } catch (FileSystemException e) {
            throw refine(dir, e, Expect.ABSENT);
        }
    }

    @Override
    public void rmdir(RemotePath dir) throws IOException {
        String p = serverPath(dir);
        try {
            withSession("rmdir " + p, false, lease -> {
                lease.session().rmdir(p);
                return null;
            });
        } catch (FileSystemException e) {
            throw refine(dir, e, Expect.EMPTY_DIRECTORY);
        }
    }

    @Override
    public void delete(RemotePath file) throws IOException {
        String p = serverPath(file);
        try {
            withSession("delete " + p, false, lease -> {
                lease.session().delete(p);
                return null;
            });
        } catch (FileSystemException e) {
            throw refine(file, e, Expect.FILE);
        }
    }

    @Override
    public void rename(RemotePath from, RemotePath to) throws IOException {
        String f = serverPath(from);
        String t = serverPath(to);
        try {
            withSession("rename " + f, false, lease -> {
                lease.session().rename(f, t);
                return null;
            });
        } catch (FileSystemException e) {
            // RNFR failures name the source, RNTO failures the destination.
            if (!t.equals(e.getFile()) || t.equals(f)) {
                throw refine(from, e, Expect.EXISTING);
            }
            // MINA accepts RNFR of a name that does not exist and refuses only RNTO.
            if (refinable(e, Expect.DESTINATION) && missing(from)) {
                throw new NoSuchFileException(f, null, e.getReason());
            }
            throw refine(to, e, Expect.DESTINATION);
        }
    }

    @Override
    public void setModTime(RemotePath path, Instant modified) throws IOException {
        String p = serverPath(path);
        withSession("set time of " + p, true, lease -> {
            lease.session().setModTime(p, modified);
            return null;
        });
    }

    @Override
    public void chmod(RemotePath path, int mode) throws IOException {
        String p = serverPath(path);
        withSession("chmod " + p, true, lease -> {
            lease.session().chmod(p, mode);
            return null;
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    /** What a failed operation needed the path to be; {@link #refine} checks it. */
    private enum Expect {
        /** mkdir: nothing there yet, in a directory. */
        ABSENT,
        /** rmdir: an empty directory. */
        EMPTY_DIRECTORY,
        /** delete, read: a file. */
        FILE,
        /** write: a file or nothing yet, in a directory. */
        FILE_OR_ABSENT,
        /** rename's source: anything. */
        EXISTING,
        /** rename's destination: nothing yet or something to replace, in a directory. */
        DESTINATION
    }

    /**
     * 550 (and 553, 450, MINA's 551 for uploads) says little: vsftpd answers "550 Delete operation failed." whether
     * the file is missing, a directory or not the user's to delete, and "553 Could not create file."
     * both for a missing directory and a forbidden one. One look at the path, and at its parent
     * where the path is missing, turns the reply into the error a program expects: ENOENT for what
     * is missing, EEXIST for mkdir of an existing name, ENOTDIR, EISDIR, ENOTEMPTY, and EACCES
     * when everything is where it should be and the server still refused. Errors that already say
     * more (a full disk, an unsupported command, an existing directory) are kept.
     */
    private IOException refine(RemotePath path, FileSystemException original, Expect expected) {
        if (!refinable(original, expected)) {
            return original;
        }
        String p = serverPath(path);
        String reason = original.getReason();
        RemoteEntry entry;
        try {
            entry = stat(path);
        } catch (NoSuchFileException missing) {
            return switch (expected) {
                case ABSENT, FILE_OR_ABSENT, DESTINATION -> refineByParent(path, original);
                default -> new NoSuchFileException(p, null, reason);
            };
        } catch (IOException e) {
            return original;
        }
        switch (expected) {
            case ABSENT:
                return new FileAlreadyExistsException(p, null, reason);
            case EMPTY_DIRECTORY:
                if (!entry.isDirectory()) {
                    return new NotDirectoryException(p);
                }
                try {
                    if (!list(path).isEmpty()) {
                        return new DirectoryNotEmptyException(p);
                    }
                } catch (IOException e) {
                    return original;
                }
                return new AccessDeniedException(p, null, reason);
            case FILE:
            case FILE_OR_ABSENT:
                if (entry.isDirectory()) {
                    return new FileSystemException(p, null, "is a directory");
                }
                return new AccessDeniedException(p, null, reason);
            case DESTINATION:
                // Replacing a directory fails for reasons (not empty, not a directory) no reply tells.
                return entry.isDirectory() ? original : new AccessDeniedException(p, null, reason);
            default:
                return new AccessDeniedException(p, null, reason);
        }
    }

    /**
     * Whether {@link #refine} may replace {@code e}: it says "missing" or "denied", or, for an upload,
     * nothing specific (MINA answers "551 Error on output file." when it cannot create the file).
     */
    private static boolean refinable(FileSystemException e, Expect expected) {
        return e instanceof NoSuchFileException || e instanceof AccessDeniedException
                || (e.getClass() == FileSystemException.class && expected == Expect.FILE_OR_ABSENT);
    }

    /** True only when the server says the path does not exist. */
    private boolean missing(RemotePath path) {
        try {
            stat(path);
            return false;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** For a path that does not exist: was its directory missing, not a directory, or closed to us? */
    private IOException refineByParent(RemotePath path, FileSystemException original) {
        String p = serverPath(path);
        if (path.isRoot()) {
            return original;
        }
        RemoteEntry parent;
        try {
            parent = stat(path.parent());
        } catch (NoSuchFileException missing) {
            return new NoSuchFileException(p, null, original.getReason());
        } catch (IOException e) {
            return original;
        }
        if (!parent.isDirectory()) {
            return new NotDirectoryException(serverPath(path.parent()));
        }
        return new AccessDeniedException(p, null, original.getReason());
    }

    @FunctionalInterface
    private interface LeaseCall<T> {
        T call(SessionPool<FtpSession>.Lease lease) throws IOException;
    }

    /**
     * When to try an operation again after a transport failure. A session that waited in the pool
     * may have died there (server restart, network drop, idle timeout), and then so may every other
     * idle one: such a failure says nothing about the operation, which most likely never reached a
     * live server, so it is tried again on the next session, even for mkdir or delete, until it
     * runs on a session opened for it. A failure on a new session is retried once more only when
     * the operation is idempotent. At most pool size + 1 attempts in all: there are never more
     * idle sessions than that.
     */
    private final class Retries {
        private final boolean idempotent;
        private int failures;
        private boolean newSessionFailed;

        Retries(boolean idempotent) {
            this.idempotent = idempotent;
        }

        /** Records a transport failure on a lease; true when the operation should run again. */
        boolean again(SessionPool<FtpSession>.Lease failed) {
            failures++;
            if (failures > pool.maxSize()) {
                return false;
            }
            if (failed.reused()) {
                return true;
            }
            if (idempotent && !newSessionFailed) {
                newSessionFailed = true;
                return true;
            }
            return false;
        }
    }

    /** Runs a control-only operation on a borrowed session. */
    private <T> T withSession(String what, boolean idempotent, LeaseCall<T> call) throws IOException {
        Retries retries = new Retries(idempotent);
        while (true) {
            SessionPool<FtpSession>.Lease lease = pool.borrow();
            try {
                return call.call(lease);
            } catch (TransientNetworkException e) {
                lease.discard();
                if (e instanceof PoolExhaustedException || !retries.again(lease)) {
                    throw e;
                }
                log.debug("{} failed on a {} session ({}); retrying on another one", what,
                        lease.reused() ? "pooled" : "new", e.getMessage());
            } finally {
                if (!lease.isHandedOff()) {
                    lease.close();
                }
            }
        }
    }

    private static DataConnectionException bothModesFailed(DataConnectionException first,
            DataConnectionException second) {
        DataConnectionException both = new DataConnectionException(second.mode(), second.reason(),
                "data connections fail in both modes: " + first.getMessage() + "; " + second.getMessage(), second);
        both.addSuppressed(first);
        return both;
    }

    /**
     * Runs an operation that opens a data connection, in the mount's current data mode. Opening a
     * transfer is idempotent (nothing has moved yet), so it is retried after a transport failure
     * (see {@link Retries}), and once in the other mode when auto mode switches. A {@code
     * transfer} hands its session to a stream that may keep it long, so it never takes the session
     * kept for listings.
     */
    private <T> T withData(String what, boolean transfer, LeaseCall<T> call) throws IOException {
        DataConnectionException firstFailure = null;
        Retries retries = new Retries(true);
        while (true) {
            SessionPool<FtpSession>.Lease lease = transfer ? pool.borrowForTransfer() : pool.borrow();
            try {
                FtpSession session = lease.session();
                // The retry is in the other mode even if another operation has switched back meanwhile.
                session.useDataMode(firstFailure == null ? modes.current()
                        : DataModeSelector.other(firstFailure.mode()));
                long opened = session.dataConnectionsOpened();
                T result = call.call(lease);
                if (session.dataConnectionsOpened() != opened) {
                    modes.onSuccess(session.dataMode());
                }
                return result;
            } catch (DataConnectionException e) {
                lease.discard();
                // Reported even after a switch, so the next operation starts in the other mode again.
                if (!modes.onFailure(e.mode(), e.getMessage())) {
                    throw e;
                }
                if (firstFailure != null) {
                    throw bothModesFailed(firstFailure, e);
                }
                firstFailure = e;
            } catch (TransientNetworkException e) {
                lease.discard();
                if (e instanceof PoolExhaustedException || e instanceof TooManyConnectionsException
                        || !retries.again(lease)) {
                    if (firstFailure != null) {
                        e.addSuppressed(firstFailure);
                    }
                    throw e;
                }
                log.debug("{} failed on a {} session ({}); retrying on another one", what,
                        lease.reused() ? "pooled" : "new", e.getMessage());
            } finally {
                if (!lease.isHandedOff()) {
                    lease.close();
                }
            }
        }
    }
}
