package org.ftpdrive.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Lines of /proc/self/mountinfo as the kernel writes them (bytes, octal escapes). */
class MountTableTest {
    /** What Files.readString(..., ISO_8859_1) makes of the kernel's bytes. */
    private static String asRead(String utf8Line) {
        return new String(utf8Line.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void anFtpdriveMountWithSpacesInItsPath() {
        MountTable.Mount m = MountTable.parse("412 29 0:57 / /home/ann/My\\040FTP\\040Drive rw,nosuid,nodev,relatime"
                + " shared:221 - fuse.ftpdrive ftp.example.com rw,user_id=1000,group_id=1000");
        assertEquals(Path.of("/home/ann/My FTP Drive"), m.mountPoint());
        assertEquals("fuse.ftpdrive", m.type());
        assertEquals("ftp.example.com", m.source());
        assertTrue(m.isFtpdrive());
    }

    @Test
    void noOptionalFieldsAndSeveral() {
        MountTable.Mount none = MountTable.parse("22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw");
        assertEquals(Path.of("/"), none.mountPoint());
        assertEquals("ext4", none.type());
        assertEquals("/dev/sda1", none.source());
        assertFalse(none.isFtpdrive());

        MountTable.Mount many = MountTable.parse(
                "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 propagate_from:2 - ext3 /dev/root rw");
        assertEquals(Path.of("/mnt2"), many.mountPoint());
        assertEquals("ext3", many.type());
    }

    @Test
    void aDashInTheMountPointIsNotTheSeparator() {
        MountTable.Mount m = MountTable.parse(
                "50 22 0:60 / /mnt/a\\040-\\040b rw - fuse.ftpdrive user@host:21 rw,user_id=0");
        assertEquals(Path.of("/mnt/a - b"), m.mountPoint());
        assertEquals("fuse.ftpdrive", m.type());
        assertEquals("user@host:21", m.source());

        MountTable.Mount dashName = MountTable.parse("51 22 0:61 / /mnt/- rw - tmpfs tmpfs rw");
        assertEquals(Path.of("/mnt/-"), dashName.mountPoint());
        assertEquals("tmpfs", dashName.type());
    }

    @Test
    void nonAsciiNamesAreDecodedAsUtf8() {
        MountTable.Mount m = MountTable.parse(asRead(
                "60 22 0:70 / /media/jürgen/Fotos\\040für\\040Oma rw - fuse.ftpdrive ftp://nas.local/Bilder rw"));
        assertEquals(Path.of("/media/jürgen/Fotos für Oma"), m.mountPoint());
        MountTable.Mount cjk = MountTable.parse(asRead("61 22 0:71 / /mnt/文件 rw - fuse.ftpdrive 服务器 rw"));
        assertEquals(Path.of("/mnt/文件"), cjk.mountPoint());
        assertEquals("服务器", cjk.source());
    }

    @Test
    void unescape() {
        assertEquals("a b", MountTable.unescape("a\\040b"));
        assertEquals("tab\there", MountTable.unescape("tab\\011here"));
        assertEquals("new\nline", MountTable.unescape("new\\012line"));
        assertEquals("back\\slash", MountTable.unescape("back\\134slash"));
        assertEquals("\\04", MountTable.unescape("\\04"), "an incomplete escape stays as it is");
        assertEquals("\\9ab", MountTable.unescape("\\9ab"));
        assertEquals("ü", MountTable.unescape("\\303\\274"), "escaped bytes are UTF-8 too");
    }

    @Test
    void malformedLinesAreSkipped() {
        assertNull(MountTable.parse(""));
        assertNull(MountTable.parse("22 1 8:1 / / rw,relatime"));
        assertNull(MountTable.parse("22 1 8:1 / / rw,relatime -"));
        assertNull(MountTable.parse("22 1 8:1 / / rw,relatime - ext4"));
        assertNull(MountTable.parse("- a b c d e f"));
    }

    @Test
    void theRootOfThisMachineIsFound() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/mountinfo")), "no /proc/self/mountinfo here");
        assertTrue(MountTable.find(Path.of("/")).isPresent());
        assertFalse(MountTable.find(Path.of("/no/such/mount/point/here")).isPresent());
    }
}
