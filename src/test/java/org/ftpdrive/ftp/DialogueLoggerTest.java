package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DialogueLoggerTest {
    @Test
    void masksPasswordsOnly() {
        assertEquals("PASS ****", DialogueLogger.mask("PASS", "PASS hunter2\r\n"));
        assertEquals("PASS ****", DialogueLogger.mask("pass", "pass hunter2\r\n"));
        assertEquals("USER bob", DialogueLogger.mask("USER", "USER bob\r\n"));
    }
}
