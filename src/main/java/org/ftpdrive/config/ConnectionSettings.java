package org.ftpdrive.config;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to open FTP sessions to one server, as the user configured it.
 *
 * @param endpoint host, port and base path
 * @param credentials who to log in as
 * @param dataMode passive, active or auto
 * @param activePortRange local ports to listen on in active mode, or null for any free port
 * @param activeAddress address to advertise in PORT/EPRT (the client's public address behind
 *     NAT), or null for the control connection's local address
 * @param useEpsv try EPSV before PASV in passive mode (off for servers or middleboxes that mishandle it)
 * @param usePasvAddress trust the address in PASV replies even when it differs from the server's
 *     (servers behind load balancers); false replaces it with the control connection's address
 * @param encoding the server's file name encoding
 * @param connections the most sessions the pool opens at once
 * @param connectTimeout TCP connect timeout for the control connection
 * @param controlTimeout how long to wait for a reply on the control connection
 * @param dataConnectTimeout how long a data connection may take to be set up
 * @param dataTimeout how long a data connection may stay silent mid-transfer
 * @param borrowTimeout how long an operation waits for a free session
 */
public record ConnectionSettings(
        Endpoint endpoint,
        Credentials credentials,
        DataMode dataMode,
        PortRange activePortRange,
        String activeAddress,
        boolean useEpsv,
        boolean usePasvAddress,
        Charset encoding,
        int connections,
        Duration connectTimeout,
        Duration controlTimeout,
        Duration dataConnectTimeout,
        Duration dataTimeout,
        Duration borrowTimeout) {

    public static final int DEFAULT_CONNECTIONS = 4;

    public ConnectionSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(dataMode, "dataMode");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(controlTimeout, "controlTimeout");
        Objects.requireNonNull(dataConnectTimeout, "dataConnectTimeout");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        Objects.requireNonNull(borrowTimeout, "borrowTimeout");
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, not " + connections);
        }
    }

    public static Builder builder(Endpoint endpoint, Credentials credentials) {
        return new Builder(endpoint, credentials);
    }

    public Builder toBuilder() {
        Builder b = new Builder(endpoint, credentials);
        b.dataMode = dataMode;
        b.activePortRange = activePortRange;
        b.activeAddress = activeAddress;
        b.useEpsv = useEpsv;
        b.usePasvAddress = usePasvAddress;
        b.encoding = encoding;
        b.connections = connections;
        b.connectTimeout = connectTimeout;
        b.controlTimeout = controlTimeout;
        b.dataConnectTimeout = dataConnectTimeout;
        b.dataTimeout = dataTimeout;
        b.borrowTimeout = borrowTimeout;
        return b;
    }

    /** Starts from the defaults; every setter returns the builder. */
    public static final class Builder {
        private Endpoint endpoint;
        private Credentials credentials;
        private DataMode dataMode = DataMode.PASSIVE;
        private PortRange activePortRange;
        private String activeAddress;
        private boolean useEpsv = true;
        private boolean usePasvAddress;
        private Charset encoding = StandardCharsets.UTF_8;
        private int connections = DEFAULT_CONNECTIONS;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration controlTimeout = Duration.ofSeconds(30);
        private Duration dataConnectTimeout = Duration.ofSeconds(10);
        private Duration dataTimeout = Duration.ofSeconds(60);
        private Duration borrowTimeout = Duration.ofSeconds(30);

        private Builder(Endpoint endpoint, Credentials credentials) {
            this.endpoint = endpoint;
            this.credentials = credentials;
        }

        public Builder endpoint(Endpoint value) { endpoint = value; return this; }
        public Builder credentials(Credentials value) { credentials = value; return this; }
        public Builder dataMode(DataMode value) { dataMode = value; return this; }
        public Builder activePortRange(PortRange value) { activePortRange = value; return this; }
        public Builder activeAddress(String value) { activeAddress = value; return this; }
        public Builder useEpsv(boolean value) { useEpsv = value; return this; }
        public Builder usePasvAddress(boolean value) { usePasvAddress = value; return this; }
        public Builder encoding(Charset value) { encoding = value; return this; }
        public Builder connections(int value) { connections = value; return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = value; return this; }
        public Builder controlTimeout(Duration value) { controlTimeout = value; return this; }
        public Builder dataConnectTimeout(Duration value) { dataConnectTimeout = value; return this; }
        public Builder dataTimeout(Duration value) { dataTimeout = value; return this; }
        public Builder borrowTimeout(Duration value) { borrowTimeout = value; return this; }

        public ConnectionSettings build() {
            return new ConnectionSettings(endpoint, credentials, dataMode, activePortRange, activeAddress,
                    useEpsv, usePasvAddress, encoding, connections, connectTimeout, controlTimeout, dataConnectTimeout,
                    dataTimeout, borrowTimeout);
        }
    }
}
