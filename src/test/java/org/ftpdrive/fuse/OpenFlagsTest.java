package org.ftpdrive.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ftpdrive.vfs.OpenMode;
import org.junit.jupiter.api.Test;

/** open(2) flags as the kernel passes them, with this platform's values. */
class OpenFlagsTest {
    private static final int RDONLY = jnr.constants.platform.OpenFlags.O_RDONLY.intValue();
    private static final int WRONLY = jnr.constants.platform.OpenFlags.O_WRONLY.intValue();
    private static final int RDWR = jnr.constants.platform.OpenFlags.O_RDWR.intValue();
    private static final int CREAT = jnr.constants.platform.OpenFlags.O_CREAT.intValue();
    private static final int EXCL = jnr.constants.platform.OpenFlags.O_EXCL.intValue();
    private static final int TRUNC = jnr.constants.platform.OpenFlags.O_TRUNC.intValue();
    private static final int APPEND = jnr.constants.platform.OpenFlags.O_APPEND.intValue();
    private static final int NONBLOCK = jnr.constants.platform.OpenFlags.O_NONBLOCK.intValue();

    private static OpenMode mode(boolean read, boolean write, boolean truncate, boolean append) {
        return new OpenMode(read, write, truncate, append);
    }

    @Test
    void accessModes() {
        assertEquals(OpenMode.READ, OpenFlags.decode(RDONLY));
        assertEquals(mode(false, true, false, false), OpenFlags.decode(WRONLY));
        assertEquals(mode(true, true, false, false), OpenFlags.decode(RDWR));
    }

    @Test
    void whatProgramsPass() {
        // cp, shell ">": O_WRONLY|O_CREAT|O_TRUNC
        assertEquals(OpenMode.WRITE_TRUNCATE, OpenFlags.decode(WRONLY | CREAT | TRUNC));
        // shell ">>": O_WRONLY|O_CREAT|O_APPEND
        assertEquals(mode(false, true, false, true), OpenFlags.decode(WRONLY | CREAT | APPEND));
        // rsync's mkstemp: O_RDWR|O_CREAT|O_EXCL
        assertEquals(mode(true, true, false, false), OpenFlags.decode(RDWR | CREAT | EXCL));
        // dd conv=notrunc: O_WRONLY|O_CREAT
        assertEquals(mode(false, true, false, false), OpenFlags.decode(WRONLY | CREAT));
        // less, cat: O_RDONLY with noise bits (O_NONBLOCK, O_LARGEFILE 0x8000 on Linux)
        assertEquals(OpenMode.READ, OpenFlags.decode(RDONLY | NONBLOCK | 0x8000));
    }

    @Test
    void truncateOnlyWithWriteAccess() {
        // O_TRUNC with O_RDONLY is unspecified by POSIX; it must never empty a file.
        assertEquals(OpenMode.READ, OpenFlags.decode(RDONLY | TRUNC));
        assertEquals(mode(true, true, true, false), OpenFlags.decode(RDWR | TRUNC));
    }
}
