package org.ftpdrive.ftp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPReply;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.remote.RemotePath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens logged-in, configured sessions: connect, greeting, login, binary type, FEAT, UTF-8. */
public final class FtpSessionFactory {
    private static final Logger log = LoggerFactory.getLogger(FtpSessionFactory.class);
    private static final Logger dialogue = LoggerFactory.getLogger("org.ftpdrive.ftp.dialogue");
    private static final int DATA_BUFFER = 1 << 20;

    private final ConnectionSettings settings;

    public FtpSessionFactory(ConnectionSettings settings) {
        this.settings = settings;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** Opens a session whose data connections use {@code mode} (PASSIVE or ACTIVE). */
    public FtpSession open(DataMode mode) throws IOException {
        return open(mode, null);
    }

    /**
     * Opens a session whose data connections use {@code mode}, and only {@code only} to set them up
     * when it is not null (for diagnostics: no EPSV to PASV fallback, EPRT even on IPv4).
     */
    FtpSession open(DataMode mode, DataCommand only) throws IOException {
        FtpDataClient client = newClient();
        boolean done = false;
        try {
            connect(client, null);
            login(client);
            FtpSession session = finishSetup(client, mode);
            if (only != null) {
                client.useOnly(only);
            }
            done = true;
            return session;
        } catch (TooManyConnectionsException | LoginFailedException | ServerUnreachableException e) {
            throw e;
        } catch (IOException e) {
            if (client.getReplyCode() == FTPReply.SERVICE_NOT_AVAILABLE) {
                throw new TooManyConnectionsException(client.getReplyString().strip());
            }
            throw FtpErrors.fromTransport(e, "setting up the session with " + settings.endpoint().authority());
        } finally {
            if (!done) {
                disconnectQuietly(client);
            }
        }
    }

    /** A client with this factory's timeouts, encoding and buffers; not connected yet. */
    FtpDataClient newClient() {
        FtpDataClient client = new FtpDataClient();
        client.setControlEncoding(settings.encoding().name());
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.setDefaultTimeout((int) settings.controlTimeout().toMillis());
        client.setDataTimeout(settings.dataTimeout());
        // 1 MiB socket buffers: with the defaults, transfers run at half speed on fast links.
        client.setBufferSize(DATA_BUFFER);
        client.setReceieveDataSocketBufferSize(DATA_BUFFER);
        client.setSendDataSocketBufferSize(DATA_BUFFER);
        if (dialogue.isDebugEnabled()) {
            client.addProtocolCommandListener(new DialogueLogger(dialogue, settings.endpoint().authority()));
        }
        return client;
    }

    /** After login: binary type, FEAT, UTF-8, SYST, PWD and the data mode. */
    FtpSession finishSetup(FtpDataClient client, DataMode mode) throws IOException {
        if (!client.setFileType(FTP.BINARY_FILE_TYPE)) {
            throw FtpErrors.fromReply(client.getReplyCode(), client.getReplyString(), "TYPE I", null,
                    FtpErrors.Target.UNKNOWN);
        }
        FtpFeatures features = client.features() ? FtpFeatures.parse(client.getReplyStrings()) : FtpFeatures.NONE;
        if (features.utf8() && settings.encoding().equals(StandardCharsets.UTF_8)) {
            // Some servers (e.g. IIS, older FileZilla) switch to UTF-8 only when asked.
            client.sendCommand("OPTS", "UTF8 ON");
        }
        String system = FTPReply.isPositiveCompletion(client.syst()) ? client.getReplyString().substring(4).strip() : "";
        String pwd = client.printWorkingDirectory();
        RemotePath home = pwd == null ? RemotePath.ROOT : RemotePath.of(pwd);
        client.applyDataMode(mode, settings);
        FtpSession session = new FtpSession(client, settings, features, system, home);
        log.debug("session to {} ready: features [{}], system '{}', home {}", settings.endpoint().authority(),
                features, system, home);
        return session;
    }

    /** Connects to {@code address}, or to the endpoint's host name when null, and checks the greeting. */
    void connect(FtpDataClient client, java.net.InetAddress address) throws IOException {
        String where = settings.endpoint().authority();
        try {
            if (address == null) {
                client.connect(settings.endpoint().host(), settings.endpoint().port());
            } else {
                client.connect(address, settings.endpoint().port());
            }
        } catch (UnknownHostException e) {
            throw new ServerUnreachableException("unknown host '" + settings.endpoint().host() + "'", e);
        } catch (ConnectException e) {
            throw new ServerUnreachableException("connection to " + where + " refused", e);
        } catch (SocketTimeoutException e) {
            throw new ServerUnreachableException("connection to " + where + " timed out after "
                    + settings.connectTimeout().toSeconds() + " s", e);
        } catch (NoRouteToHostException e) {
            throw new ServerUnreachableException("no route to " + where, e);
        } catch (IOException e) {
            if (client.getReplyCode() == FTPReply.SERVICE_NOT_AVAILABLE) {
                throw new TooManyConnectionsException(client.getReplyString().strip());
            }
            if (e.getCause() instanceof SocketTimeoutException) {
                // Commons Net waits for the greeting with the connect timeout, and wraps its timeout.
                throw new ServerUnreachableException(where + " accepted the connection but sent no FTP greeting "
                        + "within " + settings.connectTimeout().toSeconds() + " s", e);
            }
            throw new ServerUnreachableException("cannot connect to " + where + ": " + e.getMessage(), e);
        }
        int greeting = client.getReplyCode();
        if (isConnectionLimit(greeting, client.getReplyString())) {
            throw new TooManyConnectionsException(client.getReplyString().strip());
        }
        if (!FTPReply.isPositiveCompletion(greeting)) {
            throw new ServerUnreachableException(where + " refused the session: " + client.getReplyString().strip(), null);
        }
    }

    void login(FtpDataClient client) throws IOException {
        String user = settings.credentials().user();
        if (client.login(user, settings.credentials().revealPassword())) {
            return;
        }
        int code = client.getReplyCode();
        String reply = client.getReplyString().strip();
        if (isConnectionLimit(code, reply)) {
            throw new TooManyConnectionsException(reply);
        }
        throw new LoginFailedException("login as '" + user + "' refused by " + settings.endpoint().authority()
                + ": " + reply);
    }

    /**
     * Whether a reply refuses the session because of a connection limit. Most servers say 421, but
     * ProFTPD's MaxClientsPerHost, MaxClientsPerUser and MaxClients answer PASS with 530 "Sorry,
     * the maximum number of clients (N) from your host are already connected." (and its
     * MaxConnectionsPerHost greets with such a 530).
     */
    static boolean isConnectionLimit(int code, String reply) {
        if (code == FTPReply.SERVICE_NOT_AVAILABLE) {
            return true;
        }
        if (code != FTPReply.NOT_LOGGED_IN || reply == null) {
            return false;
        }
        String lower = reply.toLowerCase(Locale.ROOT);
        return lower.contains("maximum number of") || lower.contains("too many");
    }

    static void disconnectQuietly(FtpDataClient client) {
        try {
            client.disconnect();
        } catch (IOException e) {
            log.trace("disconnect after a failed setup: {}", e.toString());
        }
    }
}
