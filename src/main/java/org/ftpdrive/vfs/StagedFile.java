package org.ftpdrive.vfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local copy of one open file, for writes that are not sequential. Not thread-safe: its owner locks. */
final class StagedFile implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;

    private final Path file;
    private final FileChannel channel;

    private StagedFile(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static StagedFile empty(StagingArea area) throws IOException {
        return new StagedFile(area.newFile());
    }

    /** A copy filled from {@code in}, which must deliver exactly {@code expected} bytes when known (≥ 0). */
    static StagedFile filledFrom(StagingArea area, InputStream in, long expected) throws IOException {
        StagedFile staged = empty(area);
        try {
            long n = staged.channel.transferFrom(Channels.newChannel(in), 0, Long.MAX_VALUE);
            while (true) {
                // transferFrom may stop early on a socket stream; keep going until the end.
                long more = staged.channel.transferFrom(Channels.newChannel(in), n, Long.MAX_VALUE);
                if (more <= 0) {
                    break;
                }
                n += more;
            }
            if (expected >= 0 && n != expected) {
                throw new IOException("downloaded " + n + " bytes of " + expected);
            }
            return staged;
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    int read(long offset, int size, ReadSink sink) throws IOException {
        byte[] buf = new byte[Math.min(size, BUFFER)];
        int done = 0;
        while (done < size) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, Math.min(buf.length, size - done));
            int n = channel.read(bb, offset + done);
            if (n <= 0) {
                break;
            }
            sink.put(done, buf, 0, n);
            done += n;
        }
        return done;
    }

    void write(long offset, byte[] data, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(data, 0, length);
        long pos = offset;
        while (bb.hasRemaining()) {
            pos += channel.write(bb, pos);
        }
    }

    void truncate(long size) throws IOException {
        if (size < channel.size()) {
            channel.truncate(size);
        } else if (size > channel.size()) {
            channel.write(ByteBuffer.allocate(1), size - 1); // extend with zeros
        }
    }

    void copyTo(OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
