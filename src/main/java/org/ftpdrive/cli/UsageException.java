package org.ftpdrive.cli;

/**
 * Bad command-line input. The message is the single line to show the user, so it must be
 * self-explanatory and must never contain a password.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
