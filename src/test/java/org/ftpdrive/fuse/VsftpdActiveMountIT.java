package org.ftpdrive.fuse;

import java.nio.file.Path;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.TestServer;
import org.ftpdrive.testing.VsftpdServer;

class VsftpdActiveMountIT extends MountContract {
    @Override
    protected TestServer startServer(Path stateDir) {
        return TestRequirements.startVsftpdOrSkip(stateDir, VsftpdServer.Options.defaults().withProtocolLog(false));
    }

    @Override
    protected String mode() {
        return "active";
    }
}
