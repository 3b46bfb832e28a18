package org.ftpdrive.vfs;

import java.nio.file.FileSystemException;

/** A file operation on a directory (EISDIR). */
public final class IsDirectoryException extends FileSystemException {
    public IsDirectoryException(String path) {
        super(path, null, "is a directory");
    }
}
