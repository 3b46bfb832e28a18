package org.ftpdrive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ftpdrive.demo.EmbeddedFtpServer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a local directory with the embedded FTP server (Apache MINA), for demos and tests.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory to serve.")
    Path dir;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
    String host;

    @Option(names = "--port", defaultValue = "0", description = "Port to listen on (default: any free port).")
    int port;

    @Option(names = "--read-only", description = "Refuse uploads and changes.")
    boolean readOnly;

    @Option(names = "--max-per-address", paramLabel = "N", defaultValue = "0",
            description = "At most N sessions per client address (0: unlimited).")
    int maxPerAddress;

    @ArgGroup(exclusive = true)
    Access access;

    static final class Access {
        @ArgGroup(exclusive = false)
        UserAccess user;

        @Option(names = "--anonymous", required = true, description = "Allow anonymous logins (the default).")
        boolean anonymous;
    }

    static final class UserAccess {
        @Option(names = "--user", required = true, paramLabel = "USER", description = "Require this user name.")
        String name;

        @Option(names = "--password-file", required = true, paramLabel = "FILE",
                description = "The user's password, first line of FILE.")
        Path passwordFile;
    }

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("not a directory: " + dir);
        }
        EmbeddedFtpServer.Builder builder = EmbeddedFtpServer.builder(dir).host(host).port(port)
                .maxLoginsPerAddress(maxPerAddress);
        if (readOnly) {
            builder.readOnly();
        }
        String who;
        if (access != null && access.user != null) {
            builder.user(access.user.name, readPassword(access.user.passwordFile));
            who = "user " + access.user.name;
        } else {
            builder.anonymous();
            who = "anonymous";
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (EmbeddedFtpServer server = builder.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "ftpdrive-serve-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("serving %s at ftp://%s:%d/ (%s%s); Ctrl-C stops%n", dir.toAbsolutePath(),
                    server.host().contains(":") ? "[" + server.host() + "]" : server.host(), server.port(), who,
                    readOnly ? ", read-only" : "");
            out.flush();
            stopped.await();
        }
        return ExitCodes.OK;
    }

    private static String readPassword(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        } catch (IOException e) {
            throw new UsageException("cannot read the password file " + file + ": " + e.getMessage(), e);
        }
    }
}
