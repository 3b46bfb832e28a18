package org.ftpdrive.remote;

import java.io.IOException;

/**
 * The network or the server failed in a way that may go away on retry: a dropped connection, a
 * timeout, "421 service not available", "425 can't open data connection", "426 transfer aborted".
 */
public class TransientNetworkException extends IOException {
    public TransientNetworkException(String message) {
        super(message);
    }

    public TransientNetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
