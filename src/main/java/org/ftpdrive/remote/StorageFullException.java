package org.ftpdrive.remote;

import java.nio.file.FileSystemException;

/** The server has no room for the data (FTP 452/552; ENOSPC). */
public final class StorageFullException extends FileSystemException {
    public StorageFullException(String file, String reason) {
        super(file, null, reason);
    }
}
