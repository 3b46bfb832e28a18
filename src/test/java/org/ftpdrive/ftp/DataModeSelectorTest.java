package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ftpdrive.config.DataMode;
import org.junit.jupiter.api.Test;

class DataModeSelectorTest {
    @Test
    void fixedModesNeverSwitch() {
        DataModeSelector passive = new DataModeSelector(DataMode.PASSIVE);
        assertFalse(passive.onFailure(DataMode.PASSIVE, "timed out"));
        assertEquals(DataMode.PASSIVE, passive.current());
        DataModeSelector active = new DataModeSelector(DataMode.ACTIVE);
        assertFalse(active.onFailure(DataMode.ACTIVE, "refused"));
        assertEquals(DataMode.ACTIVE, active.current());
    }

    @Test
    void autoStartsPassiveAndSwitchesOnEachFailureOfTheModeInUse() {
        DataModeSelector auto = new DataModeSelector(DataMode.AUTO);
        assertEquals(DataMode.PASSIVE, auto.current());
        assertEquals(null, auto.why());
        assertTrue(auto.onFailure(DataMode.PASSIVE, "timed out"));
        assertEquals(DataMode.ACTIVE, auto.current());
        assertEquals("passive data connections failed: timed out", auto.why());
        // A late report about the mode already abandoned does not flip back.
        assertTrue(auto.onFailure(DataMode.PASSIVE, "timed out"));
        assertEquals(DataMode.ACTIVE, auto.current());
        assertTrue(auto.onFailure(DataMode.ACTIVE, "refused"));
        assertEquals(DataMode.PASSIVE, auto.current());
        assertEquals("active data connections failed: refused", auto.why());
    }
}
