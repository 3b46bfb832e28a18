package org.ftpdrive.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.stream.Stream;
import jnr.constants.platform.Errno;
import org.ftpdrive.remote.InvalidRemoteNameException;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.StorageFullException;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;
import org.ftpdrive.vfs.BadHandleException;
import org.ftpdrive.vfs.IsDirectoryException;
import org.ftpdrive.vfs.ReadOnlyDriveException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every exception the lower layers throw, and the error number a program gets for it. */
class ErrnoTranslatorTest {
    static Stream<Arguments> table() {
        InvalidRemoteNameException badName =
                assertThrows(InvalidRemoteNameException.class, () -> RemotePath.of("/a\r\nDELE b"));
        return Stream.of(
                Arguments.of(new NoSuchFileException("/f"), Errno.ENOENT),
                Arguments.of(new FileAlreadyExistsException("/f"), Errno.EEXIST),
                Arguments.of(new DirectoryNotEmptyException("/d"), Errno.ENOTEMPTY),
                Arguments.of(new NotDirectoryException("/f"), Errno.ENOTDIR),
                Arguments.of(new IsDirectoryException("/d"), Errno.EISDIR),
                Arguments.of(new AccessDeniedException("/f"), Errno.EACCES),
                Arguments.of(new ReadOnlyDriveException("/f"), Errno.EROFS),
                Arguments.of(new StorageFullException("/f", "552 quota exceeded"), Errno.ENOSPC),
                Arguments.of(badName, Errno.EINVAL),
                Arguments.of(new IllegalArgumentException("bad"), Errno.EINVAL),
                Arguments.of(new BadHandleException(42), Errno.EBADF),
                // Not ENOSYS: FUSE would never call the operation again for the whole mount.
                Arguments.of(new UnsupportedRemoteOperationException("/f", "502"), Errno.EPERM),
                Arguments.of(new InterruptedIOException("interrupted"), Errno.EINTR),
                Arguments.of(new FileSystemException("/f", null, "not a symbolic link"), Errno.EINVAL),
                Arguments.of(new TransientNetworkException("421 closing"), Errno.EIO),
                Arguments.of(new FileSystemException("/f", null, "451 local error"), Errno.EIO),
                Arguments.of(new FileSystemException("/f"), Errno.EIO),
                Arguments.of(new IOException("connection reset"), Errno.EIO),
                Arguments.of(new IllegalStateException("bug"), Errno.EIO),
                Arguments.of(new NullPointerException(), Errno.EIO),
                Arguments.of(new OutOfMemoryError(), Errno.EIO));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void everyExceptionHasItsErrno(Throwable t, Errno expected) {
        assertEquals(expected, ErrnoTranslator.errnoOf(t));
        assertEquals(-expected.intValue(), ErrnoTranslator.toFuse(t));
    }

    @Test
    void theNumbersAreThisPlatformsAndNegativeForFuse() {
        assertTrue(Errno.ENOENT.defined());
        assertTrue(ErrnoTranslator.toFuse(new NoSuchFileException("/f")) < 0);
        if (System.getProperty("os.name").startsWith("Linux")) {
            // From asm-generic/errno-base.h and errno.h; macOS differs for ENOTEMPTY (66).
            assertEquals(-2, ErrnoTranslator.toFuse(new NoSuchFileException("/f")));
            assertEquals(-39, ErrnoTranslator.toFuse(new DirectoryNotEmptyException("/d")));
            assertEquals(-30, ErrnoTranslator.toFuse(new ReadOnlyDriveException("/f")));
            assertEquals(-5, ErrnoTranslator.toFuse(new IOException("x")));
        }
    }

    @Test
    void subclassesKeepTheirSpecificErrno() {
        // ReadOnlyDriveException and IsDirectoryException are FileSystemExceptions too; the plain
        // FileSystemException fallback must not swallow them.
        assertEquals(Errno.EROFS, ErrnoTranslator.errnoOf(new ReadOnlyDriveException("/")));
        assertEquals(Errno.EISDIR, ErrnoTranslator.errnoOf(new IsDirectoryException("/")));
        assertEquals(Errno.EBADF, ErrnoTranslator.errnoOf(new BadHandleException(1)));
    }
}
