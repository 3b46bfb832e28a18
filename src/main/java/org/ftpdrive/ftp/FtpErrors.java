package org.ftpdrive.ftp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.ftpdrive.remote.StorageFullException;
import org.ftpdrive.remote.TransientNetworkException;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;

/**
 * The one place that turns FTP reply codes (RFC 959 section 4.2, RFC 3659) and socket failures into
 * the exceptions the rest of ftpdrive speaks.
 */
public final class FtpErrors {
    private FtpErrors() {}

    /** What kind of thing the failed command was about; 550 means different things for each. */
    public enum Target {
        FILE,
        DIRECTORY,
        UNKNOWN
    }

    /**
     * Maps a negative reply to an exception.
     *
     * @param code the reply code
     * @param reply the reply text (one line, for the message)
     * @param command the command that failed, e.g. "RETR"
     * @param path the remote path it was about, or null
     */
    public static IOException fromReply(int code, String reply, String command, String path, Target target) {
        String text = reply == null ? "" : reply.strip();
        String reason = command + " failed: " + (text.isEmpty() ? String.valueOf(code) : text);
        String file = path == null ? "" : path;
        return switch (code) {
            case 421, 425, 426 -> new TransientNetworkException(withPath(path, reason));
            case 451 -> new TransientNetworkException(withPath(path, reason));
            case 452, 552 -> new StorageFullException(file, reason);
            case 530, 532 -> new AccessDeniedException(file, null, reason);
            case 500, 501, 502, 504 -> new UnsupportedRemoteOperationException(file, reason);
            case 553 -> new AccessDeniedException(file, null, reason);
            // 450 is "file unavailable (busy)", but MINA and others answer it where 550 is meant.
            case 450, 550 -> fromFileUnavailable(file, reason, text, target);
            default -> new FileSystemException(file, null, reason);
        };
    }

    /**
     * 550 (and 450) is "requested action not taken; file unavailable": servers use it for missing files,
     * missing directories, permission problems and non-empty directories alike. The text is the only
     * hint; callers that need certainty check existence afterwards.
     */
    private static IOException fromFileUnavailable(String file, String reason, String text, Target target) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("permission") || lower.contains("denied") || lower.contains("not allowed")) {
            return new AccessDeniedException(file, null, reason);
        }
        if (lower.contains("not empty")) {
            return new java.nio.file.DirectoryNotEmptyException(file);
        }
        if (lower.contains("exist") && !lower.contains("not exist") && !lower.contains("no such")
                && target == Target.DIRECTORY) {
            return new java.nio.file.FileAlreadyExistsException(file, null, reason);
        }
        return new NoSuchFileException(file, null, reason);
    }

    /** Socket-level failures: the connection (or the server) went away or stopped answering. */
    public static IOException fromTransport(IOException e, String what) {
        if (e instanceof TransientNetworkException || e instanceof FileSystemException) {
            return e;
        }
        if (e instanceof FTPConnectionClosedException) {
            return new TransientNetworkException(what + ": the server closed the connection", e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new TransientNetworkException(what + ": timed out waiting for the server", e);
        }
        if (e instanceof SocketException) {
            return new TransientNetworkException(what + ": connection failed (" + e.getMessage() + ")", e);
        }
        return new TransientNetworkException(what + ": " + e.getMessage(), e);
    }

    private static String withPath(String path, String reason) {
        return path == null ? reason : path + ": " + reason;
    }
}
