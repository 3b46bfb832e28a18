package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.file.Path;

/** A real FTP server a test talks to: embedded MINA, or vsftpd or ProFTPD started by scripts/ftp-server. */
public interface TestServer extends AutoCloseable {
    String name();

    String host();

    int port();

    String user();

    String password();

    /** The directory on disk that the FTP user sees as its login directory. */
    Path root();

    /** Lets the FTP user change files a test created directly on disk under {@link #root()}. */
    void handOver(Path created) throws IOException;

    /** Ends every open FTP session from the server side, as a crash or an admin would. */
    void killSessions() throws IOException;

    @Override
    void close();
}
