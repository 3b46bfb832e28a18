package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FtpTimeTest {
    @Test
    void parsesMdtmRepliesInUtc() {
        assertEquals(Instant.parse("2021-03-04T05:06:07Z"), FtpSession.parseFtpTime("20210304050607"));
        assertEquals(Instant.parse("2021-03-04T05:06:07.250Z"), FtpSession.parseFtpTime("20210304050607.25"));
        assertNull(FtpSession.parseFtpTime("2021"));
        assertNull(FtpSession.parseFtpTime("20211304050607"));
        assertNull(FtpSession.parseFtpTime("2021030405060x"));
    }
}
