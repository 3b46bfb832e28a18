package org.ftpdrive.ftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.DataMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commons Net's FTPClient, made to fail loudly where it would return null, to remember what the
 * server refused, and to tell a data connection failure apart from any other failure (the signal
 * auto mode switches on).
 */
final class FtpDataClient extends FTPClient {
    private static final Logger log = LoggerFactory.getLogger(FtpDataClient.class);
    private static final Set<String> DATA_SETUP_COMMANDS = Set.of("PASV", "EPSV", "PORT", "EPRT");
    private static final Pattern PASV_ADDRESS = Pattern.compile("(\\d{1,3},\\d{1,3},\\d{1,3},\\d{1,3}),\\d{1,3},\\d{1,3}");

    private static final int ACTIVE_REPLY_SLACK_MILLIS = 1000;
    private DataMode mode = DataMode.ACTIVE;
    private String lastCommand = "";
    private boolean epsvRefused;
    private String lastPasvAdvertised;
    private Duration dataConnectTimeout = Duration.ofSeconds(10);
    /** For diagnostics: the one data command to use, without fallback; null for the usual choice. */
    private DataCommand only;
    private long dataConnections;

    @Override
    public int sendCommand(String command, String args) throws IOException {
        lastCommand = command.toUpperCase(Locale.ROOT);
        int code = super.sendCommand(command, args);
        if (lastCommand.equals("EPSV") && code != FTPReply.ENTERING_EPSV_MODE && !epsvRefused) {
            // Remembered for this session: asking again before every transfer costs a round trip.
            epsvRefused = true;
            setUseEPSVwithIPv4(false);
            log.debug("server refused EPSV ({}); using PASV on this session", code);
        }
        return code;
    }

    @Override
    protected void _parsePassiveModeReply(String reply) throws org.apache.commons.net.MalformedServerReplyException {
        Matcher m = PASV_ADDRESS.matcher(reply);
        lastPasvAdvertised = m.find() ? m.group(1).replace(',', '.') : null;
        super._parsePassiveModeReply(reply);
        if (lastPasvAdvertised != null && !lastPasvAdvertised.equals(getPassiveHost())) {
            log.debug("PASV reply advertised {}; connecting to the server's address {} instead",
                    lastPasvAdvertised, getPassiveHost());
        }
    }

    /** Sets passive or active mode; Commons Net resets to active on every connect. */
    void applyDataMode(DataMode newMode, ConnectionSettings settings) throws IOException {
        Duration connectTimeout = settings.dataConnectTimeout();
        boolean usePasvAddress = settings.usePasvAddress();
        if (newMode == DataMode.AUTO) {
            throw new IllegalArgumentException("auto is resolved by the pool, not by a session");
        }
        mode = newMode;
        dataConnectTimeout = connectTimeout;
        if (newMode == DataMode.PASSIVE) {
            enterLocalPassiveMode();
            setUseEPSVwithIPv4(settings.useEpsv() && !epsvRefused);
            setIpAddressFromPasvResponse(usePasvAddress);
            setPassiveNatWorkaroundStrategy(null);
            // A load balancer answering with another address is the one case where the data
            // connection legitimately comes from elsewhere.
            setRemoteVerificationEnabled(!usePasvAddress);
        } else {
            enterLocalActiveMode();
            setRemoteVerificationEnabled(true);
            setServerSocketFactory(new PortRangeServerSocketFactory(settings.activePortRange(), connectTimeout));
            if (settings.activeAddress() != null) {
                setReportActiveExternalIPAddress(settings.activeAddress());
            }
        }
        // Passive data sockets are created through this factory; the control socket already exists.
        setSocketFactory(new DataSocketFactory());
        setConnectTimeout((int) connectTimeout.toMillis());
    }

    /**
     * Makes every data connection of this session use {@code command} alone (for {@code ftpdrive
     * doctor}): EPSV without falling back to PASV, PASV without trying EPSV, EPRT even on IPv4
     * (where Commons Net sends PORT), PORT. Call after {@link #applyDataMode} with its mode.
     */
    void useOnly(DataCommand command) {
        if (command.mode() != mode) {
            throw new IllegalStateException(command + " needs " + command.mode() + " mode, not " + mode);
        }
        only = command;
        if (mode == DataMode.PASSIVE) {
            setUseEPSVwithIPv4(command == DataCommand.EPSV);
        }
    }

    /** Commons Net falls back to PASV when EPSV is refused; with EPSV forced, it must not. */
    @Override
    public int pasv() throws IOException {
        if (only == DataCommand.EPSV) {
            // Nothing sent: the reply code is still EPSV's refusal, so the caller reports EPSV.
            return getReplyCode();
        }
        return super.pasv();
    }

    /** Commons Net sends PORT on IPv4 and EPRT on IPv6; the EPRT probe needs EPRT on both. */
    @Override
    public int port(InetAddress host, int port) throws IOException {
        if (only == DataCommand.EPRT) {
            return eprt(host, port);
        }
        return super.port(host, port);
    }

    DataMode dataMode() {
        return mode;
    }

    /** How many data connections this client has opened (so callers can tell whether one was). */
    long dataConnections() {
        return dataConnections;
    }

    boolean epsvRefused() {
        return epsvRefused;
    }

    /** The address the last PASV or EPSV data connection went to (after any substitution), or null. */
    String lastPassiveHost() {
        return getPassiveHost();
    }

    /** The address the last PASV reply carried, before any substitution, or null. */
    String lastPasvAdvertised() {
        return lastPasvAdvertised;
    }

    /**
     * Opens a data connection for {@code command} (REST {@code offset} first when non-zero) and
     * returns the connected socket after the server's preliminary reply. Never returns null.
     */
    Socket openDataConnection(String command, String arg, long offset, String path, FtpErrors.Target target)
            throws IOException {
        setRestartOffset(offset);
        Socket socket;
        // In active mode the server connects back before it answers the command (vsftpd says 425
        // only after its own connect timeout, 60 s by default): that wait is the data connection's
        // setup, so it gets the data connect timeout, not the reply timeout.
        int controlTimeout = _socket_.getSoTimeout();
        boolean active = mode == DataMode.ACTIVE;
        if (active) {
            _socket_.setSoTimeout((int) dataConnectTimeout.toMillis() + ACTIVE_REPLY_SLACK_MILLIS);
        }
        try {
            socket = _openDataConnection_(command, arg);
        } catch (DataConnectionException e) {
            throw e;
        } catch (java.net.SocketTimeoutException e) {
            // Only the wait after the transfer command is the connect-back; a timeout on the
            // PORT, EPRT or REST reply is the control connection's problem, not the firewall's.
            if (active && lastCommand.equals(command.toUpperCase(Locale.ROOT))) {
                throw new DataConnectionException(mode, DataConnectionException.Reason.TIMED_OUT,
                        "the server did not connect back within " + dataConnectTimeout.toSeconds() + " s for "
                                + command + " (active mode: a firewall or NAT on this side may drop its connection)",
                        e);
            }
            throw FtpErrors.fromTransport(e, command + " " + path);
        } catch (IOException e) {
            // Commons Net's remote verification has no exception type of its own.
            if (e.getMessage() != null && e.getMessage().startsWith("Host attempting data connection")) {
                throw new DataConnectionException(mode, e.getMessage(), e);
            }
            throw FtpErrors.fromTransport(e, command + " " + path);
        } catch (RuntimeException e) {
            // Commons Net's reply parsers throw unchecked exceptions on some malformed replies
            // (an EPSV reply without "(|||port|)": StringIndexOutOfBoundsException). The session
            // (FtpSession marks it broken) is then in an unknown state.
            throw new DataConnectionException(mode, "cannot set up a " + mode + " data connection: the reply to "
                    + lastCommand + " could not be understood (" + getReplyString().strip() + ")", e);
        } finally {
            setRestartOffset(0);
            if (active && _socket_ != null && !_socket_.isClosed()) {
                _socket_.setSoTimeout(controlTimeout);
            }
        }
        if (socket != null) {
            dataConnections++;
            return socket;
        }
        int code = getReplyCode();
        String reply = getReplyString();
        if (DATA_SETUP_COMMANDS.contains(lastCommand)) {
            throw new DataConnectionException(mode, DataConnectionException.Reason.COMMAND_REFUSED,
                    "the server refused " + lastCommand + " (" + reply.strip() + ")", null);
        }
        if (code == FTPReply.CANNOT_OPEN_DATA_CONNECTION) {
            throw new DataConnectionException(mode, DataConnectionException.Reason.SERVER_CANNOT_CONNECT,
                    "the server could not open the " + mode + " data connection (" + reply.strip() + ")", null);
        }
        throw FtpErrors.fromReply(code, reply, lastCommand, path, target);
    }

    /** Creates passive data sockets whose connect failures are reported as data connection failures. */
    private final class DataSocketFactory extends UnconnectedSocketFactory {
        DataSocketFactory() {
            super("data");
        }

        @Override
        public Socket createSocket() {
            return new DataSocket();
        }
    }

    private final class DataSocket extends Socket {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            try {
                super.connect(endpoint, (int) dataConnectTimeout.toMillis());
            } catch (SocketTimeoutException e) {
                throw new DataConnectionException(DataMode.PASSIVE, DataConnectionException.Reason.TIMED_OUT, "passive data connection to "
                        + describe(endpoint) + " timed out after " + dataConnectTimeout.toSeconds() + " s", e);
            } catch (IOException e) {
                throw new DataConnectionException(DataMode.PASSIVE, e instanceof java.net.ConnectException
                        ? DataConnectionException.Reason.CONNECTION_REFUSED : DataConnectionException.Reason.OTHER,
                        "passive data connection to "
                        + describe(endpoint) + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static String describe(SocketAddress endpoint) {
        if (endpoint instanceof InetSocketAddress isa) {
            return isa.getHostString() + ":" + isa.getPort();
        }
        return String.valueOf(endpoint);
    }
}
