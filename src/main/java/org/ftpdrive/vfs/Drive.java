package org.ftpdrive.vfs;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ftpdrive.remote.EntryType;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;
import org.ftpdrive.remote.TransientNetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform-neutral filesystem: path operations and open files over a {@link RemoteStore}
 * (normally a caching one). Platform adapters decode their arguments, call this, and turn its
 * exceptions into error numbers in one place.
 *
 * <p>Files open for writing are known here, so {@code stat} sees their size while they are being
 * written and a listing shows a file that was created but has no bytes on the server yet.
 */
public final class Drive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Drive.class);

    /**
     * @param readOnly refuse every change
     * @param readAhead bytes a reader keeps ahead of the furthest request
     * @param readBehind bytes a reader keeps behind it, for requests that arrive late
     * @param readTimeout how long a read waits for data before failing
     * @param idleRelease how long a full read-ahead window holds its connection without a reader
     */
    public record Options(boolean readOnly, long readAhead, long readBehind, Duration readTimeout,
            Duration idleRelease) {
        public static Options defaults() {
            return new Options(false, 6L << 20, 1L << 20, Duration.ofSeconds(60), Duration.ofSeconds(5));
        }

        public Options withReadOnly(boolean ro) {
            return new Options(ro, readAhead, readBehind, readTimeout, idleRelease);
        }
    }

    private final RemoteStore store;
    private final DriveContext ctx;
    private final Options options;
    private final HandleTable handles = new HandleTable();
    /** Open files that may write, by path; guarded by itself. */
    private final Map<RemotePath, List<OpenFile>> writers = new HashMap<>();
    private final AtomicBoolean dirTimeUnsupportedLogged = new AtomicBoolean();

    public Drive(RemoteStore store, StagingArea staging, Options options) {
        this.store = store;
        this.options = options;
        this.ctx = new DriveContext(store, staging, options);
    }

    public boolean readOnly() {
        return options.readOnly();
    }

    public RemoteEntry getattr(RemotePath path) throws IOException {
        List<OpenFile> open = writersOf(path);
        RemoteEntry entry;
        try {
            entry = store.stat(path);
        } catch (NoSuchFileException e) {
            if (open.isEmpty()) {
                throw e;
            }
            entry = RemoteEntry.file(path.name(), 0, Instant.now());
        }
        return withOpenSize(entry, open);
    }

    /** Attributes through an open handle (fstat): the handle's own size wins. */
    public RemoteEntry getattr(long handle) throws IOException {
        OpenFile file = handles.get(handle);
        RemotePath path = file.path();
        RemoteEntry entry;
        try {
            entry = store.stat(path);
        } catch (NoSuchFileException e) {
            entry = RemoteEntry.file(path.name(), 0, Instant.now());
        }
        return file.writable() ? withSize(entry, file.size()) : entry;
    }

    private static RemoteEntry withOpenSize(RemoteEntry entry, List<OpenFile> open) {
        if (open.isEmpty() || !entry.isFile()) {
            return entry;
        }
        long size = -1;
        for (OpenFile f : open) {
            if (f.everChanged()) {
                size = Math.max(size, f.size());
            }
        }
        return size < 0 ? entry : withSize(entry, size);
    }

    private static RemoteEntry withSize(RemoteEntry e, long size) {
        return new RemoteEntry(e.name(), e.type(), size, e.modified(), e.permissions(), e.linkTarget());
    }

    public List<RemoteEntry> readdir(RemotePath dir) throws IOException {
        List<RemoteEntry> listed = store.list(dir);
        List<RemoteEntry> extra = new ArrayList<>();
        synchronized (writers) {
            Set<String> names = null;
            for (RemotePath p : writers.keySet()) {
                if (!p.isRoot() && p.parent().equals(dir)) {
                    if (names == null) {
                        names = new HashSet<>();
                        for (RemoteEntry e : listed) {
                            names.add(e.name());
                        }
                    }
                    if (!names.contains(p.name())) {
                        extra.add(RemoteEntry.file(p.name(), 0, Instant.now()));
                    }
                }
            }
        }
        if (extra.isEmpty()) {
            return listed;
        }
        List<RemoteEntry> all = new ArrayList<>(listed);
        all.addAll(extra);
        return all;
    }

    public long open(RemotePath path, OpenMode mode) throws IOException {
        if (mode.write()) {
            requireWritable(path);
        }
        RemoteEntry entry = getattr(path);
        if (entry.isDirectory()) {
            throw new IsDirectoryException(path.toString());
        }
        // An unknown size (-1) stays unknown: taken as 0 it would make the file read as empty and
        // a write at 0 replace the whole file.
        long size = mode.truncate() ? 0 : entry.size();
        return register(new OpenFile(ctx, path, mode, size, mode.truncate()));
    }

    /** Creates a file (it reaches the server at the first write or flush) and opens it. */
    public long create(RemotePath path, OpenMode mode) throws IOException {
        requireWritable(path);
        RemoteEntry parent = store.stat(path.parent());
        if (!parent.isDirectory()) {
            throw new NotDirectoryException(path.parent().toString());
        }
        return register(new OpenFile(ctx, path, new OpenMode(mode.read(), true, true, mode.append()), 0, true));
    }

    private long register(OpenFile file) {
        if (file.writable()) {
            synchronized (writers) {
                writers.computeIfAbsent(file.path(), p -> new ArrayList<>()).add(file);
            }
        }
        return handles.add(file);
    }

    public int read(long handle, long offset, int size, ReadSink sink) throws IOException {
        return handles.get(handle).read(offset, size, sink);
    }

    public void write(long handle, long offset, byte[] data, int length) throws IOException {
        handles.get(handle).write(offset, data, length);
    }

    /** Called at every close(2): puts the handle's changes on the server, or throws why not. */
    public void flush(long handle) throws IOException {
        OpenFile file = handles.get(handle);
        if (file.writable()) {
            file.flush();
        }
    }

    public void fsync(long handle) throws IOException {
        flush(handle);
    }

    public void release(long handle) throws IOException {
        OpenFile file = handles.remove(handle);
        try {
            file.release();
        } finally {
            if (file.writable()) {
                synchronized (writers) {
                    RemotePath path = file.path();
                    List<OpenFile> list = writers.get(path);
                    if (list != null) {
                        list.remove(file);
                        if (list.isEmpty()) {
                            writers.remove(path);
                        }
                    }
                }
            }
        }
    }

    public void ftruncate(long handle, long size) throws IOException {
        OpenFile file = handles.get(handle);
        requireWritable(file.path());
        file.truncate(size);
    }

    /** Truncation by path: through an open writer when there is one, else on the server. */
    public void truncate(RemotePath path, long size) throws IOException {
        requireWritable(path);
        List<OpenFile> open = writersOf(path);
        if (!open.isEmpty()) {
            open.get(0).truncate(size);
            return;
        }
        RemoteEntry entry = store.stat(path);
        if (entry.isDirectory()) {
            throw new IsDirectoryException(path.toString());
        }
        if (entry.size() == size) {
            return;
        }
        OpenFile file = new OpenFile(ctx, path, new OpenMode(false, true, false, false), entry.size(), false);
        try {
            file.truncate(size);
        } finally {
            file.release();
        }
    }

    public void mkdir(RemotePath dir) throws IOException {
        requireWritable(dir);
        store.mkdir(dir);
    }

    public void rmdir(RemotePath dir) throws IOException {
        requireWritable(dir);
        if (dir.isRoot()) {
            throw new FileSystemException(dir.toString(), null, "the drive's root cannot be removed");
        }
        store.rmdir(dir);
    }

    public void unlink(RemotePath file) throws IOException {
        requireWritable(file);
        store.delete(file);
    }

    /**
     * Renames, replacing an existing target as POSIX requires, also on servers whose RNTO refuses
     * to overwrite (there the target is moved aside first, so the replacement is not atomic).
     */
    public void rename(RemotePath from, RemotePath to) throws IOException {
        requireWritable(from);
        if (from.equals(to)) {
            return;
        }
        if (to.startsWith(from)) {
            throw new FileSystemException(from.toString(), to.toString(), "cannot move a directory into itself");
        }
        try {
            store.rename(from, to);
        } catch (NoSuchFileException e) {
            if (createdHereOnly(from)) {
                // Created through the drive and not uploaded yet (libfuse renames a file deleted
                // while open, too): it moves here, and reaches the server under its new name at flush.
                log.debug("{} is not on the server yet: renamed locally to {}", from, to);
            } else if (!replaceTarget(from, to)) {
                throw e;
            }
        } catch (TransientNetworkException e) {
            throw e;
        } catch (IOException e) {
            if (!replaceTarget(from, to)) {
                throw e;
            }
        }
        moveOpenFiles(from, to);
    }

    private boolean createdHereOnly(RemotePath path) {
        return writersOf(path).stream().anyMatch(OpenFile::pendingCreation);
    }

    /** Open files at or under {@code from} now live under {@code to}, so their uploads go there. */
    private void moveOpenFiles(RemotePath from, RemotePath to) {
        List<OpenFile> moved = new ArrayList<>();
        synchronized (writers) {
            for (RemotePath p : new ArrayList<>(writers.keySet())) {
                if (p.startsWith(from)) {
                    RemotePath target = to.resolvePath(relative(from, p));
                    List<OpenFile> files = writers.remove(p);
                    writers.computeIfAbsent(target, k -> new ArrayList<>()).addAll(files);
                    moved.addAll(files);
                }
            }
        }
        // outside the registry's lock: an open file's lock may be held by a long upload
        for (OpenFile f : moved) {
            RemotePath old = f.path();
            if (old.startsWith(from)) {
                f.movedTo(to.resolvePath(relative(from, old)));
            }
        }
    }

    private static String relative(RemotePath base, RemotePath path) {
        List<String> names = path.names().subList(base.names().size(), path.names().size());
        return String.join("/", names);
    }

    /**
     * Puts {@code from} in the place of an existing {@code to}; false when there is no target. The
     * target is moved aside, not deleted, until the rename has worked: the first rename may have
     * failed for another reason than the target (a source the server will not move), and then the
     * target is put back instead of lost.
     */
    private boolean replaceTarget(RemotePath from, RemotePath to) throws IOException {
        RemoteEntry source = store.stat(from);
        RemoteEntry target;
        try {
            target = store.stat(to);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (target.isDirectory()) {
            if (!source.isDirectory()) {
                throw new IsDirectoryException(to.toString());
            }
            if (!store.list(to).isEmpty()) {
                throw new DirectoryNotEmptyException(to.toString());
            }
        } else if (source.isDirectory()) {
            throw new NotDirectoryException(to.toString());
        }
        RemotePath aside = to.parent().resolve(
                ".ftpdrive-replaced-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        store.rename(to, aside);
        try {
            store.rename(from, to);
        } catch (IOException | RuntimeException e) {
            try {
                store.rename(aside, to);
            } catch (IOException | RuntimeException restore) {
                e.addSuppressed(restore);
                log.warn("a rename onto {} failed and the old {} could not be put back: it is now {}", to, to, aside);
            }
            throw e;
        }
        try {
            if (target.isDirectory()) {
                store.rmdir(aside);
            } else {
                store.delete(aside);
            }
        } catch (IOException e) {
            log.warn("replaced {} but could not remove its old version {}: {}", to, aside, e.getMessage());
        }
        log.debug("replaced {} by {} (the server's rename does not overwrite)", to, from);
        return true;
    }

    /**
     * Sets permission bits where the server allows it (SITE CHMOD). Where it has no way to, the
     * change is accepted without effect, as on other filesystems without Unix permissions, so
     * {@code cp -p} and {@code rsync -a} work; a refusal by the server is still an error.
     */
    public void chmod(RemotePath path, int mode) throws IOException {
        requireWritable(path);
        boolean deferred = false;
        for (OpenFile f : writersOf(path)) {
            deferred |= f.deferChmod(mode & 07777);
        }
        if (deferred) {
            return; // applied once the file is on the server (rsync chmods its temp file first)
        }
        ctx.chmod(path, mode);
    }

    /**
     * Sets the modification time (MFMT or the server's alternative). Many servers set it on files
     * only; on a directory their refusal is accepted without effect, so {@code rsync -a} and
     * {@code cp -a} of a tree do not fail for it.
     */
    public void setModTime(RemotePath path, Instant modified) throws IOException {
        requireWritable(path);
        for (OpenFile f : writersOf(path)) {
            f.flush(); // a later upload would overwrite the time
        }
        try {
            store.setModTime(path, modified);
        } catch (TransientNetworkException e) {
            throw e;
        } catch (FileSystemException e) {
            // vsftpd answers 550 for a directory: look before taking that as "no such file"
            if (!store.stat(path).isDirectory()) {
                throw e;
            }
            if (dirTimeUnsupportedLogged.compareAndSet(false, true)) {
                log.info("the server does not set times of directories ({}); accepted without effect", e.getMessage());
            }
        }
    }

    public String readlink(RemotePath path) throws IOException {
        RemoteEntry entry = store.stat(path);
        if (entry.type() != EntryType.SYMLINK || entry.linkTarget() == null) {
            throw new FileSystemException(path.toString(), null, "not a symbolic link");
        }
        return entry.linkTarget();
    }

    /** Puts every pending change of every open file on the server (at unmount). */
    public void flushAll() {
        for (OpenFile f : handles.all()) {
            if (f.writable() && f.pendingChange()) {
                try {
                    f.flush();
                } catch (IOException e) {
                    log.error("could not upload {}: {}", f.path(), e.getMessage());
                }
            }
        }
    }

    public int openFiles() {
        return handles.size();
    }

    private List<OpenFile> writersOf(RemotePath path) {
        synchronized (writers) {
            List<OpenFile> list = writers.get(path);
            return list == null ? List.of() : new ArrayList<>(list);
        }
    }

    private void requireWritable(RemotePath path) throws ReadOnlyDriveException {
        if (options.readOnly()) {
            throw new ReadOnlyDriveException(path.toString());
        }
    }

    @Override
    public void close() {
        flushAll();
        for (OpenFile f : handles.all()) {
            try {
                f.release();
            } catch (IOException e) {
                log.debug("releasing {}: {}", f.path(), e.toString());
            }
        }
        ctx.close();
    }
}
