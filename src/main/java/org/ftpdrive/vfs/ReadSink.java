package org.ftpdrive.vfs;

/** Where a read's bytes go: the FUSE buffer in the adapter, a byte array in tests. */
@FunctionalInterface
public interface ReadSink {
    /** Copies {@code length} bytes of {@code src} from {@code srcOffset} to {@code destOffset}. */
    void put(long destOffset, byte[] src, int srcOffset, int length);

    static ReadSink of(byte[] dest) {
        return (destOffset, src, srcOffset, length) -> System.arraycopy(src, srcOffset, dest, (int) destOffset, length);
    }
}
