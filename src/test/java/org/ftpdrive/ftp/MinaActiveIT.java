package org.ftpdrive.ftp;

import java.io.IOException;
import java.nio.file.Path;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.testing.MinaTestServer;
import org.ftpdrive.testing.TestServer;

class MinaActiveIT extends RemoteStoreContract {
    @Override
    protected TestServer startServer(Path stateDir) throws IOException {
        return MinaTestServer.start(stateDir);
    }

    @Override
    protected TestServer startLimitedServer(Path stateDir, int max) throws IOException {
        return MinaTestServer.startWithMaxPerAddress(stateDir, max);
    }

    @Override
    protected boolean supportsChmod() {
        return false;
    }


    @Override
    protected DataMode mode() {
        return DataMode.ACTIVE;
    }
}
