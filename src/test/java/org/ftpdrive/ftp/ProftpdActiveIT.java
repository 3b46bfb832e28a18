package org.ftpdrive.ftp;

import java.nio.file.Path;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.testing.ProftpdServer;
import org.ftpdrive.testing.TestRequirements;
import org.ftpdrive.testing.TestServer;

/** The contract against ProFTPD, which (unlike vsftpd) lists with MLSD/MLST and sets times with MFMT. */
class ProftpdActiveIT extends RemoteStoreContract {
    @Override
    protected TestServer startServer(Path stateDir) {
        return TestRequirements.startProftpdOrSkip(stateDir, ProftpdServer.Options.defaults());
    }

    @Override
    protected TestServer startLimitedServer(Path stateDir, int max) {
        return TestRequirements.startProftpdOrSkip(stateDir, ProftpdServer.Options.defaults().withMaxPerIp(max));
    }

    @Override
    protected void assertLearntLimit(int max, int learnt) {
        assertLearntLimitAtMost(max, learnt);
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
