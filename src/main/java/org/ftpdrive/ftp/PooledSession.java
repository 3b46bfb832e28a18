package org.ftpdrive.ftp;

import java.io.IOException;

/** What the pool needs of a session: a liveness check, a broken flag, and a way to end it. */
public interface PooledSession extends AutoCloseable {
    /** True once a transport error made the session unusable. */
    boolean isBroken();

    /** A cheap round trip that throws when the session is dead. */
    void checkAlive() throws IOException;

    /** Ends the session (QUIT where possible); never throws. */
    @Override
    void close();
}
