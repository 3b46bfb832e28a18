package org.ftpdrive.ftp;

import org.ftpdrive.config.DataMode;
import org.ftpdrive.remote.TransientNetworkException;

/**
 * A data connection could not be set up in the given mode: refused, timed out, or the server
 * refused the PASV/EPSV/PORT/EPRT command itself. In auto mode this is the signal to try the
 * other mode.
 */
public final class DataConnectionException extends TransientNetworkException {
    /** What went wrong, for diagnostics ({@code ftpdrive doctor}). */
    public enum Reason {
        /** The server answered PASV, EPSV, PORT or EPRT with a refusal. */
        COMMAND_REFUSED,
        /** The connection to the server's data port was refused (passive). */
        CONNECTION_REFUSED,
        /** The data connection was not set up within the data connect timeout. */
        TIMED_OUT,
        /** The server said it could not open the data connection (425). */
        SERVER_CANNOT_CONNECT,
        /** Anything else. */
        OTHER
    }

    private final DataMode mode;
    private final Reason reason;

    public DataConnectionException(DataMode mode, String message, Throwable cause) {
        this(mode, Reason.OTHER, message, cause);
    }

    public DataConnectionException(DataMode mode, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.mode = mode;
        this.reason = reason;
    }

    /** PASSIVE or ACTIVE: the mode that failed. */
    public DataMode mode() {
        return mode;
    }

    public Reason reason() {
        return reason;
    }
}
