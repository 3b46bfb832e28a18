package org.ftpdrive.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Reads and writes {@code struct fuse_file_info} (libfuse 2, 64-bit) by offset. jnr-fuse's struct
 * declares the bit fields as whole ints and has no {@code writepage}, so its {@code keep_cache}
 * setter writes the wrong place; the offsets below follow {@code fuse_common.h}.
 */
final class FileInfo {
    static final int FLAGS = 0;
    static final int BITS = 20;
    static final int FH = 24;
    static final int DIRECT_IO = 1;
    static final int KEEP_CACHE = 1 << 1;

    private FileInfo() {}

    private static Pointer memory(FuseFileInfo fi) {
        return Struct.getMemory(fi);
    }

    static int flags(FuseFileInfo fi) {
        return memory(fi).getInt(FLAGS);
    }

    static long handle(FuseFileInfo fi) {
        return memory(fi).getLong(FH);
    }

    static void setHandle(FuseFileInfo fi, long handle) {
        memory(fi).putLong(FH, handle);
    }

    static void setDirectIo(FuseFileInfo fi, boolean direct) {
        Pointer m = memory(fi);
        int bits = m.getInt(BITS);
        m.putInt(BITS, direct ? bits | DIRECT_IO : bits & ~DIRECT_IO);
    }

    static void setKeepCache(FuseFileInfo fi, boolean keep) {
        Pointer m = memory(fi);
        int bits = m.getInt(BITS);
        m.putInt(BITS, keep ? bits | KEEP_CACHE : bits & ~KEEP_CACHE);
    }
}
