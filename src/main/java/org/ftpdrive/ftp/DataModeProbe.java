package org.ftpdrive.ftp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.ftp.Diagnosis.Outcome;
import org.ftpdrive.ftp.Diagnosis.Probe;
import org.ftpdrive.ftp.Diagnosis.Step;

/**
 * The checks behind {@code ftpdrive doctor}: name resolution, TCP connection, greeting, login and
 * FEAT on one session, then a listing of the URL's directory with each of EPSV, PASV, EPRT and
 * PORT, each on a fresh session. Every step is bounded by the settings' timeouts.
 */
public final class DataModeProbe {
    private final ConnectionSettings settings;

    private DataModeProbe(ConnectionSettings settings) {
        this.settings = settings;
    }

    public static Diagnosis run(ConnectionSettings settings) {
        return new DataModeProbe(settings).run();
    }

    /**
     * About the longest {@link #run} takes on a server that answers: the connection, then four
     * data connections that each time out (active mode waits one second longer for its reply).
     */
    public static Duration upperBound(ConnectionSettings settings) {
        return settings.connectTimeout().plus(settings.dataConnectTimeout().plusSeconds(1).multipliedBy(4));
    }

    private Diagnosis run() {
        String host = settings.endpoint().host();
        int port = settings.endpoint().port();
        String user = settings.credentials().user();
        Builder d = new Builder(host, port, user, settings.usePasvAddress());

        long start = System.nanoTime();
        InetAddress address;
        try {
            InetAddress[] all = resolve(host, settings.connectTimeout());
            address = all[0];
            d.resolution = Step.ok(millisSince(start), Arrays.stream(all).map(InetAddress::getHostAddress)
                    .distinct().collect(Collectors.joining(", ")));
        } catch (UnknownHostException e) {
            d.resolution = Step.failed(millisSince(start), "unknown host '" + host + "'");
            return d.build();
        } catch (TimeoutException e) {
            d.resolution = Step.failed(millisSince(start), "no answer for '" + host + "' within "
                    + settings.connectTimeout().toSeconds() + " s");
            return d.build();
        }

        FtpSessionFactory factory = new FtpSessionFactory(settings);
        FtpDataClient client = factory.newClient();
        TimingSocketFactory timing = new TimingSocketFactory();
        client.setSocketFactory(timing);
        String where = address.getHostAddress() + ":" + port;
        start = System.nanoTime();
        try {
            factory.connect(client, address);
            long total = millisSince(start);
            d.connection = Step.ok(timing.connectMillis, where);
            d.greeting = Step.ok(Math.max(0, total - timing.connectMillis), firstLine(client.getReplyString()));
        } catch (IOException e) {
            long total = millisSince(start);
            if (timing.connected) {
                d.connection = Step.ok(timing.connectMillis, where);
                d.greeting = Step.failed(total - timing.connectMillis, firstLine(e.getMessage()));
            } else {
                d.connection = Step.failed(total, firstLine(e.getMessage()));
            }
            FtpSessionFactory.disconnectQuietly(client);
            return d.build();
        }

        start = System.nanoTime();
        try {
            factory.login(client);
            d.login = Step.ok(millisSince(start), "as '" + user + "'");
        } catch (IOException e) {
            d.login = Step.failed(millisSince(start), firstLine(e.getMessage()));
            d.loginRefused = e instanceof LoginFailedException;
            FtpSessionFactory.disconnectQuietly(client);
            return d.build();
        }

        String directory;
        try (FtpSession session = factory.finishSetup(client, DataMode.PASSIVE)) {
            d.features = session.features();
            directory = session.home().resolvePath(settings.endpoint().path().toString()).toString();
            start = System.nanoTime();
            try {
                session.changeDirectory(directory);
                d.directoryCheck = Step.ok(millisSince(start), directory);
            } catch (IOException e) {
                d.directoryCheck = Step.failed(millisSince(start), firstLine(e.getMessage()));
                // The data connections can still be tested with the login directory.
                directory = session.home().toString();
            }
        } catch (IOException e) {
            d.login = Step.failed(d.login.millis(), "logged in, but setting up the session failed: "
                    + firstLine(e.getMessage()));
            FtpSessionFactory.disconnectQuietly(client);
            return d.build();
        }
        d.directory = directory;

        boolean ipv6 = address instanceof Inet6Address;
        for (DataCommand command : DataCommand.values()) {
            d.probes.add(probe(command, directory, ipv6));
        }
        return d.build();
    }

    private Probe probe(DataCommand command, String directory, boolean ipv6) {
        if (ipv6 && (command == DataCommand.PASV || command == DataCommand.PORT)) {
            return new Probe(command, Outcome.NOT_APPLICABLE, 0, 0,
                    command + " cannot name an IPv6 address, and the server is reached over IPv6", null);
        }
        // A listing that stalls mid-transfer is bounded by the reply timeout, not the long data timeout.
        Duration dataTimeout = settings.dataTimeout().compareTo(settings.controlTimeout()) < 0
                ? settings.dataTimeout() : settings.controlTimeout();
        ConnectionSettings s = settings.toBuilder()
                .dataMode(command.mode())
                .useEpsv(command == DataCommand.EPSV)
                .dataTimeout(dataTimeout)
                .build();
        FtpSession session;
        long start = System.nanoTime();
        try {
            session = new FtpSessionFactory(s).open(command.mode(), command);
        } catch (IOException e) {
            return new Probe(command, Outcome.FAILED, millisSince(start), 0,
                    "could not open a session: " + firstLine(e.getMessage()), null);
        }
        try (session) {
            start = System.nanoTime();
            try {
                int entries = session.list(directory).size();
                return new Probe(command, Outcome.OK, millisSince(start), entries, "", advertised(command, session));
            } catch (DataConnectionException e) {
                return new Probe(command, outcome(e.reason()), millisSince(start), 0, firstLine(e.getMessage()),
                        advertised(command, session));
            } catch (IOException e) {
                return new Probe(command, Outcome.FAILED, millisSince(start), 0, firstLine(e.getMessage()),
                        advertised(command, session));
            }
        }
    }

    /** The address the PASV reply named, when it is not the server's (control connection's) address. */
    private static String advertised(DataCommand command, FtpSession session) {
        if (command != DataCommand.PASV) {
            return null;
        }
        String named = session.lastPasvAdvertised();
        InetAddress peer = session.remoteAddress();
        if (named == null || peer == null || named.equals(peer.getHostAddress())) {
            return null;
        }
        return named;
    }

    private static Outcome outcome(DataConnectionException.Reason reason) {
        return switch (reason) {
            case COMMAND_REFUSED -> Outcome.COMMAND_REFUSED;
            case CONNECTION_REFUSED -> Outcome.CONNECTION_REFUSED;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case SERVER_CANNOT_CONNECT -> Outcome.SERVER_CANNOT_CONNECT;
            case OTHER -> Outcome.FAILED;
        };
    }

    /** InetAddress lookups cannot be interrupted, so the wait for one is bounded from outside. */
    private static InetAddress[] resolve(String host, Duration timeout) throws UnknownHostException, TimeoutException {
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        });
        try {
            return lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw new UnknownHostException(host + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String s = text.strip();
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** Creates the control socket and notes how long its TCP connect took. */
    private static final class TimingSocketFactory extends UnconnectedSocketFactory {
        volatile boolean connected;
        volatile long connectMillis;

        TimingSocketFactory() {
            super("control");
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    long start = System.nanoTime();
                    try {
                        super.connect(endpoint, timeout);
                        connected = true;
                    } finally {
                        connectMillis = millisSince(start);
                    }
                }
            };
        }
    }

    private static final class Builder {
        final String host;
        final int port;
        final String user;
        final boolean trustPasvAddress;
        String directory;
        Step resolution = Step.SKIPPED;
        Step connection = Step.SKIPPED;
        Step greeting = Step.SKIPPED;
        Step login = Step.SKIPPED;
        boolean loginRefused;
        FtpFeatures features;
        Step directoryCheck = Step.SKIPPED;
        final List<Probe> probes = new ArrayList<>();

        Builder(String host, int port, String user, boolean trustPasvAddress) {
            this.host = host;
            this.port = port;
            this.user = user;
            this.trustPasvAddress = trustPasvAddress;
        }

        Diagnosis build() {
            return new Diagnosis(host, port, user, directory, resolution, connection, greeting, login, loginRefused,
                    features, directoryCheck, trustPasvAddress, probes);
        }
    }
}
