package org.ftpdrive.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.apache.mina.transport.socket.SocketSessionConfig;

/**
 * An Apache MINA FtpServer serving one directory, for the demo and the tests. Listens on loopback
 * by default, on an ephemeral port unless one is given.
 */
public final class EmbeddedFtpServer implements AutoCloseable {
    private final FtpServer server;
    private final Listener listener;
    private final String host;
    private final Path root;
    private final Map<String, RefusedCommand> refused;

    private EmbeddedFtpServer(FtpServer server, Listener listener, String host, Path root,
            Map<String, RefusedCommand> refused) {
        this.server = server;
        this.listener = listener;
        this.host = host;
        this.root = root;
        this.refused = refused;
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    public String host() {
        return host;
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return listener.getPort();
    }

    public Path root() {
        return root;
    }

    /** How often a command set up with {@link Builder#refuse} was sent (0 for others). */
    public int refusals(String command) {
        RefusedCommand c = refused.get(command.toUpperCase(java.util.Locale.ROOT));
        return c == null ? 0 : c.count();
    }

    /** Stops accepting and closes every session. Idempotent. */
    @Override
    public void close() {
        if (!server.isStopped()) {
            server.stop();
        }
    }

    public static final class Builder {
        private final Path root;
        private String host = "127.0.0.1";
        private int port;
        private String user;
        private String password;
        private boolean anonymous;
        private boolean writable = true;
        private int maxLoginsPerAddress;
        private String passivePorts;
        private String passiveAdvertised;
        private final Map<String, RefusedCommand> refused = new HashMap<>();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        /** A user that logs in with this password; may be combined with {@link #anonymous()}. */
        public Builder user(String name, String pass) {
            user = name;
            password = pass;
            return this;
        }

        public Builder anonymous() {
            anonymous = true;
            return this;
        }

        public Builder readOnly() {
            writable = false;
            return this;
        }

        /** At most this many connections per client address, refused with 421 (0: no limit). */
        public Builder maxLoginsPerAddress(int value) {
            maxLoginsPerAddress = value;
            return this;
        }

        /** Passive ports, in MINA's syntax ("40000-40050"); any free port when unset. */
        public Builder passivePorts(String value) {
            passivePorts = value;
            return this;
        }

        /**
         * The address PASV replies name instead of the listening one, as a server behind NAT does
         * (for tests of the client's workaround).
         */
        public Builder passiveAdvertisedAddress(String value) {
            passiveAdvertised = value;
            return this;
        }

        /** Answers a command with "502 Command not implemented", as servers lacking it do. */
        public Builder refuse(String command) {
            String name = command.toUpperCase(java.util.Locale.ROOT);
            refused.put(name, new RefusedCommand(name));
            return this;
        }

        public EmbeddedFtpServer start() throws IOException {
            if (!Files.isDirectory(root)) {
                throw new IOException("not a directory: " + root);
            }
            if (user == null && !anonymous) {
                throw new IllegalStateException("neither a user nor anonymous access was configured");
            }
            FtpServerFactory factory = new FtpServerFactory();
            ListenerFactory listenerFactory = new ListenerFactory();
            listenerFactory.setServerAddress(host);
            listenerFactory.setPort(port);
            // MINA leaves Nagle's algorithm on for the control connection, which stalls every
            // command/reply exchange by ~40 ms (delayed ACK); the session filter is the one hook
            // that sees MINA's session before the greeting.
            listenerFactory.setSessionFilter(session -> {
                if (session.getConfig() instanceof SocketSessionConfig config) {
                    config.setTcpNoDelay(true);
                }
                return true;
            });
            DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
            data.setPassiveAddress(host);
            data.setPassiveExternalAddress(passiveAdvertised == null ? host : passiveAdvertised);
            if (passivePorts != null) {
                data.setPassivePorts(passivePorts);
            }
            data.setActiveEnabled(true);
            data.setActiveIpCheck(true);
            listenerFactory.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
            factory.addListener("default", listenerFactory.createListener());

            ConnectionConfigFactory connections = new ConnectionConfigFactory();
            connections.setAnonymousLoginEnabled(anonymous);
            connections.setMaxLogins(200);
            connections.setMaxAnonymousLogins(200);
            connections.setMaxLoginFailures(0);
            connections.setLoginFailureDelay(0);
            factory.setConnectionConfig(connections.createConnectionConfig());

            PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
            users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
            UserManager userManager = users.createUserManager();
            try {
                if (user != null) {
                    userManager.save(newUser(user, password));
                }
                if (anonymous) {
                    userManager.save(newUser("anonymous", ""));
                }
            } catch (FtpException e) {
                throw new IOException("cannot configure the embedded server's users: " + e.getMessage(), e);
            }
            factory.setUserManager(userManager);
            if (maxLoginsPerAddress > 0) {
                factory.setFtplets(new HashMap<>(Map.of("connection-limit", new ConnectionLimitFtplet(maxLoginsPerAddress))));
            }

            if (!refused.isEmpty()) {
                CommandFactoryFactory commands = new CommandFactoryFactory();
                refused.forEach(commands::addCommand);
                factory.setCommandFactory(commands.createCommandFactory());
            }

            FtpServer server = factory.createServer();
            try {
                server.start();
            } catch (FtpException | RuntimeException e) {
                throw new IOException("cannot start the embedded FTP server on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
            return new EmbeddedFtpServer(server, factory.getListener("default"), host, root, Map.copyOf(refused));
        }

        private BaseUser newUser(String name, String pass) {
            BaseUser u = new BaseUser();
            u.setName(name);
            u.setPassword(pass);
            u.setHomeDirectory(root.toAbsolutePath().toString());
            u.setMaxIdleTime(0);
            List<Authority> authorities = new ArrayList<>();
            if (writable) {
                authorities.add(new WritePermission());
            }
            authorities.add(new ConcurrentLoginPermission(0, 0));
            u.setAuthorities(authorities);
            return u;
        }
    }
}
