package org.ftpdrive.remote;

import java.nio.file.InvalidPathException;

/** A name that can never be sent to an FTP server (EINVAL at the filesystem level). */
public final class InvalidRemoteNameException extends InvalidPathException {
    public InvalidRemoteNameException(String name, String reason) {
        // The raw name may hold control characters; show it escaped so logs stay one line.
        super(escape(name), reason);
    }

    static String escape(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\0' -> sb.append("\\0");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
