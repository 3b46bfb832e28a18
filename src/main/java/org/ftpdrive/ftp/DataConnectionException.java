package org.ftpdrive.ftp;

import org.ftpdrive.config.DataMode;
import org.ftpdrive.remote.TransientNetworkException;

/**
 * A data connection could not be set up in the given mode: refused, timed out, or the server
 * refused the PASV/EPSV/PORT/EPRT command itself. In auto mode this is the signal to try the
 * other mode.
 */
public final class DataConnectionException extends TransientNetworkException {
    private final DataMode mode;

    public DataConnectionException(DataMode mode, String message, Throwable cause) {
        super(message, cause);
        this.mode = mode;
    }

    /** PASSIVE or ACTIVE: the mode that failed. */
    public DataMode mode() {
        return mode;
    }
}
