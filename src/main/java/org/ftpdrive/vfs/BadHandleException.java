package org.ftpdrive.vfs;

import java.nio.file.FileSystemException;

/** A handle number that is not (or no longer) open. */
public final class BadHandleException extends FileSystemException {
    public BadHandleException(long handle) {
        super("no open file with handle " + handle);
    }
}
