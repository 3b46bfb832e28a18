package org.ftpdrive.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An absolute, normalised path on the remote server ("/" is the root).
 *
 * <p>Names containing CR, LF or NUL are refused when the path is built: FTP commands are lines on
 * the control connection, so such a name would let a file name inject a second command
 * (RFC 959 section 4.1.3; e.g. {@code "a\r\nDELE b"}).
 */
public final class RemotePath implements Comparable<RemotePath> {
    public static final RemotePath ROOT = new RemotePath(List.of());

    private final List<String> names;

    private RemotePath(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Parses a slash-separated path; "." and empty segments are dropped, ".." goes up. */
    public static RemotePath of(String path) {
        Objects.requireNonNull(path, "path");
        List<String> names = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                }
                continue;
            }
            checkName(segment);
            names.add(segment);
        }
        return new RemotePath(names);
    }

    /** The child of this directory called {@code name}; the name must be a single segment. */
    public RemotePath resolve(String name) {
        checkName(name);
        if (name.contains("/") || name.equals(".") || name.equals("..") || name.isEmpty()) {
            throw new InvalidRemoteNameException(name, "not a single path segment");
        }
        List<String> child = new ArrayList<>(names);
        child.add(name);
        return new RemotePath(child);
    }

    /** Joins a relative path (may contain slashes) below this one. */
    public RemotePath resolvePath(String relative) {
        return of(toString() + "/" + relative);
    }

    public static void checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new InvalidRemoteNameException(name, "contains a CR, LF or NUL character");
            }
        }
    }

    public boolean isRoot() {
        return names.isEmpty();
    }

    /** The parent directory; the root is its own parent. */
    public RemotePath parent() {
        return isRoot() ? this : new RemotePath(names.subList(0, names.size() - 1));
    }

    /** The last segment, or "" for the root. */
    public String name() {
        return isRoot() ? "" : names.get(names.size() - 1);
    }

    public List<String> names() {
        return names;
    }

    public boolean startsWith(RemotePath other) {
        return names.size() >= other.names.size()
                && names.subList(0, other.names.size()).equals(other.names);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemotePath other && names.equals(other.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public int compareTo(RemotePath o) {
        return toString().compareTo(o.toString());
    }
}
