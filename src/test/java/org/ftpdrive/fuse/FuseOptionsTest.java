package org.ftpdrive.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ftpdrive.config.MountSettings;
import org.junit.jupiter.api.Test;

/** The options handed to libfuse on Linux. */
class FuseOptionsTest {
    private static MountSettings settings(boolean readOnly, boolean allowOther, Duration attr, String volume,
            List<String> extra) {
        return new MountSettings(Path.of("/mnt/ftp"), readOnly, 1000, 1000, 022, allowOther, attr,
                Duration.ofSeconds(30), volume, extra, Path.of("/tmp/cache"));
    }

    /** The options without the "-o" before each, checking that every one has its "-o". */
    private static List<String> options(MountSettings m) {
        List<String> args = FuseOptions.linux(m);
        assertEquals(0, args.size() % 2);
        List<String> opts = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            assertEquals("-o", args.get(i));
            opts.add(args.get(i + 1));
        }
        return opts;
    }

    @Test
    void defaults() {
        List<String> o = options(settings(false, false, Duration.ofSeconds(2), "ftp.example.com", List.of()));
        assertTrue(o.contains("big_writes"), o.toString());
        assertTrue(o.contains("max_write=131072"), o.toString());
        assertTrue(o.contains("max_read=131072"), o.toString());
        assertTrue(o.contains("subtype=ftpdrive"), o.toString());
        assertTrue(o.contains("fsname=ftp.example.com"), o.toString());
        assertTrue(o.contains("attr_timeout=2"), o.toString());
        assertTrue(o.contains("entry_timeout=2"), o.toString());
        assertTrue(o.contains("negative_timeout=2"), o.toString());
        assertTrue(o.contains("default_permissions"), o.toString());
        assertFalse(o.contains("ro"), o.toString());
        assertFalse(o.contains("allow_other"), o.toString());
    }

    @Test
    void timeoutsComeFromTheSettings() {
        List<String> o = options(settings(false, false, Duration.ofMillis(1500), "v", List.of()));
        assertTrue(o.contains("attr_timeout=1.5"), o.toString());
        assertTrue(o.contains("entry_timeout=1.5"), o.toString());
        List<String> zero = options(settings(false, false, Duration.ZERO, "v", List.of()));
        assertTrue(zero.contains("attr_timeout=0"), zero.toString());
        List<String> minute = options(settings(false, false, Duration.ofMinutes(1), "v", List.of()));
        assertTrue(minute.contains("attr_timeout=30"), "never longer than the listing TTL (30 s): " + minute);
    }

    @Test
    void readOnlyAndAllowOther() {
        List<String> o = options(settings(true, true, Duration.ofSeconds(1), "v", List.of()));
        assertTrue(o.contains("ro"), o.toString());
        assertTrue(o.contains("allow_other"), o.toString());
    }

    @Test
    void extraOptionsPassThroughAfterOursSoTheyWin() {
        List<String> o = options(settings(false, false, Duration.ofSeconds(1), "v",
                List.of("noatime", "max_read=65536", "attr_timeout=10")));
        int ours = o.indexOf("max_read=131072");
        int theirs = o.indexOf("max_read=65536");
        assertTrue(ours >= 0 && theirs > ours, o.toString());
        assertEquals(o.size() - 3, o.indexOf("noatime"));
        assertEquals("attr_timeout=10", o.get(o.size() - 1));
    }

    @Test
    void commasAndBackslashesInTheVolumeNameAreEscaped() {
        List<String> o = options(settings(false, false, Duration.ofSeconds(1), "ann@ftp.example.com,port=21\\x",
                List.of()));
        assertTrue(o.contains("fsname=ann@ftp.example.com\\,port=21\\\\x"), o.toString());
        assertEquals("a\\,b", FuseOptions.escape("a,b"));
        assertEquals("a\\\\\\,b", FuseOptions.escape("a\\,b"));
        assertEquals("plain name", FuseOptions.escape("plain name"));
    }
}
