package org.ftpdrive.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;

/**
 * An in-memory {@link RemoteStore}: a tree of directories and files (byte arrays) with the real
 * store's exception vocabulary, counters of what was asked of it, and switches that make it behave
 * like the awkward servers out there.
 *
 * <p>Uploads commit when their stream is closed, so nothing written is visible before that; a
 * download is a snapshot of the file as it was when it was opened. Everything is thread-safe; the
 * tree is guarded by this object's monitor, and a {@link Gate} is always waited at outside it.
 */
public final class MemoryRemoteStore implements RemoteStore {
    /** The operations counted by {@link #calls(Op)}. */
    public enum Op {
        LIST,
        STAT,
        OPEN_READ,
        OPEN_WRITE,
        MKDIR,
        RMDIR,
        DELETE,
        RENAME,
        SET_MOD_TIME,
        CHMOD
    }

    /** The operations that change the tree. */
    public static final Set<Op> CHANGES =
            Set.of(Op.OPEN_WRITE, Op.MKDIR, Op.RMDIR, Op.DELETE, Op.RENAME, Op.SET_MOD_TIME, Op.CHMOD);

    private static final Duration GATE_TIMEOUT = Duration.ofSeconds(20);

    private abstract static sealed class Node permits Dir, FileNode {
        Instant modified;
        Integer permissions;
    }

    private static final class Dir extends Node {
        final TreeMap<String, Node> children = new TreeMap<>();
    }

    private static final class FileNode extends Node {
        /** Never changed in place: a commit replaces the array, so open downloads keep their snapshot. */
        byte[] content;
    }

    // The tree and everything below up to the counters are guarded by "this".
    private final Dir root = new Dir();
    private Clock clock = Clock.systemUTC();
    private ChronoUnit listedPrecision;
    private final Set<RemotePath> unlistable = new HashSet<>();
    private final Set<RemotePath> unrenamable = new HashSet<>();
    private final Map<Op, Deque<IOException>> failures = new EnumMap<>(Op.class);
    private final Map<Op, Gate> gates = new EnumMap<>(Op.class);
    private int liveDownloads;
    private boolean closed;

    private final Map<Op, AtomicInteger> calls = new EnumMap<>(Op.class);
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicInteger appends = new AtomicInteger();

    private volatile boolean renameRefusesOverwrite;
    private volatile Function<RemotePath, IOException> renameRefusal =
            to -> new FileAlreadyExistsException(to.toString(), null, "553 rename failed: target exists");
    private volatile boolean chmodUnsupported;
    private volatile boolean sizesHidden;
    private volatile long cutDownloadsAfter = -1;
    private final AtomicInteger uploadsFailingAtClose = new AtomicInteger();

    public MemoryRemoteStore() {
        for (Op op : Op.values()) {
            calls.put(op, new AtomicInteger());
        }
        root.modified = Instant.parse("2020-01-01T00:00:00Z");
    }

    // ---------------------------------------------------------------- switches

    /** Like servers whose RNTO refuses an existing target: rename onto an existing name fails. */
    public MemoryRemoteStore renameRefusesOverwrite(boolean refuse) {
        this.renameRefusesOverwrite = refuse;
        return this;
    }

    /** The exception a refused rename throws (default: FileAlreadyExistsException). */
    public MemoryRemoteStore renameRefusal(Function<RemotePath, IOException> refusal) {
        this.renameRefusal = refusal;
        return this;
    }

    /** Like servers without SITE CHMOD: chmod throws UnsupportedRemoteOperationException. */
    public MemoryRemoteStore chmodUnsupported(boolean unsupported) {
        this.chmodUnsupported = unsupported;
        return this;
    }

    /** Like MLSD without the optional "size" fact: files are listed with size -1 (unknown). */
    public MemoryRemoteStore hideSizes(boolean hide) {
        this.sizesHidden = hide;
        return this;
    }

    /** Every download fails (426-like, TransientNetworkException) after delivering {@code bytes}; -1: never. */
    public MemoryRemoteStore cutDownloadsAfter(long bytes) {
        this.cutDownloadsAfter = bytes;
        return this;
    }

    /** The next {@code count} uploads fail when closed, without committing anything. */
    public MemoryRemoteStore failUploadsAtClose(int count) {
        uploadsFailingAtClose.set(count);
        return this;
    }

    /** The next call of {@code op} throws {@code failure} before doing anything. */
    public synchronized MemoryRemoteStore failNext(Op op, IOException failure) {
        failures.computeIfAbsent(op, o -> new ArrayDeque<>()).add(failure);
        return this;
    }

    /** Listing {@code dir} is denied (AccessDeniedException), as on servers with "-wx" directories. */
    public synchronized MemoryRemoteStore denyListing(String dir) {
        unlistable.add(RemotePath.of(dir));
        return this;
    }

    /** Renaming {@code path} away is denied (AccessDeniedException), as for a file in a read-only folder. */
    public synchronized MemoryRemoteStore denyRenameOf(String path) {
        unrenamable.add(RemotePath.of(path));
        return this;
    }

    /** Times in listings and stat are truncated to {@code unit} (FTP LIST shows minutes); null: exact. */
    public synchronized MemoryRemoteStore listTimesTo(ChronoUnit unit) {
        this.listedPrecision = unit;
        return this;
    }

    /** The clock that stamps changes. */
    public synchronized MemoryRemoteStore clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * The next call of {@code op} stops at the returned gate until the test releases it. LIST and
     * STAT stop after reading the tree (so they return what was there before the gate); the other
     * operations stop before they do anything.
     */
    public synchronized Gate holdNext(Op op) {
        Gate gate = new Gate(op);
        gates.put(op, gate);
        return gate;
    }

    /** A one-shot meeting point between a store call and a test. */
    public static final class Gate {
        private final Op op;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Gate(Op op) {
            this.op = op;
        }

        /** Waits (bounded) until the held call has reached the gate; throws when it did not. */
        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(GATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(op + " never reached its gate");
            }
        }

        public void release() {
            released.countDown();
        }

        void pass() throws IOException {
            arrived.countDown();
            try {
                if (!released.await(GATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException(op + " was held at its gate and never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate of " + op);
            }
        }
    }

    // ---------------------------------------------------------------- counters

    public int calls(Op op) {
        return calls.get(op).get();
    }

    /** Calls of every operation that changes the tree. */
    public int changeCalls() {
        int n = 0;
        for (Op op : CHANGES) {
            n += calls(op);
        }
        return n;
    }

    /** Bytes delivered by all downloads. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Bytes written into all uploads (committed or not). */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Uploads opened in append mode. */
    public int appends() {
        return appends.get();
    }

    /** Downloads opened and not closed yet. */
    public synchronized int liveDownloads() {
        return liveDownloads;
    }

    /** Waits (bounded) until at most {@code max} downloads are open; false on timeout. */
    public synchronized boolean awaitLiveDownloadsAtMost(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (liveDownloads > max) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    public void resetCounters() {
        calls.values().forEach(c -> c.set(0));
        bytesRead.set(0);
        bytesWritten.set(0);
        appends.set(0);
    }

    // ---------------------------------------------------------------- direct access for tests

    /** Puts a file (creating its parents), as if uploaded by someone else. */
    public synchronized MemoryRemoteStore putFile(String path, byte[] content) {
        return putFile(path, content, clock.instant());
    }

    public synchronized MemoryRemoteStore putFile(String path, byte[] content, Instant modified) {
        RemotePath p = RemotePath.of(path);
        Dir parent = mkdirsLocked(p.parent());
        FileNode f = new FileNode();
        f.content = content.clone();
        f.modified = modified;
        parent.children.put(p.name(), f);
        return this;
    }

    public synchronized MemoryRemoteStore mkdirs(String path) {
        mkdirsLocked(RemotePath.of(path));
        return this;
    }

    /** A file's content, or null when there is no file at {@code path}. */
    public synchronized byte[] content(String path) {
        Node n = find(RemotePath.of(path));
        return n instanceof FileNode f ? f.content.clone() : null;
    }

    public synchronized boolean exists(String path) {
        return find(RemotePath.of(path)) != null;
    }

    public synchronized boolean isDirectory(String path) {
        return find(RemotePath.of(path)) instanceof Dir;
    }

    /** The exact modification time (not truncated to the listing precision). */
    public synchronized Instant modified(String path) {
        Node n = find(RemotePath.of(path));
        return n == null ? null : n.modified;
    }

    public synchronized Integer permissions(String path) {
        Node n = find(RemotePath.of(path));
        return n == null ? null : n.permissions;
    }

    /** Sets a time directly, as if changed by someone else. */
    public synchronized void touch(String path, Instant modified) {
        Node n = find(RemotePath.of(path));
        if (n == null) {
            throw new IllegalArgumentException("no " + path);
        }
        n.modified = modified;
    }

    /** The names in a directory, sorted. */
    public synchronized List<String> names(String dir) {
        Node n = find(RemotePath.of(dir));
        if (!(n instanceof Dir d)) {
            throw new IllegalArgumentException("no directory " + dir);
        }
        return new ArrayList<>(d.children.keySet());
    }

    // ---------------------------------------------------------------- RemoteStore

    @Override
    public List<RemoteEntry> list(RemotePath dir) throws IOException {
        List<RemoteEntry> entries = new ArrayList<>();
        Gate gate;
        synchronized (this) {
            begin(Op.LIST);
            if (unlistable.contains(dir)) {
                throw new java.nio.file.AccessDeniedException(dir.toString(), null, "550 permission denied");
            }
            Node n = find(dir);
            if (n == null) {
                throw new NoSuchFileException(dir.toString());
            }
            if (!(n instanceof Dir d)) {
                throw new NotDirectoryException(dir.toString());
            }
            for (Map.Entry<String, Node> e : d.children.entrySet()) {
                entries.add(entry(e.getKey(), e.getValue()));
            }
            gate = gates.remove(Op.LIST);
        }
        if (gate != null) {
            gate.pass();
        }
        return entries;
    }

    @Override
    public RemoteEntry stat(RemotePath path) throws IOException {
        RemoteEntry entry;
        Gate gate;
        synchronized (this) {
            begin(Op.STAT);
            Node n = find(path);
            if (n == null) {
                throw new NoSuchFileException(path.toString());
            }
            entry = entry(path.name(), n);
            gate = gates.remove(Op.STAT);
        }
        if (gate != null) {
            gate.pass();
        }
        return entry;
    }

    @Override
    public InputStream openRead(RemotePath path, long offset) throws IOException {
        passGate(Op.OPEN_READ);
        synchronized (this) {
            begin(Op.OPEN_READ);
            Node n = find(path);
            if (n == null) {
                throw new NoSuchFileException(path.toString());
            }
            if (!(n instanceof FileNode f)) {
                throw new FileSystemException(path.toString(), null, "550 not a plain file");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset " + offset);
            }
            liveDownloads++;
            return new Download(f.content, (int) Math.min(offset, f.content.length), cutDownloadsAfter);
        }
    }

    @Override
    public OutputStream openWrite(RemotePath path, boolean append) throws IOException {
        Gate gate;
        synchronized (this) {
            begin(Op.OPEN_WRITE);
            checkWritable(path);
            gate = gates.remove(Op.OPEN_WRITE);
        }
        if (gate != null) {
            gate.pass();
        }
        if (append) {
            appends.incrementAndGet();
        }
        return new Upload(path, append);
    }

    @Override
    public void mkdir(RemotePath dir) throws IOException {
        passGate(Op.MKDIR);
        synchronized (this) {
            begin(Op.MKDIR);
            Dir parent = parentDir(dir);
            if (parent.children.containsKey(dir.name()) || dir.isRoot()) {
                throw new FileAlreadyExistsException(dir.toString());
            }
            Dir d = new Dir();
            d.modified = clock.instant();
            parent.children.put(dir.name(), d);
        }
    }

    @Override
    public void rmdir(RemotePath dir) throws IOException {
        passGate(Op.RMDIR);
        synchronized (this) {
            begin(Op.RMDIR);
            if (dir.isRoot()) {
                throw new FileSystemException("/", null, "550 cannot remove the root");
            }
            Node n = find(dir);
            if (n == null) {
                throw new NoSuchFileException(dir.toString());
            }
            if (!(n instanceof Dir d)) {
                throw new NotDirectoryException(dir.toString());
            }
            if (!d.children.isEmpty()) {
                throw new DirectoryNotEmptyException(dir.toString());
            }
            parentDir(dir).children.remove(dir.name());
        }
    }

    @Override
    public void delete(RemotePath file) throws IOException {
        passGate(Op.DELETE);
        synchronized (this) {
            begin(Op.DELETE);
            Node n = find(file);
            if (n == null) {
                throw new NoSuchFileException(file.toString());
            }
            if (n instanceof Dir) {
                // What FtpRemoteStore makes of DELE on a directory.
                throw new FileSystemException(file.toString(), null, "is a directory");
            }
            parentDir(file).children.remove(file.name());
        }
    }

    @Override
    public void rename(RemotePath from, RemotePath to) throws IOException {
        passGate(Op.RENAME);
        synchronized (this) {
            begin(Op.RENAME);
            Node source = find(from);
            if (source == null || from.isRoot()) {
                throw new NoSuchFileException(from.toString());
            }
            if (unrenamable.contains(from)) {
                throw new java.nio.file.AccessDeniedException(from.toString(), null, "550 RNFR: permission denied");
            }
            if (from.equals(to)) {
                return;
            }
            if (to.startsWith(from)) {
                throw new FileSystemException(from.toString(), to.toString(), "550 cannot move into itself");
            }
            Dir targetParent = parentDir(to);
            Node target = targetParent.children.get(to.name());
            if (target != null) {
                if (renameRefusesOverwrite) {
                    throw renameRefusal.apply(to);
                }
                if (target instanceof Dir td) {
                    if (!(source instanceof Dir)) {
                        throw new FileSystemException(to.toString(), null, "is a directory");
                    }
                    if (!td.children.isEmpty()) {
                        throw new DirectoryNotEmptyException(to.toString());
                    }
                } else if (source instanceof Dir) {
                    throw new NotDirectoryException(to.toString());
                }
            }
            parentDir(from).children.remove(from.name());
            targetParent.children.put(to.name(), source);
        }
    }

    @Override
    public void setModTime(RemotePath path, Instant modified) throws IOException {
        passGate(Op.SET_MOD_TIME);
        synchronized (this) {
            begin(Op.SET_MOD_TIME);
            Node n = find(path);
            if (n == null) {
                throw new NoSuchFileException(path.toString());
            }
            n.modified = modified;
        }
    }

    @Override
    public void chmod(RemotePath path, int mode) throws IOException {
        passGate(Op.CHMOD);
        synchronized (this) {
            begin(Op.CHMOD);
            if (chmodUnsupported) {
                throw new UnsupportedRemoteOperationException(path.toString(), "502 SITE CHMOD not understood");
            }
            Node n = find(path);
            if (n == null) {
                throw new NoSuchFileException(path.toString());
            }
            n.permissions = mode & 07777;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- internals

    /** Counts the call and throws an injected failure. Caller holds the monitor. */
    private void begin(Op op) throws IOException {
        calls.get(op).incrementAndGet();
        if (closed) {
            throw new IOException("store closed");
        }
        Deque<IOException> pending = failures.get(op);
        if (pending != null && !pending.isEmpty()) {
            throw pending.poll();
        }
    }

    private void passGate(Op op) throws IOException {
        Gate gate;
        synchronized (this) {
            gate = gates.remove(op);
        }
        if (gate != null) {
            gate.pass();
        }
    }

    private RemoteEntry entry(String name, Node n) {
        Instant t = n.modified;
        if (t != null && listedPrecision != null) {
            t = t.truncatedTo(listedPrecision);
        }
        if (n instanceof FileNode f) {
            long size = sizesHidden ? -1 : f.content.length;
            return new RemoteEntry(name, org.ftpdrive.remote.EntryType.FILE, size, t, n.permissions, null);
        }
        return new RemoteEntry(name, org.ftpdrive.remote.EntryType.DIRECTORY, 0, t, n.permissions, null);
    }

    private Node find(RemotePath path) {
        Node n = root;
        for (String name : path.names()) {
            if (!(n instanceof Dir d)) {
                return null;
            }
            n = d.children.get(name);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private Dir parentDir(RemotePath path) throws IOException {
        Node n = find(path.parent());
        if (!(n instanceof Dir d)) {
            throw new NoSuchFileException(path.parent().toString());
        }
        return d;
    }

    private Dir mkdirsLocked(RemotePath path) {
        Dir d = root;
        for (String name : path.names()) {
            Node n = d.children.get(name);
            if (n == null) {
                Dir child = new Dir();
                child.modified = clock.instant();
                d.children.put(name, child);
                n = child;
            }
            if (!(n instanceof Dir next)) {
                throw new IllegalArgumentException(name + " in " + path + " is a file");
            }
            d = next;
        }
        return d;
    }

    private void checkWritable(RemotePath path) throws IOException {
        Dir parent = parentDir(path);
        if (parent.children.get(path.name()) instanceof Dir || path.isRoot()) {
            throw new FileSystemException(path.toString(), null, "550 is a directory");
        }
    }

    private synchronized void commit(RemotePath path, byte[] data, boolean append) throws IOException {
        checkWritable(path);
        Dir parent = parentDir(path);
        Node old = parent.children.get(path.name());
        FileNode f = new FileNode();
        if (append && old instanceof FileNode existing) {
            byte[] joined = new byte[existing.content.length + data.length];
            System.arraycopy(existing.content, 0, joined, 0, existing.content.length);
            System.arraycopy(data, 0, joined, existing.content.length, data.length);
            f.content = joined;
            f.permissions = existing.permissions;
        } else {
            f.content = data;
            f.permissions = old == null ? null : old.permissions;
        }
        f.modified = clock.instant();
        parent.children.put(path.name(), f);
    }

    private synchronized void downloadClosed() {
        liveDownloads--;
        notifyAll();
    }

    private final class Upload extends OutputStream {
        private final RemotePath path;
        private final boolean append;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private boolean done;

        Upload(RemotePath path, boolean append) {
            this.path = path;
            this.append = append;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (done) {
                throw new IOException("upload of " + path + " already closed");
            }
            data.write(b, off, len);
            bytesWritten.addAndGet(len);
        }

        @Override
        public synchronized void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            if (uploadsFailingAtClose.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                throw new TransientNetworkException(path + ": 451 upload failed, transfer aborted");
            }
            commit(path, data.toByteArray(), append);
        }
    }

    private final class Download extends InputStream {
        private final byte[] content;
        private final long cutAfter;
        private int pos;
        private long delivered;
        private boolean done;

        Download(byte[] content, int offset, long cutAfter) {
            this.content = content;
            this.pos = offset;
            this.cutAfter = cutAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                throw new IOException("download closed");
            }
            if (len == 0) {
                return 0;
            }
            if (pos >= content.length) {
                return -1;
            }
            long n = Math.min(len, content.length - pos);
            if (cutAfter >= 0) {
                if (delivered >= cutAfter) {
                    throw new TransientNetworkException("426 connection closed; transfer aborted");
                }
                n = Math.min(n, cutAfter - delivered);
            }
            System.arraycopy(content, pos, b, off, (int) n);
            pos += (int) n;
            delivered += n;
            bytesRead.addAndGet(n);
            return (int) n;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            downloadClosed();
        }
    }
}
