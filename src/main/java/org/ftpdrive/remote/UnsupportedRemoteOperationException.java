package org.ftpdrive.remote;

import java.nio.file.FileSystemException;

/** The server does not implement what was asked (FTP 500/502/504). */
public final class UnsupportedRemoteOperationException extends FileSystemException {
    public UnsupportedRemoteOperationException(String file, String reason) {
        super(file, null, reason);
    }
}
