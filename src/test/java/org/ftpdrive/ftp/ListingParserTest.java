package org.ftpdrive.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.ftpdrive.remote.EntryType;
import org.ftpdrive.remote.RemoteEntry;
import org.junit.jupiter.api.Test;

/**
 * Listings in src/test/resources/listings were recorded from real servers (raw data connection
 * bytes, CRLF line ends) for one test tree, except the modelled-* files:
 * <ul>
 * <li>vsftpd 3.0.3 (Debian 12), anonymous, {@code LIST -a}; SYST "UNIX Type: L8"</li>
 * <li>Apache MINA FtpServer 1.2.1 (embedded, user with the tree as home), {@code LIST -a}, {@code MLSD}, {@code MLSD} after
 * {@code OPTS MLST Size;Modify;Type;Perm;}, {@code MLSD -a}, {@code MLST}; SYST "UNIX Type: Apache FtpServer"</li>
 * <li>ProFTPD 1.3.8 (Debian 12), anonymous, {@code LIST -a}, {@code MLSD} (default facts options,
 * and {@code FactsOptions UseSlink}), {@code MLST}; SYST "UNIX Type: L8"</li>
 * <li>modelled-*: DOS/IIS style listings written from the documented format (no server here)</li>
 * </ul>
 * The *-edge-* files list a second directory of awkward names (leading, trailing and inner
 * spaces, " -> " in a file name, a name that looks like a date, set-uid, sticky, dangling and
 * directory symlinks); *-links-* a directory whose symlink target contains "; ".
 * The main tree ("dir"), with times set by touch in UTC and modes set by chmod:
 * <pre>
 *  leading space.txt     0644     5  2020-01-01 00:00:00
 * -dash-leading.txt      0644     5  2022-07-04 08:30:00
 * .dotfile               0644     7  2020-01-01 00:00:00
 * Grüße ✓.txt            0644     8  2024-02-29 12:00:00
 * big-5g.img             0644  5 GiB 2019-05-06 07:08:09 (sparse)
 * empty.bin              0644     0  2020-01-01 00:00:00
 * file with spaces.txt   0644     7  2021-12-31 23:59:00
 * link-to-normal         symlink -> normal.txt, 2023-08-09 10:11:12
 * normal.txt             0644    12  2023-03-14 15:09:26
 * private.dat            0600     8  2020-01-01 00:00:00
 * recent.txt             0644     7  2026-11-20 09:41:00 (recorded 2026-11-24: listed without year)
 * script.sh              0755    18  2019-05-06 07:08:09
 * subdir/                0755        2025-10-11 12:13:14
 * two  spaces.txt        0644     4  2020-01-01 00:00:00
 * </pre>
 */
class ListingParserTest {

    private static final String GRUESSE = "Gr\u00fc\u00dfe \u2713.txt";

    /** The names in "dir", in vsftpd's listing order (which is the C locale sort order). */
    private static final List<String> DIR_NAMES = List.of(
            " leading space.txt", "-dash-leading.txt", ".dotfile", GRUESSE, "big-5g.img", "empty.bin",
            "file with spaces.txt", "link-to-normal", "normal.txt", "private.dat", "recent.txt", "script.sh",
            "subdir", "two  spaces.txt");

    private static final long FIVE_GIB = 5L * 1024 * 1024 * 1024;

    // ------------------------------------------------------------------ helpers

    static List<String> lines(String resource) throws IOException {
        try (InputStream in = ListingParserTest.class.getResourceAsStream("/listings/" + resource)) {
            assertNotNull(in, resource);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        }
    }

    static Map<String, RemoteEntry> byName(List<RemoteEntry> entries) {
        Map<String, RemoteEntry> map = new LinkedHashMap<>();
        for (RemoteEntry e : entries) {
            assertNull(map.put(e.name(), e), "duplicate " + e.name());
        }
        return map;
    }

    static List<String> names(List<RemoteEntry> entries) {
        return entries.stream().map(RemoteEntry::name).collect(Collectors.toList());
    }

    static List<RemoteEntry> mlsd(String resource) throws IOException {
        List<RemoteEntry> entries = new ArrayList<>();
        for (String line : lines(resource)) {
            RemoteEntry e = ListingParser.parseMlsdLine(line);
            if (e != null) {
                entries.add(e);
            }
        }
        return entries;
    }

    static Instant utc(String isoLocal) {
        return Instant.parse(isoLocal + "Z");
    }

    static RemoteEntry file(String name, long size, String time, Integer mode) {
        return new RemoteEntry(name, EntryType.FILE, size, time == null ? null : utc(time), mode, null);
    }

    static void assertNoDotEntries(List<RemoteEntry> entries) {
        for (RemoteEntry e : entries) {
            assertFalse(e.name().equals(".") || e.name().equals(".."), "dot entry listed: " + e);
            assertFalse(e.name().startsWith("total"), "total line listed: " + e);
        }
    }

    /** recent.txt was listed as "Nov 20 09:41" (no year) on 2026-11-24. */
    static void assertRecentYearless(RemoteEntry e) {
        ZonedDateTime t = e.modified().atZone(ZoneOffset.UTC);
        assertEquals(11, t.getMonthValue());
        assertEquals(20, t.getDayOfMonth());
        assertEquals(9, t.getHour());
        assertEquals(41, t.getMinute());
        Instant now = Instant.now();
        assertFalse(e.modified().isAfter(now.plus(Duration.ofDays(2))), "year-less date put in the future: " + t);
        assertTrue(e.modified().isAfter(now.minus(Duration.ofDays(367))), "year-less date too old: " + t);
    }

    // ------------------------------------------------------------------ vsftpd

    @Test
    void vsftpdListAll() throws IOException {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        List<RemoteEntry> entries = parser.parseList(lines("vsftpd-list.txt"));

        assertEquals(DIR_NAMES, names(entries));
        assertNoDotEntries(entries);
        Map<String, RemoteEntry> m = byName(entries);

        // Dates with a year have day precision: midnight UTC.
        assertEquals(file("normal.txt", 12, "2023-03-14T00:00:00", 0644), m.get("normal.txt"));
        assertEquals(file(" leading space.txt", 5, "2020-01-01T00:00:00", 0644), m.get(" leading space.txt"));
        assertEquals(file("-dash-leading.txt", 5, "2022-07-04T00:00:00", 0644), m.get("-dash-leading.txt"));
        assertEquals(file(".dotfile", 7, "2020-01-01T00:00:00", 0644), m.get(".dotfile"));
        assertEquals(file(GRUESSE, 8, "2024-02-29T00:00:00", 0644), m.get(GRUESSE));
        assertEquals(file("big-5g.img", 5368709120L, "2019-05-06T00:00:00", 0644), m.get("big-5g.img"));
        assertEquals(FIVE_GIB, m.get("big-5g.img").size());
        assertEquals(file("empty.bin", 0, "2020-01-01T00:00:00", 0644), m.get("empty.bin"));
        assertEquals(file("file with spaces.txt", 7, "2021-12-31T00:00:00", 0644), m.get("file with spaces.txt"));
        assertEquals(file("private.dat", 8, "2020-01-01T00:00:00", 0600), m.get("private.dat"));
        assertEquals(file("script.sh", 18, "2019-05-06T00:00:00", 0755), m.get("script.sh"));
        assertEquals(file("two  spaces.txt", 4, "2020-01-01T00:00:00", 0644), m.get("two  spaces.txt"));
        assertEquals(new RemoteEntry("subdir", EntryType.DIRECTORY, 4096, utc("2025-10-11T00:00:00"), 0755, null),
                m.get("subdir"));
        assertEquals(new RemoteEntry("link-to-normal", EntryType.SYMLINK, 10, utc("2023-08-09T00:00:00"), 0777,
                "normal.txt"), m.get("link-to-normal"));

        RemoteEntry recent = m.get("recent.txt");
        assertEquals(7, recent.size());
        assertEquals(0644, recent.permissions());
        assertRecentYearless(recent);
    }

    @Test
    void vsftpdAwkwardNames() throws IOException {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        List<RemoteEntry> entries = parser.parseList(lines("vsftpd-edge-list.txt"));
        assertNoDotEntries(entries);
        assertEquals(List.of("  two leading", "12345", "Jan 02 03:04 tricky", "a -> b.txt", "dangling",
                "dir with spaces", "link with spaces", "link-to-dir", "sticky", "trailing "), names(entries));
        Map<String, RemoteEntry> m = byName(entries);
        String feb2 = "2022-02-02T00:00:00";

        assertEquals(file("  two leading", 2, feb2, 0644), m.get("  two leading"));
        assertEquals(file("trailing ", 2, feb2, 0644), m.get("trailing "));
        assertEquals(file("Jan 02 03:04 tricky", 2, feb2, 0644), m.get("Jan 02 03:04 tricky"));
        // a regular file is never split at " -> "
        assertEquals(file("a -> b.txt", 2, feb2, 0644), m.get("a -> b.txt"));
        // -rwsr-xr-x (chmod 4755): set-uid is not kept, the x bit is
        assertEquals(file("12345", 2, feb2, 0755), m.get("12345"));
        // drwxrwxrwt (chmod 1777)
        assertEquals(new RemoteEntry("sticky", EntryType.DIRECTORY, 4096, utc(feb2), 0777, null), m.get("sticky"));
        assertEquals(new RemoteEntry("dir with spaces", EntryType.DIRECTORY, 4096, utc(feb2), 0755, null),
                m.get("dir with spaces"));
        assertEquals(new RemoteEntry("dangling", EntryType.SYMLINK, 14, utc(feb2), 0777, "does-not-exist"),
                m.get("dangling"));
        assertEquals(new RemoteEntry("link with spaces", EntryType.SYMLINK, 18, utc(feb2), 0777, "target with spaces"),
                m.get("link with spaces"));
        assertEquals(new RemoteEntry("link-to-dir", EntryType.SYMLINK, 13, utc(feb2), 0777, "../dir/subdir"),
                m.get("link-to-dir"));
    }

    // ------------------------------------------------------------------ Apache MINA FtpServer

    @Test
    void minaListAll() throws IOException {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: Apache FtpServer");
        List<RemoteEntry> entries = parser.parseList(lines("mina-list.txt"));
        assertNoDotEntries(entries);
        // MINA lists directories first and has no "." / ".."; hidden files are there with -a.
        assertEquals("subdir", entries.get(0).name());
        assertEquals(DIR_NAMES.stream().sorted().collect(Collectors.toList()),
                names(entries).stream().sorted().collect(Collectors.toList()));
        Map<String, RemoteEntry> m = byName(entries);

        // MINA does not report real modes: rw------- for what the user may write, drwx------ for directories.
        assertEquals(file("normal.txt", 12, "2023-03-14T00:00:00", 0600), m.get("normal.txt"));
        assertEquals(file(" leading space.txt", 5, "2020-01-01T00:00:00", 0600), m.get(" leading space.txt"));
        assertEquals(file("-dash-leading.txt", 5, "2022-07-04T00:00:00", 0600), m.get("-dash-leading.txt"));
        assertEquals(file(GRUESSE, 8, "2024-02-29T00:00:00", 0600), m.get(GRUESSE));
        assertEquals(file("big-5g.img", FIVE_GIB, "2019-05-06T00:00:00", 0600), m.get("big-5g.img"));
        assertEquals(file("two  spaces.txt", 4, "2020-01-01T00:00:00", 0600), m.get("two  spaces.txt"));
        assertEquals(new RemoteEntry("subdir", EntryType.DIRECTORY, 0, utc("2025-10-11T00:00:00"), 0700, null),
                m.get("subdir"));
        // MINA follows symlinks: the link is listed as its target.
        assertEquals(file("link-to-normal", 12, "2023-03-14T00:00:00", 0600), m.get("link-to-normal"));
        assertRecentYearless(m.get("recent.txt"));
    }

    @Test
    void minaAwkwardNames() throws IOException {
        List<RemoteEntry> entries = ListingParser.forSystemType("UNIX Type: Apache FtpServer")
                .parseList(lines("mina-edge-list.txt"));
        Map<String, RemoteEntry> m = byName(entries);
        assertEquals(List.of("  two leading", "12345", "Jan 02 03:04 tricky", "a -> b.txt", "dangling",
                "dir with spaces", "link with spaces", "link-to-dir", "sticky", "trailing "),
                m.keySet().stream().sorted().collect(Collectors.toList()));
        String feb2 = "2022-02-02T00:00:00";
        assertEquals(file("  two leading", 2, feb2, 0600), m.get("  two leading"));
        assertEquals(file("trailing ", 2, feb2, 0600), m.get("trailing "));
        assertEquals(file("a -> b.txt", 2, feb2, 0600), m.get("a -> b.txt"));
        assertEquals(file("Jan 02 03:04 tricky", 2, feb2, 0600), m.get("Jan 02 03:04 tricky"));
        // MINA follows links: a link to a directory is a directory, a dangling one an odd file
        assertEquals(new RemoteEntry("link-to-dir", EntryType.DIRECTORY, 0, utc("2025-10-11T00:00:00"), 0700, null),
                m.get("link-to-dir"));
        assertEquals(file("dangling", 0, "1970-01-01T00:00:00", 0200), m.get("dangling"));
    }

    @Test
    void minaMlsd() throws IOException {
        List<RemoteEntry> entries = mlsd("mina-mlsd.txt");
        assertNoDotEntries(entries);
        Map<String, RemoteEntry> m = byName(entries);
        // MINA's MLSD leaves hidden files out (its "MLSD -a" extension lists them).
        assertFalse(m.containsKey(".dotfile"));
        List<String> expected = new ArrayList<>(DIR_NAMES);
        expected.remove(".dotfile");
        assertEquals(expected.stream().sorted().collect(Collectors.toList()),
                names(entries).stream().sorted().collect(Collectors.toList()));

        // Exact times (MLSD is UTC with milliseconds), no modes (no UNIX.mode fact).
        assertEquals(file("normal.txt", 12, "2023-03-14T15:09:26", null), m.get("normal.txt"));
        assertEquals(file(" leading space.txt", 5, "2020-01-01T00:00:00", null), m.get(" leading space.txt"));
        assertEquals(file("-dash-leading.txt", 5, "2022-07-04T08:30:00", null), m.get("-dash-leading.txt"));
        assertEquals(file(GRUESSE, 8, "2024-02-29T12:00:00", null), m.get(GRUESSE));
        assertEquals(file("big-5g.img", FIVE_GIB, "2019-05-06T07:08:09", null), m.get("big-5g.img"));
        assertEquals(file("file with spaces.txt", 7, "2021-12-31T23:59:00", null), m.get("file with spaces.txt"));
        assertEquals(file("recent.txt", 7, "2026-11-20T09:41:00", null), m.get("recent.txt"));
        assertEquals(file("two  spaces.txt", 4, "2020-01-01T00:00:00", null), m.get("two  spaces.txt"));
        assertEquals(new RemoteEntry("subdir", EntryType.DIRECTORY, 4096, utc("2025-10-11T12:13:14"), null, null),
                m.get("subdir"));
        assertEquals(file("link-to-normal", 12, "2023-03-14T15:09:26", null), m.get("link-to-normal"));

        Map<String, RemoteEntry> all = byName(mlsd("mina-mlsd-a.txt"));
        assertEquals(file(".dotfile", 7, "2020-01-01T00:00:00", null), all.get(".dotfile"));
        assertEquals(DIR_NAMES.size(), all.size());
    }

    @Test
    void minaMlsdPermFactsAreNotModes() throws IOException {
        Map<String, RemoteEntry> m = byName(mlsd("mina-mlsd-perm.txt"));
        assertEquals(file("normal.txt", 12, "2023-03-14T15:09:26", null), m.get("normal.txt"));
        assertNull(m.get("subdir").permissions());
    }

    @Test
    void minaMlst() throws IOException {
        // MINA answers MLST with "250-", the fact line WITHOUT the leading space RFC 3659 asks
        // for, an empty line and "250 ...".
        List<String> reply = lines("mina-mlst.txt");
        List<String> factLines = reply.stream().filter(l -> !l.isEmpty() && !l.startsWith("250"))
                .collect(Collectors.toList());
        assertEquals(3, factLines.size());
        assertEquals(file("normal.txt", 12, "2023-03-14T15:09:26", null), ListingParser.parseMlstLine(factLines.get(0)));
        assertEquals(new RemoteEntry("subdir", EntryType.DIRECTORY, 4096, utc("2025-10-11T12:13:14"), null, null),
                ListingParser.parseMlstLine(factLines.get(1)));
        assertEquals(file(GRUESSE, 8, "2024-02-29T12:00:00", null), ListingParser.parseMlsdLine(factLines.get(2)));
        // with the RFC's leading space added, the result is the same
        assertEquals(file("normal.txt", 12, "2023-03-14T15:09:26", null),
                ListingParser.parseMlsdLine(" " + factLines.get(0)));
    }

    // ------------------------------------------------------------------ ProFTPD

    @Test
    void proftpdListAll() throws IOException {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        List<RemoteEntry> entries = parser.parseList(lines("proftpd-list.txt"));
        assertEquals(DIR_NAMES, names(entries));
        Map<String, RemoteEntry> m = byName(entries);
        assertEquals(file(" leading space.txt", 5, "2020-01-01T00:00:00", 0644), m.get(" leading space.txt"));
        assertEquals(file("big-5g.img", FIVE_GIB, "2019-05-06T00:00:00", 0644), m.get("big-5g.img"));
        assertEquals(file("private.dat", 8, "2020-01-01T00:00:00", 0600), m.get("private.dat"));
        assertEquals(file("script.sh", 18, "2019-05-06T00:00:00", 0755), m.get("script.sh"));
        assertEquals(new RemoteEntry("link-to-normal", EntryType.SYMLINK, 10, utc("2023-08-09T00:00:00"), 0777,
                "normal.txt"), m.get("link-to-normal"));
        assertRecentYearless(m.get("recent.txt"));
    }

    @Test
    void proftpdMlsd() throws IOException {
        List<String> raw = lines("proftpd-mlsd.txt");
        assertTrue(raw.stream().anyMatch(l -> l.contains("type=cdir")), "recording has cdir");
        assertTrue(raw.stream().anyMatch(l -> l.contains("type=pdir")), "recording has pdir");
        List<RemoteEntry> entries = mlsd("proftpd-mlsd.txt");
        assertNoDotEntries(entries);
        assertEquals(DIR_NAMES.stream().sorted().collect(Collectors.toList()),
                names(entries).stream().sorted().collect(Collectors.toList()));
        Map<String, RemoteEntry> m = byName(entries);

        // UNIX.mode present: real modes; times to the second.
        assertEquals(file("normal.txt", 12, "2023-03-14T15:09:26", 0644), m.get("normal.txt"));
        assertEquals(file(" leading space.txt", 5, "2020-01-01T00:00:00", 0644), m.get(" leading space.txt"));
        assertEquals(file("-dash-leading.txt", 5, "2022-07-04T08:30:00", 0644), m.get("-dash-leading.txt"));
        assertEquals(file(".dotfile", 7, "2020-01-01T00:00:00", 0644), m.get(".dotfile"));
        assertEquals(file(GRUESSE, 8, "2024-02-29T12:00:00", 0644), m.get(GRUESSE));
        assertEquals(file("big-5g.img", FIVE_GIB, "2019-05-06T07:08:09", 0644), m.get("big-5g.img"));
        assertEquals(file("private.dat", 8, "2020-01-01T00:00:00", 0600), m.get("private.dat"));
        assertEquals(file("script.sh", 18, "2019-05-06T07:08:09", 0755), m.get("script.sh"));
        assertEquals(file("two  spaces.txt", 4, "2020-01-01T00:00:00", 0644), m.get("two  spaces.txt"));
        // directories have no size fact in ProFTPD's MLSD
        assertEquals(new RemoteEntry("subdir", EntryType.DIRECTORY, -1, utc("2025-10-11T12:13:14"), 0755, null),
                m.get("subdir"));
        // default ProFTPD: type=OS.unix=symlink, no target
        assertEquals(new RemoteEntry("link-to-normal", EntryType.SYMLINK, 10, utc("2023-08-09T10:11:12"), 0777, null),
                m.get("link-to-normal"));
    }

    @Test
    void proftpdMlsdSlinkTargets() throws IOException {
        Map<String, RemoteEntry> m = byName(mlsd("proftpd-mlsd-slink.txt"));
        assertEquals(DIR_NAMES.size(), m.size());
        // ProFTPD gives the target as a path from the FTP root, not as stored in the link
        assertEquals(new RemoteEntry("link-to-normal", EntryType.SYMLINK, 10, utc("2023-08-09T10:11:12"), 0777,
                "/dir/normal.txt"), m.get("link-to-normal"));
        assertEquals(file("normal.txt", 12, "2023-03-14T15:09:26", 0644), m.get("normal.txt"));

        Map<String, RemoteEntry> edge = byName(mlsd("proftpd-edge-mlsd-slink.txt"));
        String feb2 = "2022-02-02T02:02:00";
        // dangling links are left out of ProFTPD's MLSD
        assertEquals(List.of("  two leading", "12345", "Jan 02 03:04 tricky", "a -> b.txt", "dir with spaces",
                "link-to-dir", "sticky", "trailing "), edge.keySet().stream().sorted().collect(Collectors.toList()));
        assertEquals(new RemoteEntry("link-to-dir", EntryType.SYMLINK, 13, utc(feb2), 0777, "/dir/subdir"),
                edge.get("link-to-dir"));
        assertEquals(file("  two leading", 2, feb2, 0644), edge.get("  two leading"));
        assertEquals(file("trailing ", 2, feb2, 0644), edge.get("trailing "));
        assertEquals(file("a -> b.txt", 2, feb2, 0644), edge.get("a -> b.txt"));
        assertEquals(file("Jan 02 03:04 tricky", 2, feb2, 0644), edge.get("Jan 02 03:04 tricky"));
        assertEquals(file("12345", 2, feb2, 0755), edge.get("12345")); // UNIX.mode=04755
        assertEquals(new RemoteEntry("sticky", EntryType.DIRECTORY, -1, utc(feb2), 0777, null), edge.get("sticky"));
    }

    @Test
    void proftpdSlinkTargetWithSemicolonAndSpaces() throws IOException {
        // The raw target "real target; with spaces.txt" makes the fact list ambiguous for a
        // parser that splits at the first space or the first "; ".
        Map<String, RemoteEntry> m = byName(mlsd("proftpd-links-mlsd-slink.txt"));
        String feb2 = "2022-02-02T02:02:00";
        assertEquals(List.of("absolute link", "link to spaced", "real target; with spaces.txt", "relative link"),
                m.keySet().stream().sorted().collect(Collectors.toList()));
        assertEquals(new RemoteEntry("link to spaced", EntryType.SYMLINK, 28, utc(feb2), 0777,
                "/links/real target; with spaces.txt"), m.get("link to spaced"));
        assertEquals(new RemoteEntry("relative link", EntryType.SYMLINK, 17, utc(feb2), 0777, "/dir/normal.txt"),
                m.get("relative link"));
        assertEquals(new RemoteEntry("absolute link", EntryType.SYMLINK, 11, utc(feb2), 0777, "/dir/subdir"),
                m.get("absolute link"));
        assertEquals(file("real target; with spaces.txt", 2, feb2, 0644), m.get("real target; with spaces.txt"));

        // the same directory by LIST -a: targets as stored in the links
        Map<String, RemoteEntry> list = byName(ListingParser.forSystemType("UNIX Type: L8")
                .parseList(lines("proftpd-links-list.txt")));
        assertEquals(4, list.size());
        assertEquals("real target; with spaces.txt", list.get("link to spaced").linkTarget());
        assertEquals("../dir/normal.txt", list.get("relative link").linkTarget());
        assertEquals("/dir/subdir", list.get("absolute link").linkTarget());
    }

    @Test
    void proftpdMlst() throws IOException {
        // ProFTPD: "250-Start of list for X", " facts; /full/path" (RFC leading space), "250 End of list"
        List<String> facts = lines("proftpd-mlst.txt").stream().filter(l -> l.startsWith(" "))
                .collect(Collectors.toList());
        assertEquals(4, facts.size());
        assertEquals(file("/dir/normal.txt", 12, "2023-03-14T15:09:26", 0644), ListingParser.parseMlstLine(facts.get(0)));
        // MLST does not report the link as a link (but lstat's size and mode)
        assertEquals(file("/dir/link-to-normal", 10, "2023-08-09T10:11:12", 0777),
                ListingParser.parseMlstLine(facts.get(1)));
        RemoteEntry dir = ListingParser.parseMlstLine(facts.get(2));
        assertEquals("/dir", dir.name());
        assertEquals(EntryType.DIRECTORY, dir.type());
        assertEquals(0755, dir.permissions());
        assertEquals(file("/dir/ leading space.txt", 5, "2020-01-01T00:00:00", 0644),
                ListingParser.parseMlstLine(facts.get(3)));
        // parseMlsdLine reads the same line (the leading space goes, the path's spaces stay)
        assertEquals(file("/dir/ leading space.txt", 5, "2020-01-01T00:00:00", 0644),
                ListingParser.parseMlsdLine(facts.get(3)));
    }

    // ------------------------------------------------------------------ DOS / IIS (modelled)

    @Test
    void iisDosListing() throws IOException {
        ListingParser parser = ListingParser.forSystemType("Windows_NT");
        List<RemoteEntry> entries = parser.parseList(lines("modelled-iis-dos.txt"));
        assertEquals(List.of("Folder", "aspnet_client", "file name.bin", "-dash-leading.txt", GRUESSE, "big-5g.img",
                "empty.bin", ".dotfile", "iisstart.htm"), names(entries));
        Map<String, RemoteEntry> m = byName(entries);
        // no permissions in DOS listings
        assertEquals(new RemoteEntry("Folder", EntryType.DIRECTORY, 0, utc("2024-01-02T15:04:00"), null, null),
                m.get("Folder"));
        assertEquals(file("file name.bin", 1048576, "2023-12-31T11:59:00", null), m.get("file name.bin"));
        assertEquals(file("-dash-leading.txt", 5, "2022-07-04T08:30:00", null), m.get("-dash-leading.txt"));
        assertEquals(file(GRUESSE, 8, "2024-02-29T12:00:00", null), m.get(GRUESSE)); // 12:00PM is noon
        assertEquals(file("big-5g.img", FIVE_GIB, "2019-05-06T07:08:00", null), m.get("big-5g.img"));
        assertEquals(file("empty.bin", 0, "2020-01-01T00:00:00", null), m.get("empty.bin")); // 12:00AM is midnight
        assertEquals(file(".dotfile", 12, "2023-03-14T15:09:00", null), m.get(".dotfile"));
        for (RemoteEntry e : entries) {
            assertNull(e.permissions(), e.name());
        }
    }

    @Test
    void iisFourDigitYears() throws IOException {
        List<RemoteEntry> entries = ListingParser.forSystemType("Windows_NT")
                .parseList(lines("modelled-iis-dos-4digit-year.txt"));
        assertEquals(List.of(
                new RemoteEntry("Folder", EntryType.DIRECTORY, 0, utc("2024-01-02T15:04:00"), null, null),
                file("file name.bin", 1048576, "1999-12-31T23:59:00", null)), entries);
    }

    @Test
    void dos24HourTimesAreUtcWhateverTheJvmZone() throws IOException {
        TimeZone saved = TimeZone.getDefault();
        try {
            // Commons Net reads 24-hour DOS times with a parser in the JVM's default zone.
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            List<RemoteEntry> entries = ListingParser.forSystemType("Windows_NT").parseList(lines("modelled-dos-24h.txt"));
            assertEquals(List.of(
                    new RemoteEntry("Folder", EntryType.DIRECTORY, 0, utc("2024-01-02T15:04:00"), null, null),
                    file("file name.bin", 1048576, "2023-12-31T23:59:00", null),
                    file("-dash-leading.txt", 5, "2022-07-04T00:30:00", null)), entries);
            // and a Unix listing read in the same JVM is UTC too
            Map<String, RemoteEntry> unix = byName(ListingParser.forSystemType("UNIX Type: L8")
                    .parseList(lines("vsftpd-list.txt")));
            assertEquals(utc("2023-03-14T00:00:00"), unix.get("normal.txt").modified());
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    // ------------------------------------------------------------------ SYST fallbacks

    @Test
    void unixLinesFromAServerClaimingWindows() throws IOException {
        // Numeric owner/group ("1 0 0 5 ...") also fits the DOS pattern; the Unix reading must win.
        for (String syst : new String[] {"Windows_NT", "Windows_NT version 5.0", null, "", "Plan 9", "MVS is the operating system of this server. FTP Server is running on z/OS.", "java.lang.Thread"}) {
            ListingParser parser = ListingParser.forSystemType(syst);
            List<RemoteEntry> entries = parser.parseList(lines("vsftpd-list.txt"));
            assertEquals(DIR_NAMES, names(entries), "SYST " + syst);
            Map<String, RemoteEntry> m = byName(entries);
            assertEquals(file("normal.txt", 12, "2023-03-14T00:00:00", 0644), m.get("normal.txt"), "SYST " + syst);
            assertEquals("normal.txt", m.get("link-to-normal").linkTarget());
        }
    }

    @Test
    void dosLinesFromAServerClaimingUnix() throws IOException {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        Map<String, RemoteEntry> m = byName(parser.parseList(lines("modelled-iis-dos.txt")));
        assertEquals(9, m.size());
        assertEquals(file("file name.bin", 1048576, "2023-12-31T11:59:00", null), m.get("file name.bin"));
        assertEquals(EntryType.DIRECTORY, m.get("Folder").type());
    }

    @Test
    void formatSwitchesBetweenLines() throws IOException {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        List<String> unix = lines("vsftpd-list.txt");
        List<String> dos = lines("modelled-iis-dos.txt");
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(unix.size(), dos.size()); i++) {
            if (i < unix.size()) {
                mixed.add(unix.get(i));
            }
            if (i < dos.size()) {
                mixed.add(dos.get(i));
            }
        }
        List<RemoteEntry> entries = parser.parseList(mixed);
        assertEquals(DIR_NAMES.size() + 9, entries.size());
        // both listings have a "-dash-leading.txt": one from each format
        List<RemoteEntry> dash = entries.stream().filter(e -> e.name().equals("-dash-leading.txt"))
                .collect(Collectors.toList());
        assertEquals(List.of(file("-dash-leading.txt", 5, "2022-07-04T00:00:00", 0644),
                file("-dash-leading.txt", 5, "2022-07-04T08:30:00", null)), dash);
        Map<String, RemoteEntry> iis = byName(entries.stream().filter(e -> e.permissions() == null)
                .collect(Collectors.toList()));
        assertEquals(9, iis.size());
        assertEquals(file("iisstart.htm", 689, "2019-02-14T10:23:00", null), iis.get("iisstart.htm"));
        assertEquals(DIR_NAMES, names(entries.stream().filter(e -> e.permissions() != null)
                .collect(Collectors.toList())));
    }

    @Test
    void nonEntryLines() {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        assertNull(parser.parseListLine("total 12"));
        assertNull(parser.parseListLine("total 0"));
        assertNull(parser.parseListLine(""));
        assertNull(parser.parseListLine("   "));
        assertNull(parser.parseListLine(null));
        assertNull(parser.parseListLine("drwxr-xr-x    3 0        0            4096 Nov 24 10:57 ."));
        assertNull(parser.parseListLine("drwxr-xr-x    3 0        0            4096 Nov 24 10:57 .."));
        assertNull(parser.parseListLine("this is not a listing line"));
        List<RemoteEntry> entries = parser.parseList(List.of("total 48",
                "drwxr-xr-x    3 0        0            4096 Nov 24 10:57 .",
                "drwxr-xr-x    3 0        0            4096 Nov 24 10:57 ..",
                "-rw-r--r--    1 0        0              12 Mar 14  2023 normal.txt\r", ""));
        assertEquals(List.of(file("normal.txt", 12, "2023-03-14T00:00:00", 0644)), entries);
    }

    @Test
    void singleLine() {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        assertEquals(file("-rf", 3, "2001-11-09T00:00:00", 0751),
                parser.parseListLine("-rwxr-x--x   1 owner    group           3 Nov  9  2001 -rf"));
        assertEquals(new RemoteEntry("tty0", EntryType.OTHER, -1, utc("2001-11-09T00:00:00"), 0620, null),
                parser.parseListLine("crw--w----   1 root     tty        4,   0 Nov  9  2001 tty0"));
    }

    // ------------------------------------------------------------------ MLSD lines

    @Test
    void mlsdLines() {
        assertEquals(new RemoteEntry("name with spaces.txt", EntryType.FILE, 1024, Instant.parse("2024-01-02T03:04:05.123Z"),
                0644, null),
                ListingParser.parseMlsdLine("type=file;size=1024;modify=20240102030405.123;UNIX.mode=0644; name with spaces.txt"));
        // fact names and values in any case
        assertEquals(new RemoteEntry("Dir", EntryType.DIRECTORY, -1, Instant.parse("2024-01-02T03:04:05Z"), 0755, null),
                ListingParser.parseMlsdLine("Type=DIR;Modify=20240102030405;unix.MODE=755; Dir"));
        // RFC 3659 allows any number of fraction digits
        assertEquals(Instant.parse("2024-01-02T03:04:05.500Z"),
                ListingParser.parseMlsdLine("type=file;modify=20240102030405.5; a").modified());
        assertEquals(Instant.parse("2024-01-02T03:04:05.123Z"),
                ListingParser.parseMlsdLine("type=file;modify=20240102030405.123456; a").modified());
        // a bad fact does not lose the entry
        RemoteEntry odd = ListingParser.parseMlsdLine("type=file;size=lots;modify=yesterday;UNIX.mode=rwx; odd;name.txt");
        assertEquals(new RemoteEntry("odd;name.txt", EntryType.FILE, -1, null, null, null), odd);
        // perm facts alone are not a mode
        assertNull(ListingParser.parseMlsdLine("type=file;perm=adfrw;size=1; p").permissions());
        // symlinks
        assertEquals(new RemoteEntry("link", EntryType.SYMLINK, 4, null, null, "/etc/Real"),
                ListingParser.parseMlsdLine("type=OS.unix=slink:/etc/Real;size=4; link"));
        assertEquals(new RemoteEntry("link", EntryType.SYMLINK, -1, null, 0777, null),
                ListingParser.parseMlsdLine("type=OS.unix=symlink;UNIX.mode=0777; link"));
        assertEquals(new RemoteEntry("last", EntryType.SYMLINK, -1, null, null, "/a; b"),
                ListingParser.parseMlsdLine("type=OS.unix=slink:/a; b; last"));
        // other Unix types
        assertEquals(EntryType.OTHER, ListingParser.parseMlsdLine("type=OS.unix=chr-13/29; tty").type());
        // cdir / pdir / dot names
        assertNull(ListingParser.parseMlsdLine("type=cdir;modify=20240102030405; /home/me"));
        assertNull(ListingParser.parseMlsdLine("type=pdir;modify=20240102030405; .."));
        assertNull(ListingParser.parseMlsdLine("type=dir; ."));
        assertEquals(EntryType.DIRECTORY, ListingParser.parseMlstLine(" type=cdir;modify=20240102030405; /home/me").type());
        // not fact lines
        assertNull(ListingParser.parseMlsdLine(""));
        assertNull(ListingParser.parseMlsdLine(null));
        assertNull(ListingParser.parseMlsdLine("-rw-r--r--    1 0        0              12 Mar 14  2023 normal.txt"));
        assertNull(ListingParser.parseMlsdLine("type=file;size=3;"));
        // CR left by a caller that split on LF only
        assertEquals("crlf", ListingParser.parseMlsdLine("type=file;size=1; crlf\r").name());
    }

    // ------------------------------------------------------------------ volume and threads

    /** 10,000 lines made from vsftpd's recorded line for "file with spaces.txt". */
    static List<String> bigListing() throws IOException {
        String pattern = lines("vsftpd-list.txt").stream().filter(l -> l.endsWith(" file with spaces.txt"))
                .findFirst().orElseThrow();
        // "-rw-r--r--    1 0        0               7 Dec 31  2021 file with spaces.txt"
        int sizeEnd = pattern.indexOf(" Dec 31  2021 ");
        int sizeStart = pattern.lastIndexOf(' ', sizeEnd - 1) + 1;
        List<String> lines = new ArrayList<>();
        lines.add("total 40000");
        for (int i = 0; i < 10_000; i++) {
            String size = Long.toString(1000L * i + 7);
            String padded = " ".repeat(Math.max(0, sizeEnd - sizeStart - size.length())) + size;
            lines.add(pattern.substring(0, sizeStart) + padded
                    + pattern.substring(sizeEnd).replace("file with spaces.txt", "file with spaces " + i + ".txt"));
        }
        return lines;
    }

    @Test
    void tenThousandLines() throws IOException {
        List<String> lines = bigListing();
        assertEquals(10_001, lines.size());
        // Speed is measured by scripts/bench, not here; this checks the result at scale.
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        List<RemoteEntry> entries = parser.parseList(lines);
        assertEquals(10_000, entries.size());
        assertEquals(file("file with spaces 0.txt", 7, "2021-12-31T00:00:00", 0644), entries.get(0));
        assertEquals(file("file with spaces 4242.txt", 4_242_007, "2021-12-31T00:00:00", 0644), entries.get(4242));
        assertEquals(file("file with spaces 9999.txt", 9_999_007, "2021-12-31T00:00:00", 0644), entries.get(9999));
    }

    @Test
    void oneInstanceSharedByThreads() throws Exception {
        ListingParser parser = ListingParser.forSystemType("UNIX Type: L8");
        List<String> unix = lines("vsftpd-list.txt");
        List<String> dos = lines("modelled-iis-dos.txt");
        List<RemoteEntry> expectedUnix = ListingParser.forSystemType("UNIX Type: L8").parseList(unix);
        List<RemoteEntry> expectedDos = ListingParser.forSystemType("UNIX Type: L8").parseList(dos);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                boolean useDos = t % 2 == 1;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        if (useDos ? !parser.parseList(dos).equals(expectedDos)
                                : !parser.parseList(unix).equals(expectedUnix)) {
                            return false;
                        }
                        for (String line : unix) {
                            RemoteEntry e = parser.parseListLine(line);
                            if (e != null && !expectedUnix.contains(e)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
