package org.ftpdrive.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.RemoteStore;

/**
 * Caches listings and attributes of another {@link RemoteStore}. One listing answers the lookup
 * of every child, including misses (negative entries). Every change made through this store
 * invalidates the path and its parent's listing, before and after the change; generation
 * counters, bumped on both sides, stop a listing fetched before a change from being stored after
 * it (sshfs's {@code write_ctr} rule).
 *
 * <p>FTP listings often carry only minute (or, for old files, day) precision. A time set through
 * this store is remembered and shown while the listing agrees with it to the listing's precision,
 * so {@code touch -d} followed by {@code stat} shows the exact time that was set.
 */
public final class CachingRemoteStore implements RemoteStore {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CachingRemoteStore.class);
    private final RemoteStore store;
    private final Cache<RemotePath, Listing> listings;
    private final Cache<RemotePath, Optional<RemoteEntry>> attributes;
    private final Cache<RemotePath, Instant> timesSet;
    /**
     * Change counters per directory, striped (two directories sharing a slot only cost a refetch),
     * and one for changes of whole subtrees: a listing is dropped only when its own directory (or
     * a tree above it) changed while it was fetched, not when anything anywhere did.
     */
    private final AtomicLongArray directoryGenerations = new AtomicLongArray(1024);
    private final AtomicLong treeGeneration = new AtomicLong();

    private record Stamp(long directory, long tree) {}
    private final AtomicLong serverRequests = new AtomicLong();

    private record Listing(List<RemoteEntry> entries, Map<String, RemoteEntry> byName) {
        static Listing of(List<RemoteEntry> entries) {
            Map<String, RemoteEntry> byName = new HashMap<>(entries.size() * 2);
            for (RemoteEntry e : entries) {
                byName.put(e.name(), e);
            }
            return new Listing(List.copyOf(entries), byName);
        }
    }

    /**
     * @param ttl how long a listing, an attribute or a miss is trusted
     */
    public CachingRemoteStore(RemoteStore store, Duration ttl) {
        this.store = store;
        this.listings = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumWeight(2_000_000)
                .<RemotePath, Listing>weigher((dir, listing) -> 1 + listing.entries().size())
                .build();
        this.attributes = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(200_000).build();
        this.timesSet = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).maximumSize(100_000).build();
    }

    /** How many requests reached the wrapped store (for tests and statistics). */
    public long serverRequests() {
        return serverRequests.get();
    }

    @Override
    public List<RemoteEntry> list(RemotePath dir) throws IOException {
        Listing cached = listings.getIfPresent(dir);
        if (cached != null) {
            return cached.entries();
        }
        return fetchListing(dir).entries();
    }

    @Override
    public RemoteEntry stat(RemotePath path) throws IOException {
        Optional<RemoteEntry> known = attributes.getIfPresent(path);
        if (known == null && !path.isRoot()) {
            Listing parent = listings.getIfPresent(path.parent());
            if (parent == null) {
                parent = fetchParentListing(path);
            }
            if (parent != null) {
                RemoteEntry listed = parent.byName().get(path.name());
                // Some servers (MINA) leave hidden files out of MLSD: ask about those by name.
                known = listed != null || !path.name().startsWith(".") ? Optional.ofNullable(listed) : null;
            }
        }
        if (known == null) {
            known = fetchEntry(path);
        }
        return known.map(e -> withTimeSet(path, e)).orElseThrow(() -> new NoSuchFileException(path.toString()));
    }

    private Listing fetchParentListing(RemotePath path) throws IOException {
        try {
            return fetchListing(path.parent());
        } catch (AccessDeniedException e) {
            return null; // a directory we may enter but not list: ask about the one name
        }
    }

    private Listing fetchListing(RemotePath dir) throws IOException {
        Stamp before = stamp(dir);
        serverRequests.incrementAndGet();
        long start = System.nanoTime();
        Listing listing = Listing.of(store.list(dir));
        if (log.isDebugEnabled()) {
            log.debug("listed {}: {} entries in {} ms", dir, listing.entries().size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        synchronized (this) { // a change cannot complete between the check and the put
            if (stamp(dir).equals(before)) {
                listings.put(dir, listing);
                for (RemoteEntry e : listing.entries()) {
                    attributes.put(dir.resolve(e.name()), Optional.of(e));
                }
            }
        }
        return listing;
    }

    private Optional<RemoteEntry> fetchEntry(RemotePath path) throws IOException {
        RemotePath dir = path.isRoot() ? path : path.parent();
        Stamp before = stamp(dir);
        serverRequests.incrementAndGet();
        Optional<RemoteEntry> entry;
        try {
            entry = Optional.of(store.stat(path));
        } catch (NoSuchFileException e) {
            entry = Optional.empty();
        }
        synchronized (this) {
            if (stamp(dir).equals(before)) {
                attributes.put(path, entry);
            }
        }
        return entry;
    }

    private RemoteEntry withTimeSet(RemotePath path, RemoteEntry listed) {
        Instant set = timesSet.getIfPresent(path);
        if (set == null || listed.modified() == null || !agreesToListingPrecision(listed.modified(), set)) {
            return listed;
        }
        return new RemoteEntry(listed.name(), listed.type(), listed.size(), set, listed.permissions(),
                listed.linkTarget());
    }

    static boolean agreesToListingPrecision(Instant listed, Instant set) {
        if (listed.truncatedTo(ChronoUnit.MINUTES).equals(set.truncatedTo(ChronoUnit.MINUTES))) {
            return true;
        }
        // Files older than six months are listed with a date only ("Jan  1  2020"), read as midnight.
        boolean dateOnly = listed.equals(listed.truncatedTo(ChronoUnit.DAYS));
        return dateOnly && Duration.between(listed, set).abs().compareTo(Duration.ofHours(26)) < 0;
    }

    @Override
    public InputStream openRead(RemotePath path, long offset) throws IOException {
        return store.openRead(path, offset);
    }

    @Override
    public OutputStream openWrite(RemotePath path, boolean append) throws IOException {
        changing(path);
        OutputStream out;
        try {
            out = store.openWrite(path, append);
        } catch (IOException | RuntimeException e) {
            changed(path);
            throw e;
        }
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close();
                } finally {
                    changed(path);
                }
            }
        };
    }

    @Override
    public void mkdir(RemotePath dir) throws IOException {
        changing(dir);
        try {
            store.mkdir(dir);
        } finally {
            changed(dir);
        }
    }

    @Override
    public void rmdir(RemotePath dir) throws IOException {
        changing(dir);
        try {
            store.rmdir(dir);
        } finally {
            changedTree(dir);
        }
    }

    @Override
    public void delete(RemotePath file) throws IOException {
        changing(file);
        try {
            store.delete(file);
        } finally {
            changed(file);
        }
    }

    @Override
    public void rename(RemotePath from, RemotePath to) throws IOException {
        changing(from);
        changing(to);
        Instant set = null;
        try {
            store.rename(from, to);
            set = timesSet.getIfPresent(from);
        } finally {
            changedTree(from);
            changedTree(to);
        }
        // After forgetting "to" (which also forgets times set on it), or the carried time is lost and
        // rsync, which sets the time on its temporary file before renaming it, sees minutes only.
        if (set != null) {
            timesSet.put(to, set);
        }
    }

    @Override
    public void setModTime(RemotePath path, Instant modified) throws IOException {
        changing(path);
        try {
            store.setModTime(path, modified);
            timesSet.put(path, modified);
        } finally {
            touched(path);
        }
    }

    @Override
    public void chmod(RemotePath path, int mode) throws IOException {
        changing(path);
        try {
            store.chmod(path, mode);
        } finally {
            touched(path);
        }
    }

    /** Forgets everything cached about {@code path} (e.g. after a failed operation). */
    public void invalidate(RemotePath path) {
        changed(path);
    }

    /** After a change of metadata only: the path's entry and its parent's listing are stale. */
    private synchronized void touched(RemotePath path) {
        bump(path);
        attributes.invalidate(path);
        if (!path.isRoot()) {
            listings.invalidate(path.parent());
        }
    }

    private synchronized void changing(RemotePath path) {
        bump(path);
        forget(path);
    }

    private synchronized void changed(RemotePath path) {
        bump(path);
        forget(path);
        timesSet.invalidate(path);
    }

    private synchronized void changedTree(RemotePath path) {
        treeGeneration.incrementAndGet();
        changed(path);
        attributes.asMap().keySet().removeIf(p -> p.startsWith(path));
        listings.asMap().keySet().removeIf(p -> p.startsWith(path));
        timesSet.asMap().keySet().removeIf(p -> p.startsWith(path));
    }

    private Stamp stamp(RemotePath dir) {
        return new Stamp(directoryGenerations.get(slot(dir)), treeGeneration.get());
    }

    /** A change of {@code path} changes its own listing (when a directory) and its parent's. */
    private void bump(RemotePath path) {
        directoryGenerations.incrementAndGet(slot(path));
        if (!path.isRoot()) {
            directoryGenerations.incrementAndGet(slot(path.parent()));
        }
    }

    private int slot(RemotePath dir) {
        return Math.floorMod(dir.hashCode(), directoryGenerations.length());
    }

    private void forget(RemotePath path) {
        attributes.invalidate(path);
        listings.invalidate(path);
        if (!path.isRoot()) {
            listings.invalidate(path.parent());
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
