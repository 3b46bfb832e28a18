package org.ftpdrive.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;
import org.ftpdrive.remote.RemotePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open of one file, with its own lock. Reads stream through a {@link PrefetchReader}. Writes at
 * the current end stream straight into one upload (STOR, or APPE after the server's end); any other
 * write, a read after a write, or a truncation to a non-zero size moves the file to a local
 * {@link StagedFile} that is uploaded whole at {@link #flush()}.
 *
 * <p>Lock order: this file's lock, then (inside it) the pool's and the reader's locks, never the
 * other way round; {@link Drive}'s registry lock is never taken while holding this one.
 */
final class OpenFile {
    private static final Logger log = LoggerFactory.getLogger(OpenFile.class);
    private static final int MAX_READERS = 2;

    private final DriveContext ctx;
    private final OpenMode mode;
    private final ReentrantLock lock = new ReentrantLock();

    // Written under lock. The volatile ones are also read without it, so stat and listings never
    // wait for a long upload of this file.
    private volatile RemotePath path;
    /** The file's size as this handle sees it; -1 while unknown (not listed), until it is staged. */
    private volatile long size;
    /** The server's copy must be replaced at the next flush even if nothing is written (O_TRUNC, create). */
    private volatile boolean replace;
    private volatile boolean changed;
    /** Writes that did not reach the server: every later flush reports them, so close(2) cannot succeed. */
    private IOException lostWrites;
    /** Whether a flush has already told the program about {@link #lostWrites}. */
    private boolean lostWritesReported;
    /**
     * Downloads of this file, at most {@link #MAX_READERS}: a program reading at two places at once
     * (a video's index and its frames, threads with pread) gets one each instead of two readers
     * restarting one download in turn.
     */
    private final java.util.List<PrefetchReader> readers = new java.util.ArrayList<>(MAX_READERS);
    private OutputStream upload;
    private StagedFile staged;
    private boolean stagedDirty;
    private boolean released;
    /** Permission bits asked for before the file reached the server, applied after its upload. */
    private Integer modeAfterUpload;

    OpenFile(DriveContext ctx, RemotePath path, OpenMode mode, long size, boolean replace) {
        this.ctx = ctx;
        this.path = path;
        this.mode = mode;
        this.size = size;
        this.replace = replace;
    }

    RemotePath path() {
        return path;
    }

    void movedTo(RemotePath newPath) {
        lock.lock();
        try {
            path = newPath;
        } finally {
            lock.unlock();
        }
    }

    boolean writable() {
        return mode.write();
    }

    /** Whether this handle made or will make a change the server does not have yet. */
    boolean pendingChange() {
        lock.lock();
        try {
            return replace || upload != null || stagedDirty;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the server may not have this file at all yet: created (or truncated) and not flushed. */
    boolean pendingCreation() {
        return replace;
    }

    boolean everChanged() {
        return changed || replace;
    }

    long size() {
        return size;
    }

    /**
     * Reads from the server's copy through the prefetching reader, or from the staging copy once
     * this handle changed the file. The reader is used outside this file's lock, so the kernel's
     * concurrent read-ahead requests wait on the reader's window, not on each other.
     */
    int read(long offset, int length, ReadSink sink) throws IOException {
        for (int attempt = 0; ; attempt++) {
            PrefetchReader r;
            lock.lock();
            try {
                if (mode.write() && (changed || replace || staged != null)) {
                    stage();
                    return staged.read(offset, length, sink);
                }
                if (offset >= size && !mode.write() && size >= 0 && readers.isEmpty()) {
                    return 0;
                }
                r = readerFor(offset);
            } finally {
                lock.unlock();
            }
            try {
                return r.read(offset, length, sink);
            } catch (PrefetchReader.ClosedException e) {
                if (released || attempt >= 2) {
                    throw e;
                }
                // a write on this handle moved the file to staging meanwhile: read from there
            }
        }
    }

    void write(long offset, byte[] data, int length) throws IOException {
        lock.lock();
        try {
            if (lostWrites != null) {
                throw lostWrites; // later bytes would land after a gap the server never got
            }
            changed = true;
            if (staged == null && offset == size && startOrContinueUpload()) {
                try {
                    upload.write(data, 0, length);
                } catch (IOException e) {
                    lostWrites = e;
                    abandonUpload();
                    throw e;
                }
                size += length;
                return;
            }
            stage();
            staged.write(offset, data, length);
            stagedDirty = true;
            size = Math.max(size, offset + length);
        } finally {
            lock.unlock();
        }
    }

    private boolean startOrContinueUpload() throws IOException {
        if (upload != null) {
            return true;
        }
        boolean append = !replace && size > 0;
        // The handle's own downloads first give their sessions back: the upload may need one of them.
        closeReader();
        upload = ctx.store().openWrite(path, append);
        replace = false;
        return true;
    }

    private void abandonUpload() {
        OutputStream u = upload;
        upload = null;
        if (lostWrites == null) {
            lostWrites = new IOException("the upload of " + path + " failed; the server does not have what was "
                    + "written");
        }
        try {
            u.close();
        } catch (IOException e) {
            log.debug("closing a failed upload of {}: {}", path, e.toString());
        }
    }

    void truncate(long newSize) throws IOException {
        lock.lock();
        try {
            if (newSize == size) {
                return;
            }
            changed = true;
            if (newSize == 0 && staged == null) {
                finishUpload();
                replace = true;
                size = 0;
                return;
            }
            stage();
            staged.truncate(newSize);
            stagedDirty = true;
            size = newSize;
        } finally {
            lock.unlock();
        }
    }

    /** Moves the content to a local staging copy, finishing any upload first. Caller holds the lock. */
    private void stage() throws IOException {
        if (staged != null) {
            return;
        }
        finishUpload();
        closeReader();
        if (replace || size == 0) {
            staged = StagedFile.empty(ctx.staging());
        } else {
            try (InputStream in = ctx.store().openRead(path, 0)) {
                staged = StagedFile.filledFrom(ctx.staging(), in, size);
            }
            if (size < 0) {
                size = staged.size();
            }
        }
        stagedDirty = replace;
        replace = false;
    }

    private void finishUpload() throws IOException {
        if (upload == null) {
            return;
        }
        OutputStream u = upload;
        upload = null;
        try {
            u.close();
        } catch (IOException e) {
            lostWrites = e;
            throw e;
        }
    }

    /**
     * Takes a chmod for a file that is not on the server yet (created, nothing flushed); returns
     * false when the file is already there and the caller should change it directly.
     */
    boolean deferChmod(int mode) {
        lock.lock();
        try {
            if (!replace) {
                return false;
            }
            modeAfterUpload = mode;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Puts every change on the server and waits for its confirmation; throws when it failed. */
    void flush() throws IOException {
        lock.lock();
        try {
            if (lostWrites != null) {
                lostWritesReported = true;
                throw lostWrites;
            }
            try {
                finishUpload();
            } catch (IOException e) {
                lostWritesReported = true;
                throw e;
            }
            if (staged != null && stagedDirty) {
                try (OutputStream out = ctx.store().openWrite(path, false)) {
                    staged.copyTo(out);
                }
                stagedDirty = false;
            } else if (replace) {
                ctx.store().openWrite(path, false).close();
            }
            replace = false;
            if (modeAfterUpload != null) {
                int mode = modeAfterUpload;
                modeAfterUpload = null;
                ctx.chmod(path, mode);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes (when writable) and frees everything; an error is thrown after the cleanup. */
    void release() throws IOException {
        lock.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            IOException failure = null;
            if (mode.write()) {
                boolean alreadyReported = lostWritesReported;
                try {
                    flush();
                } catch (IOException e) {
                    failure = alreadyReported && e == lostWrites ? null : e;
                    if (upload != null) {
                        abandonUpload();
                    }
                }
            }
            closeReader();
            if (staged != null) {
                try {
                    staged.close();
                } catch (IOException e) {
                    log.debug("removing the staging copy of {}: {}", path, e.toString());
                }
                staged = null;
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A reader whose window reaches {@code offset}, a new one, or the least recently used one. */
    private PrefetchReader readerFor(long offset) {
        PrefetchReader oldest = null;
        for (PrefetchReader r : readers) {
            if (r.reaches(offset)) {
                return r;
            }
            if (oldest == null || r.lastUsed() < oldest.lastUsed()) {
                oldest = r;
            }
        }
        if (readers.size() < MAX_READERS) {
            PrefetchReader r = ctx.newReader(this::path);
            readers.add(r);
            return r;
        }
        return oldest;
    }

    private void closeReader() {
        for (PrefetchReader r : readers) {
            r.close();
        }
        readers.clear();
    }

    @Override
    public String toString() {
        return "open file " + path;
    }
}
