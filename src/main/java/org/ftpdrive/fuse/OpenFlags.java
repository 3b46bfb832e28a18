package org.ftpdrive.fuse;

import org.ftpdrive.vfs.OpenMode;

/** Decodes open(2) flags with the running platform's values (from jnr-constants). */
final class OpenFlags {
    private static final int ACCMODE = 3;
    private static final int WRONLY = jnr.constants.platform.OpenFlags.O_WRONLY.intValue();
    private static final int RDWR = jnr.constants.platform.OpenFlags.O_RDWR.intValue();
    private static final int TRUNC = jnr.constants.platform.OpenFlags.O_TRUNC.intValue();
    private static final int APPEND = jnr.constants.platform.OpenFlags.O_APPEND.intValue();

    private OpenFlags() {}

    static OpenMode decode(int flags) {
        int access = flags & ACCMODE;
        boolean write = access == WRONLY || access == RDWR;
        boolean read = access != WRONLY;
        return new OpenMode(read, write, write && (flags & TRUNC) != 0, (flags & APPEND) != 0);
    }
}
