package org.ftpdrive.ftp;

import org.ftpdrive.remote.TransientNetworkException;

/** The control connection could not be opened: unknown host, refused, timed out, no greeting. */
public final class ServerUnreachableException extends TransientNetworkException {
    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
