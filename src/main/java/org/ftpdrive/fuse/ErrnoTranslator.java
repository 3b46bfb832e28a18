package org.ftpdrive.fuse;

import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import jnr.constants.platform.Errno;
import org.ftpdrive.remote.InvalidRemoteNameException;
import org.ftpdrive.remote.StorageFullException;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;
import org.ftpdrive.vfs.BadHandleException;
import org.ftpdrive.vfs.IsDirectoryException;
import org.ftpdrive.vfs.ReadOnlyDriveException;

/**
 * The one place where exceptions become error numbers. The numbers come from jnr-constants, which
 * reads them for the running platform, so the same table serves Linux and macOS.
 */
final class ErrnoTranslator {
    private ErrnoTranslator() {}

    static Errno errnoOf(Throwable t) {
        if (t instanceof NoSuchFileException) {
            return Errno.ENOENT;
        } else if (t instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        } else if (t instanceof DirectoryNotEmptyException) {
            return Errno.ENOTEMPTY;
        } else if (t instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        } else if (t instanceof IsDirectoryException) {
            return Errno.EISDIR;
        } else if (t instanceof AccessDeniedException) {
            return Errno.EACCES;
        } else if (t instanceof ReadOnlyDriveException) {
            return Errno.EROFS;
        } else if (t instanceof StorageFullException) {
            return Errno.ENOSPC;
        } else if (t instanceof InvalidRemoteNameException || t instanceof IllegalArgumentException) {
            return Errno.EINVAL;
        } else if (t instanceof BadHandleException) {
            return Errno.EBADF;
        } else if (t instanceof UnsupportedRemoteOperationException) {
            // Not ENOSYS: FUSE would take that as "never call this operation again".
            return Errno.EPERM;
        } else if (t instanceof InterruptedIOException) {
            return Errno.EINTR;
        } else if (t instanceof FileSystemException fse && fse.getReason() != null
                && fse.getReason().startsWith("not a symbolic link")) {
            return Errno.EINVAL;
        }
        return Errno.EIO;
    }

    /** The negative error number a FUSE callback returns. */
    static int toFuse(Throwable t) {
        return -errnoOf(t).intValue();
    }
}
