package org.ftpdrive.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A private Linux network namespace ({@code ip netns add ftpdrive-t-<random>}) with only its own
 * loopback up, for tests that need firewall rules (nftables) without touching the machine's
 * network: nothing in it can reach outside, and its rules vanish with it.
 *
 * <p>{@link #create()} goes through {@link TestRequirements#require} when namespaces cannot be used
 * here (not root, iproute2 or nftables missing, no permission to create namespaces). {@link
 * #close()} deletes the namespace ({@code ip netns del}); processes that a test started inside it
 * and left running are killed first, by pid (they can only be the test's own: the namespace's
 * name is random and private). A JVM shutdown hook does the same if the test JVM exits early.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final String PREFIX = "ftpdrive-t-";
    private static final Map<String, String> PACKAGES = Map.of("ip", "iproute2", "nft", "nftables", "nsenter",
            "util-linux");

    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private NetworkNamespace(String name) {
        this.name = name;
        this.shutdownHook = new Thread(this::deleteQuietly, "netns-del-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Why this machine cannot run namespace tests, or null when it can (probably). */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "network namespaces need Linux";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces and nftables need root";
        }
        for (String tool : List.of("ip", "nft", "nsenter")) {
            if (tool(tool) == null) {
                return "'" + tool + "' is missing (apt-get install " + PACKAGES.get(tool) + ")";
            }
        }
        return null;
    }

    /** Creates the namespace and brings its loopback up; skips (or fails under CI) when that is impossible. */
    public static NetworkNamespace create() throws IOException, InterruptedException {
        String reason = unavailableReason();
        TestRequirements.require(reason == null, "cannot run network namespace tests: " + reason);
        byte[] random = new byte[5];
        new SecureRandom().nextBytes(random);
        String name = PREFIX + HexFormat.of().formatHex(random);
        Shell.Result add = Shell.run(COMMAND_TIMEOUT, command("ip"), "netns", "add", name);
        TestRequirements.require(add.exit() == 0, "cannot create a network namespace (ip netns add): "
                + add.err().strip());
        NetworkNamespace ns = new NetworkNamespace(name);
        try {
            ns.exec(COMMAND_TIMEOUT, command("ip"), "link", "set", "lo", "up").requireSuccess();
            Shell.Result nft = ns.exec(COMMAND_TIMEOUT, command("nft"), "list", "ruleset");
            TestRequirements.require(nft.exit() == 0, "nftables does not work in a network namespace here: "
                    + nft.err().strip());
        } catch (Throwable t) {
            ns.close();
            throw t;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The command prefix that runs a command inside the namespace. */
    public List<String> prefix() {
        return List.of(command("ip"), "netns", "exec", name);
    }

    /**
     * The command prefix that runs a command in the namespace's network only ({@code nsenter
     * --net}), keeping the machine's mount namespace: a FUSE mount made this way is visible to the
     * test (and unmountable by it), while its FTP connections stay inside the namespace. {@code ip
     * netns exec} would give each command a mount namespace of its own.
     */
    public List<String> networkOnlyPrefix() {
        return List.of(command("nsenter"), "--net=/run/netns/" + name);
    }

    /** Runs a command inside the namespace, bounded in time. */
    public Shell.Result exec(Duration timeout, String... command) throws IOException, InterruptedException {
        return exec(timeout, Map.of(), List.of(command));
    }

    public Shell.Result exec(Duration timeout, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(prefix());
        full.addAll(command);
        return Shell.run(timeout, env, null, full);
    }

    /**
     * Loads nftables rules for the namespace's input hook (what arrives at any socket in it,
     * loopback included), replacing the ones loaded before: {@code rules} are statements of the
     * chain, one a line, e.g. {@code tcp dport 30000-30009 drop}. Connections already established
     * stay up unless a rule drops their packets.
     */
    public void firewall(Path workDir, String... rules) throws IOException, InterruptedException {
        // "add" then "delete" empties the table whether or not it existed; nft -f applies the file atomically.
        StringBuilder file = new StringBuilder("add table inet ftpdrive_test\ndelete table inet ftpdrive_test\n"
                + "table inet ftpdrive_test {\n  chain input {\n"
                + "    type filter hook input priority 0; policy accept;\n");
        for (String rule : rules) {
            file.append("    ").append(rule).append('\n');
        }
        file.append("  }\n}\n");
        Path rulesFile = workDir.resolve("rules-" + name + ".nft");
        Files.writeString(rulesFile, file, StandardCharsets.UTF_8);
        Shell.Result r = exec(COMMAND_TIMEOUT, command("nft"), "-f", rulesFile.toString());
        if (r.exit() != 0) {
            throw new IOException("nft -f failed (exit " + r.exit() + "): " + r.err().strip() + "\n" + file);
        }
    }

    /** Deletes the namespace (after killing, by pid, whatever still runs in it). Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or is about to; deleting twice is harmless
        }
        deleteQuietly();
    }

    private void deleteQuietly() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Shell.Result pids = Shell.run(COMMAND_TIMEOUT, command("ip"), "netns", "pids", name);
            for (String line : pids.out().split("\\R")) {
                if (line.strip().matches("\\d+")) {
                    long pid = Long.parseLong(line.strip());
                    System.err.println("NetworkNamespace: killing pid " + pid + " left running in " + name);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Shell.Result del = Shell.run(COMMAND_TIMEOUT, command("ip"), "netns", "del", name);
            if (del.exit() != 0) {
                System.err.println("NetworkNamespace: ip netns del " + name + " failed: " + del.err().strip());
            }
        } catch (IOException | RuntimeException | Error e) {
            System.err.println("NetworkNamespace: cannot delete " + name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tool's full path when found, else its name (the run then fails with the shell's message). */
    private static String command(String tool) {
        Path p = tool(tool);
        return p == null ? tool : p.toString();
    }

    /** The tool's path from PATH, or the sbin directories that a non-login PATH may lack. */
    private static Path tool(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return null;
    }
}
