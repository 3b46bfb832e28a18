package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ftpdrive.cli.Netrc.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetrcTest {

    private static final String SEVERAL = """
            machine one.example.com login alice password a1
            machine two.example.com
                login bob
                password b2
                account acct
            machine two.example.com login carol password c3
            default login anonymous password guest@
            """;

    @Test
    void parsesEntriesInOrder() {
        List<Entry> entries = Netrc.parse(SEVERAL).entries();
        assertEquals(List.of(
                new Entry("one.example.com", "alice", "a1", null),
                new Entry("two.example.com", "bob", "b2", "acct"),
                new Entry("two.example.com", "carol", "c3", null),
                new Entry(null, "anonymous", "guest@", null)), entries);
        assertTrue(entries.get(3).isDefault());
        assertFalse(entries.get(0).isDefault());
    }

    @Test
    void findsTheMachineWithoutAUser() {
        Netrc netrc = Netrc.parse(SEVERAL);
        assertEquals("alice", netrc.find("one.example.com", null).orElseThrow().login());
        assertEquals("bob", netrc.find("two.example.com", null).orElseThrow().login());
    }

    @Test
    void findsTheMatchingLoginAmongSeveralForOneMachine() {
        Netrc netrc = Netrc.parse(SEVERAL);
        assertEquals("c3", netrc.find("two.example.com", "carol").orElseThrow().password());
        assertEquals("b2", netrc.find("two.example.com", "bob").orElseThrow().password());
    }

    @Test
    void machineNamesIgnoreCase() {
        assertEquals("a1", Netrc.parse(SEVERAL).find("ONE.Example.COM", "alice").orElseThrow().password());
    }

    @Test
    void fallsBackToDefaultForUnknownHostOrUser() {
        Netrc netrc = Netrc.parse(SEVERAL);
        assertTrue(netrc.find("elsewhere.org", null).orElseThrow().isDefault());
        // one.example.com only knows alice; dave gets nothing there, and default is for anonymous only
        assertEquals(Optional.empty(), netrc.find("one.example.com", "dave"));
        assertTrue(netrc.find("one.example.com", "anonymous").orElseThrow().isDefault());
    }

    @Test
    void defaultIsConsultedLastEvenWhenWrittenFirst() {
        Netrc netrc = Netrc.parse("default login x password y\nmachine h login x password z\n");
        assertEquals("z", netrc.find("h", "x").orElseThrow().password());
    }

    @Test
    void entryWithoutLoginMatchesAnyUser() {
        Netrc netrc = Netrc.parse("machine h password shared");
        assertEquals("shared", netrc.find("h", "anyone").orElseThrow().password());
    }

    @Test
    void nothingFoundInAnEmptyFile() {
        assertEquals(Optional.empty(), Netrc.parse("").find("h", null));
        assertEquals(Optional.empty(), Netrc.parse("  \n\n").find("h", "u"));
    }

    @Test
    void macdefBodyIsSkippedUpToTheBlankLine() {
        Netrc netrc = Netrc.parse("""
                machine h login u password p
                macdef init
                machine evil login mallory password stolen
                cd /pub

                machine after login v password q
                """);
        assertEquals(List.of(new Entry("h", "u", "p", null), new Entry("after", "v", "q", null)),
                netrc.entries());
    }

    @Test
    void macdefAtEndOfFileWithoutBlankLine() {
        Netrc netrc = Netrc.parse("machine h login u password p\nmacdef init\nmachine x login y\n");
        assertEquals(List.of(new Entry("h", "u", "p", null)), netrc.entries());
    }

    @Test
    void macdefEndsAtAWhitespaceOnlyLineAndHandlesCrLf() {
        Netrc netrc = Netrc.parse("macdef m\r\nbin\r\n  \r\nmachine h login u password p\r\n");
        assertEquals(List.of(new Entry("h", "u", "p", null)), netrc.entries());
    }

    @Test
    void quotedTokensHoldSpacesAndEscapes() {
        Netrc netrc = Netrc.parse("machine h login \"john doe\" password \"pa ss\\\"word\\\\\"");
        Entry entry = netrc.find("h", "john doe").orElseThrow();
        assertEquals("pa ss\"word\\", entry.password());
    }

    @Test
    void unterminatedQuoteTakesTheRest() {
        assertEquals("open end", Netrc.parse("machine h password \"open end").entries().get(0).password());
    }

    @Test
    void commentsWhereAKeywordIsExpected() {
        Netrc netrc = Netrc.parse("""
                # my servers
                machine h login u password #notacomment # trailing note login ignored
                """);
        assertEquals(List.of(new Entry("h", "u", "#notacomment", null)), netrc.entries());
    }

    @Test
    void unknownKeywordsAndTokensBeforeAnyMachineAreSkipped() {
        Netrc netrc = Netrc.parse("login stray password x\nport 21\nmachine h login u password p");
        assertEquals(List.of(new Entry("h", "u", "p", null)), netrc.entries());
    }

    @Test
    void machineWithoutANameAtTheEndIsIgnored() {
        assertEquals(List.of(new Entry("h", "u", null, null)), Netrc.parse("machine h login u machine").entries());
    }

    @Test
    void toStringHidesThePassword() {
        String text = new Entry("h", "u", "s3cr3t", null).toString();
        assertFalse(text.contains("s3cr3t"), text);
        assertTrue(text.contains("***"), text);
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".netrc");
        Files.writeString(file, "machine h login u password p\n");
        assertEquals("p", Netrc.load(file).find("h", "u").orElseThrow().password());
    }

    @Test
    void loadOfAMissingFileIsEmpty(@TempDir Path dir) throws IOException {
        assertTrue(Netrc.load(dir.resolve("absent")).entries().isEmpty());
    }
}
