package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.ftpdrive.ftp.FtpErrors.Target;
import org.ftpdrive.remote.StorageFullException;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;
import org.junit.jupiter.api.Test;

class FtpErrorsTest {
    private static IOException map(int code, String text, Target target) {
        return FtpErrors.fromReply(code, code + " " + text, "CMD", "/x", target);
    }

    @Test
    void fileUnavailableDependsOnTextAndTarget() {
        assertInstanceOf(NoSuchFileException.class, map(550, "Failed to open file.", Target.FILE));
        assertInstanceOf(NoSuchFileException.class, map(550, "/x: No such file or directory", Target.DIRECTORY));
        assertInstanceOf(AccessDeniedException.class, map(550, "Permission denied.", Target.FILE));
        assertInstanceOf(DirectoryNotEmptyException.class, map(550, "Directory not empty", Target.DIRECTORY));
        assertInstanceOf(FileAlreadyExistsException.class, map(550, "Directory already exists", Target.DIRECTORY));
        assertInstanceOf(NoSuchFileException.class, map(550, "Directory already exists", Target.FILE));
    }

    @Test
    void spaceAuthUnsupportedAndTransient() {
        assertInstanceOf(StorageFullException.class, map(552, "Exceeded storage allocation", Target.FILE));
        assertInstanceOf(StorageFullException.class, map(452, "Insufficient storage space", Target.FILE));
        assertInstanceOf(AccessDeniedException.class, map(530, "Not logged in", Target.FILE));
        assertInstanceOf(AccessDeniedException.class, map(553, "Could not create file.", Target.FILE));
        assertInstanceOf(UnsupportedRemoteOperationException.class, map(502, "Command not implemented", Target.FILE));
        assertInstanceOf(UnsupportedRemoteOperationException.class, map(500, "Unknown SITE command.", Target.FILE));
        assertInstanceOf(NoSuchFileException.class, map(450, "Can't delete file /x.", Target.FILE));
        for (int code : new int[] {421, 425, 426, 451}) {
            assertInstanceOf(TransientNetworkException.class, map(code, "trouble", Target.FILE), "code " + code);
        }
        IOException other = map(551, "Page type unknown", Target.FILE);
        assertEquals(FileSystemException.class, other.getClass());
    }

    @Test
    void messagesCarryCommandPathAndReply() {
        IOException e = map(550, "Failed to open file.", Target.FILE);
        assertTrue(e.getMessage().contains("/x"), e.getMessage());
        assertTrue(e.getMessage().contains("CMD failed: 550 Failed to open file."), e.getMessage());
    }

    @Test
    void socketFailuresAreTransient() {
        assertInstanceOf(TransientNetworkException.class,
                FtpErrors.fromTransport(new SocketTimeoutException("Read timed out"), "RETR /x"));
        assertInstanceOf(TransientNetworkException.class,
                FtpErrors.fromTransport(new ConnectException("Connection refused"), "RETR /x"));
        IOException closed = FtpErrors.fromTransport(new FTPConnectionClosedException("421"), "LIST /");
        assertTrue(closed.getMessage().contains("closed the connection"), closed.getMessage());
        NoSuchFileException kept = new NoSuchFileException("/x");
        assertEquals(kept, FtpErrors.fromTransport(kept, "RETR /x"), "file errors pass through unchanged");
    }
}
