package org.ftpdrive.remote;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the server told us about one name.
 *
 * @param name the last path segment
 * @param type file, directory, symlink (as listed, not followed) or other
 * @param size size in bytes, or -1 when the server did not say
 * @param modified last modification time, or null when unknown
 * @param permissions POSIX permission bits (e.g. 0644) when the server reported them
 * @param linkTarget the symlink's target as listed by the server, when known
 */
public record RemoteEntry(
        String name,
        EntryType type,
        long size,
        Instant modified,
        Integer permissions,
        String linkTarget) {

    public RemoteEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static RemoteEntry directory(String name, Instant modified) {
        return new RemoteEntry(name, EntryType.DIRECTORY, 0, modified, null, null);
    }

    public static RemoteEntry file(String name, long size, Instant modified) {
        return new RemoteEntry(name, EntryType.FILE, size, modified, null, null);
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    public boolean isFile() {
        return type == EntryType.FILE;
    }

    public Optional<Instant> modifiedTime() {
        return Optional.ofNullable(modified);
    }

    public OptionalInt permissionBits() {
        return permissions == null ? OptionalInt.empty() : OptionalInt.of(permissions);
    }

    public Optional<String> link() {
        return Optional.ofNullable(linkTarget);
    }

    public RemoteEntry withName(String newName) {
        return new RemoteEntry(newName, type, size, modified, permissions, linkTarget);
    }
}
