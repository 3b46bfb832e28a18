package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs ordinary commands (cp, ls, dd, rsync…) the way a user would, each bounded in time. */
public final class Shell {
    /** What a finished command said. */
    public record Result(List<String> command, int exit, String out, String err) {
        public Result requireSuccess() {
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exit + ": " + err.strip() + " "
                        + out.strip());
            }
            return this;
        }
    }

    private Shell() {}

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), null, List.of(command));
    }

    /** Runs {@code sh -c script} (for redirections such as {@code >>}). */
    public static Result sh(Duration timeout, String script) throws IOException, InterruptedException {
        return run(timeout, Map.of(), null, List.of("sh", "-c", script));
    }

    public static Result run(Duration timeout, Map<String, String> env, Path workDir, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("ftpdrive-test-out", ".txt");
        Path err = Files.createTempFile("ftpdrive-test-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s");
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
