package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionLimitReplyTest {
    @Test
    void recognisesServersSayingTheyAreFull() {
        assertTrue(FtpSessionFactory.isConnectionLimit(421, "421 There are too many connections from your internet address."));
        assertTrue(FtpSessionFactory.isConnectionLimit(530,
                "530 Sorry, the maximum number of clients (2) from your host are already connected."));
        assertTrue(FtpSessionFactory.isConnectionLimit(530, "530 Too many users, sorry"));
    }

    @Test
    void aWrongPasswordIsNotALimit() {
        assertFalse(FtpSessionFactory.isConnectionLimit(530, "530 Login incorrect."));
        assertFalse(FtpSessionFactory.isConnectionLimit(530, "530 Authentication failed."));
        assertFalse(FtpSessionFactory.isConnectionLimit(550, "550 too many files"));
        assertFalse(FtpSessionFactory.isConnectionLimit(530, null));
    }
}
