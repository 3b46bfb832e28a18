package org.ftpdrive.ftp;

import java.util.Locale;
import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;
import org.slf4j.Logger;

/** Logs the FTP control dialogue at DEBUG with the PASS argument masked. */
final class DialogueLogger implements ProtocolCommandListener {
    private final Logger log;
    private final String peer;

    DialogueLogger(Logger log, String peer) {
        this.log = log;
        this.peer = peer;
    }

    @Override
    public void protocolCommandSent(ProtocolCommandEvent event) {
        log.debug("{} > {}", peer, mask(event.getCommand(), event.getMessage()));
    }

    @Override
    public void protocolReplyReceived(ProtocolCommandEvent event) {
        log.debug("{} < {}", peer, event.getMessage().stripTrailing());
    }

    static String mask(String command, String message) {
        if (command != null && command.toUpperCase(Locale.ROOT).equals("PASS")) {
            return "PASS ****";
        }
        return message.stripTrailing();
    }
}
