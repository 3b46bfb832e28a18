package org.ftpdrive.vfs;

/** What an open asks for, decoded from the platform's open flags by the adapter. */
public record OpenMode(boolean read, boolean write, boolean truncate, boolean append) {
    public static final OpenMode READ = new OpenMode(true, false, false, false);
    public static final OpenMode WRITE_TRUNCATE = new OpenMode(false, true, true, false);

    public OpenMode {
        if (!read && !write) {
            throw new IllegalArgumentException("an open must read or write");
        }
    }
}
