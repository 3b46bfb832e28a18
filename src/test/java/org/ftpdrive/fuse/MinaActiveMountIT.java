package org.ftpdrive.fuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ftpdrive.testing.MinaTestServer;
import org.ftpdrive.testing.TestServer;

class MinaActiveMountIT extends MountContract {
    @Override
    protected TestServer startServer(Path stateDir) {
        try {
            return MinaTestServer.start(Files.createDirectories(stateDir.resolve("root")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String mode() {
        return "active";
    }
}
