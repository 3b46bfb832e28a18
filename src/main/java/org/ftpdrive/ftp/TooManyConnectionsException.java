package org.ftpdrive.ftp;

import org.ftpdrive.remote.TransientNetworkException;

/** The server refused one more session (421 at connect or login, e.g. vsftpd's max_per_ip). */
public final class TooManyConnectionsException extends TransientNetworkException {
    public TooManyConnectionsException(String reply) {
        super("the server refused another connection: " + reply);
    }
}
