package org.ftpdrive.cli;

/** Exit codes of the ftpdrive command, distinct per kind of failure so scripts can tell them apart. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything not covered below (an I/O error, a bug). */
    public static final int FAILURE = 1;
    /** Bad command line: unknown option, malformed URL, a file named on the command line missing. */
    public static final int USAGE = 2;
    /** The server or its data connections cannot be reached. */
    public static final int CONNECTION = 3;
    /** The server refused the user name or password. */
    public static final int AUTHENTICATION = 4;
    /** The remote path is missing, not allowed, or otherwise refused. */
    public static final int REMOTE_PATH = 5;

    private ExitCodes() {}
}
