package org.ftpdrive.ftp;

import org.ftpdrive.remote.TransientNetworkException;

/** Every session of the pool stayed busy for the whole borrow timeout. */
public final class PoolExhaustedException extends TransientNetworkException {
    public PoolExhaustedException(String message) {
        super(message);
    }
}
