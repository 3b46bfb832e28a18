package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.ftpdrive.demo.EmbeddedFtpServer;

/** The embedded Apache MINA FtpServer with a password user, as a {@link TestServer}. */
public final class MinaTestServer implements TestServer {
    private static final String USER = "tester";
    private static final String PASSWORD = "s3cret-Pw!";

    private final Path root;
    private final int maxPerAddress;
    private EmbeddedFtpServer server;

    private MinaTestServer(Path root, int maxPerAddress) throws IOException {
        this.root = root;
        this.maxPerAddress = maxPerAddress;
        this.server = start(0);
    }

    public static MinaTestServer start(Path root) throws IOException {
        return new MinaTestServer(root, 0);
    }

    public static MinaTestServer startWithMaxPerAddress(Path root, int max) throws IOException {
        return new MinaTestServer(root, max);
    }

    private EmbeddedFtpServer start(int port) throws IOException {
        return EmbeddedFtpServer.builder(root).port(port).user(USER, PASSWORD).maxLoginsPerAddress(maxPerAddress)
                .start();
    }

    @Override
    public String name() {
        return "mina";
    }

    @Override
    public String host() {
        return server.host();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public void handOver(Path created) {
        // MINA runs in this JVM, as the same user that created the files.
    }

    /** A restart on the same port: every session of the old instance is gone. */
    @Override
    public void killSessions() throws IOException {
        int port = server.port();
        server.close();
        server = start(port);
    }

    @Override
    public void close() {
        server.close();
    }
}
