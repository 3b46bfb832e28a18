package org.ftpdrive.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * The narrow interface the filesystem layer speaks. Implementations turn every failure into a
 * {@link java.nio.file.FileSystemException} subtype ({@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.AccessDeniedException}, {@link java.nio.file.FileAlreadyExistsException},
 * {@link java.nio.file.DirectoryNotEmptyException}, {@link StorageFullException},
 * {@link UnsupportedRemoteOperationException}) or, for network trouble that may go away on retry,
 * a {@link TransientNetworkException}. Nothing reports failure by returning null or false.
 */
public interface RemoteStore extends AutoCloseable {

    /** The entries of a directory, without "." and "..". */
    List<RemoteEntry> list(RemotePath dir) throws IOException;

    /** One entry; its name is {@code path.name()} ("" for the root). */
    RemoteEntry stat(RemotePath path) throws IOException;

    /**
     * Starts reading a file at {@code offset}. Closing the stream before its end cancels the
     * transfer and leaves the connection usable.
     */
    InputStream openRead(RemotePath path, long offset) throws IOException;

    /**
     * Starts writing a file, replacing it, or appending to it when {@code append}. {@code close()}
     * waits for the server to confirm the whole upload and throws when it did not.
     */
    OutputStream openWrite(RemotePath path, boolean append) throws IOException;

    void mkdir(RemotePath dir) throws IOException;

    void rmdir(RemotePath dir) throws IOException;

    void delete(RemotePath file) throws IOException;

    void rename(RemotePath from, RemotePath to) throws IOException;

    void setModTime(RemotePath path, Instant modified) throws IOException;

    /**
     * Sets POSIX permission bits where the server allows it; throws
     * {@link UnsupportedRemoteOperationException} where it does not.
     */
    void chmod(RemotePath path, int mode) throws IOException;

    @Override
    void close();
}
