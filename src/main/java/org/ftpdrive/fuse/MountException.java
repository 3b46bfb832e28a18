package org.ftpdrive.fuse;

import java.io.IOException;

/** A mount or unmount that cannot be done, with a one-line reason for the user. */
public class MountException extends IOException {
    public MountException(String message) {
        super(message);
    }

    /** The mount point is in use by a process (EBUSY). */
    public static final class Busy extends MountException {
        public Busy(String message) {
            super(message);
        }
    }
}
