package org.ftpdrive.ftp;

import org.ftpdrive.config.DataMode;

/** The four ways to set up a data connection (RFC 959 PASV and PORT, RFC 2428 EPSV and EPRT). */
public enum DataCommand {
    EPSV(DataMode.PASSIVE),
    PASV(DataMode.PASSIVE),
    EPRT(DataMode.ACTIVE),
    PORT(DataMode.ACTIVE);

    private final DataMode mode;

    DataCommand(DataMode mode) {
        this.mode = mode;
    }

    /** PASSIVE or ACTIVE. */
    public DataMode mode() {
        return mode;
    }
}
