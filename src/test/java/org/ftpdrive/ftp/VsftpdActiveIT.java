package org.ftpdrive.ftp;

import java.nio.file.Path;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.TestServer;
import org.ftpdrive.testing.VsftpdServer;

class VsftpdActiveIT extends RemoteStoreContract {
    @Override
    protected TestServer startServer(Path stateDir) {
        return TestRequirements.startVsftpdOrSkip(stateDir, VsftpdServer.Options.defaults());
    }

    @Override
    protected TestServer startLimitedServer(Path stateDir, int max) {
        return TestRequirements.startVsftpdOrSkip(stateDir, VsftpdServer.Options.defaults().withMaxPerIp(max));
    }

    @Override
    protected DataMode mode() {
        return DataMode.ACTIVE;
    }

    @org.junit.jupiter.api.Test
    void refusedForLackOfPermissionIsAccessDenied() throws java.io.IOException {
        refusalsForLackOfPermissionAreAccessDenied();
    }
}
