package org.ftpdrive.ftp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPReply;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.config.DataMode;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import org.ftpdrive.remote.UnsupportedRemoteOperationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in control connection. Every primitive either succeeds or throws: a negative reply
 * becomes a {@link FileSystemException} (the session stays usable), a transport failure a
 * {@link org.ftpdrive.remote.TransientNetworkException} (the session is marked broken).
 *
 * <p>Not thread-safe: a session is used by one borrower at a time (FTP allows one command and one
 * transfer at a time per control connection).
 */
public final class FtpSession implements PooledSession {
    private static final Logger log = LoggerFactory.getLogger(FtpSession.class);
    private static final DateTimeFormatter FTP_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final FtpDataClient client;
    private final ConnectionSettings settings;
    private final FtpFeatures features;
    private final ListingParser listParser;
    private final RemotePath home;
    /** The directory of the last successful CWD, or null when unknown. */
    private String workingDirectory;
    private final Charset charset;
    private boolean listAllRefused;
    private boolean broken;

    FtpSession(FtpDataClient client, ConnectionSettings settings, FtpFeatures features, String systemType,
            RemotePath home) {
        this.client = client;
        this.settings = settings;
        this.features = features;
        this.listParser = ListingParser.forSystemType(systemType);
        this.home = home;
        this.charset = settings.encoding();
    }

    public FtpFeatures features() {
        return features;
    }

    /** The directory the server put us in at login (PWD). */
    public RemotePath home() {
        return home;
    }

    public DataMode dataMode() {
        return client.dataMode();
    }

    /** How many data connections this session has opened so far. */
    public long dataConnectionsOpened() {
        return client.dataConnections();
    }

    /** Passive or active for the next transfers of this session. */
    public void useDataMode(DataMode mode) throws IOException {
        if (mode != client.dataMode()) {
            client.applyDataMode(mode, settings);
        }
    }

    /** The address the last PASV reply advertised, before substitution (for diagnostics). */
    public String lastPasvAdvertised() {
        return client.lastPasvAdvertised();
    }

    /** The address the last passive data connection went to, after any substitution (for diagnostics). */
    public String lastPassiveHost() {
        return client.lastPassiveHost();
    }

    /** The control connection's peer address, or null when not connected. */
    public java.net.InetAddress remoteAddress() {
        return client.isConnected() ? client.getRemoteAddress() : null;
    }

    public boolean epsvRefused() {
        return client.epsvRefused();
    }

    /** Lists a directory: MLSD where offered, else CWD and {@code LIST -a}. */
    public List<RemoteEntry> list(String dir) throws IOException {
        if (features.mlsd()) {
            List<String> lines = transferLines("MLSD", dir, dir);
            List<RemoteEntry> entries = new ArrayList<>(lines.size());
            for (String line : lines) {
                RemoteEntry e = ListingParser.parseMlsdLine(line);
                if (e != null) {
                    entries.add(e);
                }
            }
            if (entries.isEmpty()) {
                // Some servers (MINA) answer MLSD of a missing directory with an empty listing.
                changeDirectory(dir);
            }
            return entries;
        }
        // CWD first: LIST's argument is read like an ls command line by many servers, so names
        // with spaces or a leading dash would be taken apart.
        changeDirectory(dir);
        if (!listAllRefused) {
            try {
                return listParser.parseList(transferLines("LIST", "-a", dir));
            } catch (UnsupportedRemoteOperationException e) {
                listAllRefused = true;
                log.debug("server refused LIST -a; listing without hidden files");
            }
        }
        return listParser.parseList(transferLines("LIST", null, dir));
    }

    /** One entry by path: MLST where offered, else found in the parent's listing. */
    public RemoteEntry stat(String path) throws IOException {
        RemotePath p = RemotePath.of(path);
        if (features.mlst()) {
            int code = command("MLST " + path, () -> client.sendCommand("MLST", path));
            if (FTPReply.isPositiveCompletion(code)) {
                String[] lines = client.getReplyStrings();
                if (lines.length >= 2) {
                    RemoteEntry entry = ListingParser.parseMlsdLine(lines[1].stripLeading());
                    if (entry != null) {
                        return entry.withName(p.name());
                    }
                }
                // cdir/pdir facts (the root on some servers) are directories
                return RemoteEntry.directory(p.name(), null);
            }
            if (code != 550 && code != 501) {
                throw negative(code, "MLST", path, FtpErrors.Target.UNKNOWN);
            }
            if (!p.isRoot()) {
                throw new NoSuchFileException(path);
            }
        }
        if (p.isRoot()) {
            return RemoteEntry.directory("", null);
        }
        for (RemoteEntry e : list(p.parent().toString())) {
            if (e.name().equals(p.name())) {
                return e.isFile() && features.mdtm() ? withPreciseTime(e, path) : e;
            }
        }
        throw new NoSuchFileException(path);
    }

    /**
     * LIST shows only the day for files older than six months (and minutes for newer ones); MDTM
     * (RFC 3659) gives the second, which matters after a program set the time (touch, rsync).
     */
    private RemoteEntry withPreciseTime(RemoteEntry e, String path) throws IOException {
        int code = command("MDTM " + path, () -> client.mdtm(path));
        if (!FTPReply.isPositiveCompletion(code)) {
            return e;
        }
        Instant precise = parseFtpTime(client.getReplyString().substring(4).strip());
        return precise == null ? e : new RemoteEntry(e.name(), e.type(), e.size(), precise, e.permissions(), e.linkTarget());
    }

    /** "YYYYMMDDHHMMSS[.sss]" in UTC (RFC 3659 section 2.3), or null when malformed. */
    static Instant parseFtpTime(String text) {
        if (text.length() < 14) {
            return null;
        }
        try {
            Instant whole = FTP_TIME.parse(text.substring(0, 14), Instant::from);
            if (text.length() > 15 && text.charAt(14) == '.') {
                String fraction = (text.substring(15) + "000000000").substring(0, 9);
                return whole.plusNanos(Long.parseLong(fraction));
            }
            return whole;
        } catch (java.time.DateTimeException | NumberFormatException ex) {
            return null;
        }
    }

    /**
     * Starts a transfer (RETR, STOR, APPE, ...) and returns its data socket. The caller must end it
     * with {@link #finishTransfer} or {@link #cancelTransfer}.
     */
    public Socket openTransfer(String command, String path, long offset) throws IOException {
        return openData(command, path, offset, path, FtpErrors.Target.FILE);
    }

    private Socket openData(String command, String arg, long offset, String path, FtpErrors.Target target)
            throws IOException {
        try {
            return client.openDataConnection(command, arg, offset, path, target);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    /** Waits for the final reply of a transfer whose data socket is closed; throws if it failed. */
    public void finishTransfer(String command, String path) throws IOException {
        int code = command(command + " " + path, client::getReply);
        if (!FTPReply.isPositiveCompletion(code)) {
            throw negative(code, command, path, FtpErrors.Target.FILE);
        }
    }

    /**
     * Ends a transfer early, after its data socket was closed. The server answers 426 (or 226 if
     * it had already sent everything); either leaves the control connection in step. ABOR is never
     * sent: vsftpd does not read the control channel during a transfer and Commons Net sends no
     * urgent data, so ABOR would hang until the timeout and then desynchronise the replies.
     */
    public void cancelTransfer(String command, String path) {
        try {
            int code = command(command + " " + path, client::getReply);
            // 451/426/226 are all fine here; anything else means we may be out of step.
            if (code != 426 && code != 451 && code != 450 && !FTPReply.isPositiveCompletion(code)) {
                log.debug("unexpected reply {} after cancelling {} {}; dropping the session", code, command, path);
                broken = true;
            }
        } catch (IOException e) {
            broken = true;
        }
    }

    public void mkdir(String path) throws IOException {
        expectPositive(command("MKD " + path, () -> client.mkd(path)), "MKD", path, FtpErrors.Target.DIRECTORY);
    }

    public void rmdir(String path) throws IOException {
        if (workingDirectory != null && RemotePath.of(workingDirectory).startsWith(RemotePath.of(path))) {
            // MINA refuses to remove the session's own working directory ("450 resource busy").
            changeDirectory(home.toString());
        }
        expectPositive(command("RMD " + path, () -> client.rmd(path)), "RMD", path, FtpErrors.Target.DIRECTORY);
    }

    public void delete(String path) throws IOException {
        expectPositive(command("DELE " + path, () -> client.dele(path)), "DELE", path, FtpErrors.Target.FILE);
    }

    public void rename(String from, String to) throws IOException {
        int code = command("RNFR " + from, () -> client.rnfr(from));
        if (!FTPReply.isPositiveIntermediate(code)) {
            throw negative(code, "RNFR", from, FtpErrors.Target.UNKNOWN);
        }
        expectPositive(command("RNTO " + to, () -> client.rnto(to)), "RNTO", to, FtpErrors.Target.UNKNOWN);
    }

    /** MFMT where offered, else the "MDTM time path" form that vsftpd and others accept. */
    public void setModTime(String path, Instant time) throws IOException {
        String stamp = FTP_TIME.format(time);
        if (features.mfmt()) {
            expectPositive(command("MFMT " + path, () -> client.mfmt(path, stamp)), "MFMT", path,
                    FtpErrors.Target.UNKNOWN);
        } else if (features.mdtm()) {
            expectPositive(command("MDTM " + path, () -> client.sendCommand("MDTM", stamp + " " + path)),
                    "MDTM", path, FtpErrors.Target.UNKNOWN);
        } else {
            throw new UnsupportedRemoteOperationException(path, "the server offers neither MFMT nor MDTM");
        }
    }

    public void chmod(String path, int mode) throws IOException {
        String arg = "CHMOD " + Integer.toOctalString(mode & 07777) + " " + path;
        expectPositive(command("SITE " + arg, () -> client.site(arg)), "SITE CHMOD", path, FtpErrors.Target.UNKNOWN);
    }

    public void changeDirectory(String dir) throws IOException {
        workingDirectory = null;
        expectPositive(command("CWD " + dir, () -> client.cwd(dir)), "CWD", dir, FtpErrors.Target.DIRECTORY);
        workingDirectory = dir;
    }

    @Override
    public boolean isBroken() {
        return broken || !client.isConnected();
    }

    @Override
    public void checkAlive() throws IOException {
        int code = command("NOOP", client::noop);
        if (!FTPReply.isPositiveCompletion(code)) {
            broken = true;
            throw FtpErrors.fromReply(code, client.getReplyString(), "NOOP", null, FtpErrors.Target.UNKNOWN);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected() && !broken) {
                client.setSoTimeout(2000);
                client.logout();
            }
        } catch (IOException e) {
            log.debug("QUIT failed: {}", e.toString());
        } finally {
            try {
                client.disconnect();
            } catch (IOException e) {
                log.debug("disconnect failed: {}", e.toString());
            }
        }
    }

    private List<String> transferLines(String command, String arg, String path) throws IOException {
        Socket socket = openData(command, arg, 0, path, FtpErrors.Target.DIRECTORY);
        List<String> lines = new ArrayList<>();
        try (socket;
                BufferedReader reader = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), charset), 64 * 1024)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            broken = true;
            throw FtpErrors.fromTransport(e, command + " " + path);
        }
        finishTransfer(command, path);
        return lines;
    }

    @FunctionalInterface
    private interface ControlCall {
        int call() throws IOException;
    }

    /** Runs one control exchange; a transport failure marks the session broken. */
    private int command(String what, ControlCall call) throws IOException {
        try {
            return call.call();
        } catch (IOException e) {
            broken = true;
            throw FtpErrors.fromTransport(e, what);
        }
    }

    private void expectPositive(int code, String command, String path, FtpErrors.Target target) throws IOException {
        if (!FTPReply.isPositiveCompletion(code)) {
            throw negative(code, command, path, target);
        }
    }

    private IOException negative(int code, String command, String path, FtpErrors.Target target) {
        return FtpErrors.fromReply(code, client.getReplyString(), command, path, target);
    }
}
