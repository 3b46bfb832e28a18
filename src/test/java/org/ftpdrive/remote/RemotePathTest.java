package org.ftpdrive.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemotePathTest {
    @Test
    void normalisesSlashesDotsAndDotDots() {
        assertEquals("/a/c", RemotePath.of("//a/./b/../c/").toString());
        assertEquals("/", RemotePath.of("/..").toString());
        assertEquals(List.of("a", "b"), RemotePath.of("a/b").names());
        assertTrue(RemotePath.of("").isRoot());
    }

    @Test
    void parentNameAndResolve() {
        RemotePath p = RemotePath.of("/dir/file name.txt");
        assertEquals("file name.txt", p.name());
        assertEquals(RemotePath.of("/dir"), p.parent());
        assertEquals(RemotePath.ROOT, RemotePath.ROOT.parent());
        assertEquals("/dir/x/y", RemotePath.of("/dir").resolvePath("x/y").toString());
        assertEquals("/dir/-x", RemotePath.of("/dir").resolve("-x").toString());
        assertTrue(p.startsWith(RemotePath.of("/dir")));
    }

    @Test
    void refusesCommandInjectionThroughNames() {
        InvalidRemoteNameException e =
                assertThrows(InvalidRemoteNameException.class, () -> RemotePath.of("/a\r\nDELE b"));
        assertEquals("a\\r\\nDELE b", e.getInput(), "the message shows the name escaped on one line");
        assertThrows(InvalidRemoteNameException.class, () -> RemotePath.ROOT.resolve("x\ny"));
        assertThrows(InvalidRemoteNameException.class, () -> RemotePath.ROOT.resolve("nul\0"));
        assertThrows(InvalidRemoteNameException.class, () -> RemotePath.of("/ok").resolvePath("bad\r"));
    }

    @Test
    void resolveTakesOneSegmentOnly() {
        assertThrows(InvalidRemoteNameException.class, () -> RemotePath.ROOT.resolve("a/b"));
        assertThrows(InvalidRemoteNameException.class, () -> RemotePath.ROOT.resolve(".."));
        assertThrows(InvalidRemoteNameException.class, () -> RemotePath.ROOT.resolve(""));
    }
}
