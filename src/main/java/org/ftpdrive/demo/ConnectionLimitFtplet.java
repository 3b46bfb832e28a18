package org.ftpdrive.demo;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;

/**
 * At most N connections per client address, refused at connect time with "421" as vsftpd's
 * max_per_ip does. MINA's own per-address login limit is checked at login without serialising
 * concurrent logins, so it lets extra sessions through.
 */
final class ConnectionLimitFtplet extends DefaultFtplet {
    private static final String COUNTED = ConnectionLimitFtplet.class.getName() + ".counted";

    private final int maxPerAddress;
    /** Guarded by this. */
    private final Map<InetAddress, Integer> open = new HashMap<>();

    ConnectionLimitFtplet(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public FtpletResult onConnect(FtpSession session) throws FtpException {
        InetAddress address = session.getClientAddress().getAddress();
        synchronized (this) {
            int count = open.getOrDefault(address, 0);
            if (count < maxPerAddress) {
                open.put(address, count + 1);
                session.setAttribute(COUNTED, Boolean.TRUE);
                return FtpletResult.DEFAULT;
            }
        }
        session.write(new DefaultFtpReply(FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION,
                "There are too many connections from your internet address."));
        return FtpletResult.DISCONNECT;
    }

    @Override
    public FtpletResult onDisconnect(FtpSession session) throws FtpException {
        if (session.getAttribute(COUNTED) != null) {
            InetAddress address = session.getClientAddress().getAddress();
            synchronized (this) {
                open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
            }
        }
        return FtpletResult.DEFAULT;
    }
}
