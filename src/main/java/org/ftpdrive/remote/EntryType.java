package org.ftpdrive.remote;

public enum EntryType {
    FILE,
    DIRECTORY,
    SYMLINK,
    OTHER
}
