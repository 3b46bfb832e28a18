package org.ftpdrive.cli;

import java.io.IOException;

/** No data mode works from here, with the doctor's diagnosis; exit code 3 like other connection failures. */
final class NoDataConnectionException extends IOException {
    NoDataConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
