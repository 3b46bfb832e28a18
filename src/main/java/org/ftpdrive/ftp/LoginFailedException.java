package org.ftpdrive.ftp;

import java.nio.file.AccessDeniedException;

/** The server refused the user name or password (530 after USER/PASS). */
public final class LoginFailedException extends AccessDeniedException {
    public LoginFailedException(String message) {
        super("", null, message);
    }

    @Override
    public String getMessage() {
        return getReason();
    }
}
