package org.ftpdrive.vfs;

import java.nio.file.FileSystemException;

/** A change asked of a drive mounted read-only (EROFS). */
public final class ReadOnlyDriveException extends FileSystemException {
    public ReadOnlyDriveException(String path) {
        super(path, null, "the drive is mounted read-only");
    }
}
