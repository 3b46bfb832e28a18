package org.ftpdrive.demo;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.ftplet.FtpRequest;

/** A command the server pretends not to implement (502), counting how often it was asked. */
final class RefusedCommand implements Command {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    RefusedCommand(String name) {
        this.name = name;
    }

    int count() {
        return count.get();
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        count.incrementAndGet();
        session.resetState();
        session.write(new DefaultFtpReply(FtpReply.REPLY_502_COMMAND_NOT_IMPLEMENTED, name + " not implemented."));
    }
}
