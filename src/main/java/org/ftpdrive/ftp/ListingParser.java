package org.ftpdrive.ftp;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.parser.DefaultFTPFileEntryParserFactory;
import org.apache.commons.net.ftp.parser.EnterpriseUnixFTPEntryParser;
import org.apache.commons.net.ftp.parser.FTPTimestampParserImpl;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;
import org.apache.commons.net.ftp.parser.MVSFTPEntryParser;
import org.apache.commons.net.ftp.parser.MacOsPeterFTPEntryParser;
import org.apache.commons.net.ftp.parser.NTFTPEntryParser;
import org.apache.commons.net.ftp.parser.NetwareFTPEntryParser;
import org.apache.commons.net.ftp.parser.OS2FTPEntryParser;
import org.apache.commons.net.ftp.parser.OS400FTPEntryParser;
import org.apache.commons.net.ftp.parser.ParserInitializationException;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.apache.commons.net.ftp.parser.VMSFTPEntryParser;
import org.ftpdrive.remote.EntryType;
import org.ftpdrive.remote.RemoteEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns directory listings into {@link RemoteEntry} values: {@code LIST} lines (whatever format
 * the server uses, parsed by Commons Net's entry parsers) and RFC 3659 {@code MLSD}/{@code MLST}
 * fact lines (parsed by Commons Net's {@link MLSxEntryParser}).
 *
 * <h2>Choosing the LIST parser</h2>
 * The SYST reply picks the first parser ({@link DefaultFTPFileEntryParserFactory}). Servers often
 * misreport their system type (Windows servers in Unix listing mode, "UNIX emulated" servers,
 * SYST refused), so a line that parser cannot read is tried with the Unix parser, then the
 * NT/DOS (IIS) parser, then the other Commons Net parsers. The parser that read the last line is
 * tried first for the next one, so a listing in one format costs one regular expression match per
 * line. A result without a date is only accepted when no other parser reads the line with a date:
 * the NT parser, for instance, also "matches" {@code drwxr-xr-x 2 0 0 4096 Jan 02 03:04 x}
 * (numeric owner and group) and would turn it into a file called {@code 0 4096 Jan 02 03:04 x}.
 *
 * <h2>Time zone</h2>
 * LIST dates carry no zone. They are read as UTC ({@link #SERVER_TIME_ZONE}), which is what
 * vsftpd ({@code use_localtime=NO}, its default) and Apache FtpServer send; servers that list in
 * local time are off by their UTC offset. MLSD/MLST times are UTC by definition (RFC 3659).
 * Unix dates without a year ({@code Nov 20 09:41}) are resolved by Commons Net to the latest such
 * date not more than a day in the future; dates with a year ({@code Mar 14  2023}) only have day
 * precision and become midnight UTC.
 *
 * <h2>Names</h2>
 * Names are returned exactly as listed: inner and trailing spaces, a leading {@code -}, non-ASCII
 * letters (decoded by the caller) survive. Leading spaces survive in Unix listings: Commons Net
 * 3.12 only trims them when the parser key is {@code UNIX_LTRIM}, which no server sends in its SYST
 * reply, and its Unix pattern consumes exactly one blank between the date and the name. DOS/IIS
 * listings cannot carry leading spaces (the column separator is a run of blanks). A Unix symlink
 * line is split at the first {@code " -> "}, so a link whose own name contains {@code " -> "} gets
 * a short name and a long target; a regular file with {@code " -> "} in its name is unaffected.
 *
 * <h2>Permissions</h2>
 * {@link RemoteEntry#permissions()} holds the nine rwx bits (0777 mask; set-id and sticky bits are
 * not kept) when the listing carried them: a Unix permission string in LIST, or a
 * {@code UNIX.mode} fact in MLSD. DOS listings, and MLSD {@code perm} facts on their own (which
 * describe what the logged-in user may do, not a mode), give {@code null}.
 *
 * <h2>Threads</h2>
 * Commons Net parsers keep per-call state (a regex matcher, SimpleDateFormats), so the LIST
 * methods of an instance run one at a time (an internal lock); an instance can be shared.
 * {@link #parseMlsdLine} and {@link #parseMlstLine} are stateless.
 */
public final class ListingParser {
    private static final Logger log = LoggerFactory.getLogger(ListingParser.class);

    /**
     * Time zone assumed for LIST dates, which carry none. UTC for now; a later option may let the
     * user set the server's zone.
     */
    public static final String SERVER_TIME_ZONE = "UTC";

    /** "total 12" (and "total 12k" from some ls versions): the block count ls prints first. */
    private static final Pattern TOTAL_LINE = Pattern.compile("^\\s*total\\s+\\d+\\s*[a-zA-Z]?\\s*$");

    /** A Unix mode string at the start of a LIST line, as produced by ls -l. */
    private static final Pattern UNIX_MODE_STRING =
            Pattern.compile("^[bcdelfmpSs-](?:[r-][w-][xsStTL-]){3}");

    /**
     * A DOS line with a 24-hour time ({@code 01-02-24  15:04  <DIR>  x}); the 12-hour form ends
     * with AM/PM.
     */
    private static final Pattern DOS_24H_LINE =
            Pattern.compile("^(\\d{1,2}-\\d{1,2}-\\d{2,4})\\s+(\\d{1,2}:\\d{2})\\s+(?:<DIR>|\\d+)\\s");

    /** What the factory would take for a class name (it would load and instantiate it). */
    private static final Pattern QUALIFIED_CLASS_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}.]*\\.\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}.]*");

    /** An RFC 3659 fact name and its '=' (the name's case does not matter). */
    private static final Pattern FACT_NAME = Pattern.compile("([A-Za-z][A-Za-z0-9.\\-]*)=");
    /** Where the fact after an OS.unix=slink:target type fact starts. */
    private static final Pattern NEXT_FACT = Pattern.compile(";(?=[A-Za-z][A-Za-z0-9.\\-]*=)");
    private static final Pattern MLSX_TIME = Pattern.compile("(\\d{14})(?:\\.(\\d+))?");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern OCTAL_MODE = Pattern.compile("[0-7]{3,}");

    private static final int[] ACCESS = {FTPFile.USER_ACCESS, FTPFile.GROUP_ACCESS, FTPFile.WORLD_ACCESS};
    private static final int[] PERMISSION = {FTPFile.READ_PERMISSION, FTPFile.WRITE_PERMISSION, FTPFile.EXECUTE_PERMISSION};

    private final String systemType;
    private final Object lock = new Object();
    /** Parsers in the order tried after the preferred one fails; index 0 is the SYST choice, if any. */
    private final FTPFileEntryParser[] parsers;
    /** The parser of {@link #parsers} that read the last entry; guarded by {@link #lock}. */
    private int preferred;
    /**
     * Reads DOS 24-hour dates in {@link #SERVER_TIME_ZONE}: Commons Net's NT parser falls back to
     * its own "MM-dd-yy kk:mm" parser for them, and that one uses the JVM's default zone, not the
     * configured server zone, and rejects hour 00. Guarded by {@link #lock}.
     */
    private final FTPTimestampParserImpl dos24hTimestamps;

    private ListingParser(String systemType, List<FTPFileEntryParser> parsers) {
        this.systemType = systemType;
        this.parsers = parsers.toArray(new FTPFileEntryParser[0]);
        this.dos24hTimestamps = new FTPTimestampParserImpl();
        FTPClientConfig dos24h = config(FTPClientConfig.SYST_NT);
        // HH, not Commons Net's kk (1-24), which rejects times from 00:00 to 00:59.
        dos24h.setDefaultDateFormatStr("MM-dd-yy HH:mm");
        dos24hTimestamps.configure(dos24h);
    }

    /**
     * A parser for a server that answered SYST with {@code systType} ({@code "UNIX Type: L8"},
     * {@code "Windows_NT"}, ...; null or empty when SYST failed).
     */
    public static ListingParser forSystemType(String systType) {
        String key = systType == null ? "" : systType.strip();
        List<FTPFileEntryParser> parsers = new ArrayList<>();
        FTPFileEntryParser fromSyst = null;
        // The factory loads and instantiates any class the key names; a SYST reply must not be
        // able to do that.
        if (!key.isEmpty() && !QUALIFIED_CLASS_NAME.matcher(key).matches()) {
            try {
                fromSyst = new DefaultFTPFileEntryParserFactory().createFileEntryParser(config(key));
            } catch (ParserInitializationException e) {
                log.debug("no Commons Net parser for system type '{}'; guessing the listing format", key);
            }
        }
        // A plain Unix choice is served by the Unix parser below (same class and settings); other
        // choices, including UNIX_LTRIM's name-trimming Unix parser, are tried first.
        if (fromSyst != null && fromSyst.getClass() != UnixFTPEntryParser.class) {
            parsers.add(fromSyst);
        }
        // trimLeadingSpaces=false: names that start with a space keep it.
        parsers.add(new UnixFTPEntryParser(config(FTPClientConfig.SYST_UNIX), false));
        parsers.add(new NTFTPEntryParser(config(FTPClientConfig.SYST_NT)));
        parsers.add(new OS400FTPEntryParser(config(FTPClientConfig.SYST_OS400)));
        parsers.add(new VMSFTPEntryParser(config(FTPClientConfig.SYST_VMS)));
        parsers.add(new NetwareFTPEntryParser(config(FTPClientConfig.SYST_NETWARE)));
        parsers.add(new OS2FTPEntryParser(config(FTPClientConfig.SYST_OS2)));
        parsers.add(new MacOsPeterFTPEntryParser(config(FTPClientConfig.SYST_MACOS_PETER)));
        parsers.add(new EnterpriseUnixFTPEntryParser());
        // MVS is left out of the guesses: its parser reads nothing until preParse has seen the
        // listing's header. It is used when SYST says MVS (see parseList).
        return new ListingParser(key, parsers);
    }

    private static FTPClientConfig config(String key) {
        FTPClientConfig config = new FTPClientConfig(key);
        config.setServerTimeZoneId(SERVER_TIME_ZONE);
        return config;
    }

    /** The SYST text this parser was made for (stripped; empty when unknown). */
    public String systemType() {
        return systemType;
    }

    /**
     * One line of a {@code LIST} (or {@code LIST -a}) reply, without its line end. Returns null for
     * lines that are not entries ("total 12", blank lines, text no parser understands) and for
     * {@code .} and {@code ..}.
     */
    public RemoteEntry parseListLine(String line) {
        if (line == null) {
            return null;
        }
        line = stripLineEnd(line);
        if (line.isBlank() || TOTAL_LINE.matcher(line).matches()) {
            return null;
        }
        synchronized (lock) {
            return parseLocked(line);
        }
    }

    /** All entries of a {@code LIST} reply, in listing order, without "total", "." and "..". */
    public List<RemoteEntry> parseList(List<String> lines) {
        List<RemoteEntry> entries = new ArrayList<>(lines.size());
        synchronized (lock) {
            List<String> work = lines;
            FTPFileEntryParser first = parsers[0];
            if (first instanceof MVSFTPEntryParser && !lines.isEmpty() && looksLikeMvsHeader(lines.get(0))) {
                // The MVS parser learns the listing type from the header line (and drops it). Its
                // preParse drops the first line of any other listing too, so it only gets MVS ones.
                work = first.preParse(new ArrayList<>(lines));
            }
            for (String raw : work) {
                if (raw == null) {
                    continue;
                }
                String line = stripLineEnd(raw);
                if (line.isBlank() || TOTAL_LINE.matcher(line).matches()) {
                    continue;
                }
                RemoteEntry entry = parseLocked(line);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** The header lines MVSFTPEntryParser.preParse recognises (data sets, members, JES jobs). */
    private static boolean looksLikeMvsHeader(String header) {
        return header != null
                && (header.contains("Volume") && header.contains("Dsname")
                        || header.contains("Name") && header.contains("Id") && !UNIX_MODE_STRING.matcher(header).lookingAt()
                        || header.startsWith("JOBNAME") && header.indexOf("JOBID") > 8
                        || header.indexOf("Spool Files") >= 30);
    }

    private RemoteEntry parseLocked(String line) {
        FTPFile found = tryParser(preferred, line);
        int foundBy = preferred;
        if (found == null || found.getTimestamp() == null) {
            // Slow path: the format changed, or the preferred parser read the line without a date
            // (possibly a false match). Look for a parser that reads it with one.
            for (int i = 0; i < parsers.length; i++) {
                if (i == preferred) {
                    continue;
                }
                FTPFile candidate = tryParser(i, line);
                if (candidate == null) {
                    continue;
                }
                if (found == null || candidate.getTimestamp() != null) {
                    found = candidate;
                    foundBy = i;
                    if (candidate.getTimestamp() != null) {
                        break;
                    }
                }
            }
        }
        if (found == null) {
            log.debug("listing line not understood: {}", line);
            return null;
        }
        preferred = foundBy;
        return toEntry(found, line);
    }

    private FTPFile tryParser(int index, String line) {
        try {
            FTPFile file = parsers[index].parseFTPEntry(line);
            if (file != null) {
                fixDos24hTimestamp(file, line);
            }
            return file;
        } catch (RuntimeException e) {
            // e.g. NumberFormatException on an absurdly long size; the line is skipped.
            log.debug("parser {} failed on: {}", parsers[index].getClass().getSimpleName(), line, e);
            return null;
        }
    }

    private void fixDos24hTimestamp(FTPFile file, String line) {
        Matcher m = DOS_24H_LINE.matcher(line);
        if (!m.find()) {
            return;
        }
        try {
            file.setTimestamp(dos24hTimestamps.parseTimestamp(m.group(1) + " " + m.group(2)));
        } catch (ParseException e) {
            file.setTimestamp(null);
        }
    }

    private static RemoteEntry toEntry(FTPFile file, String line) {
        String name = file.getName();
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            return null;
        }
        boolean unixMode = UNIX_MODE_STRING.matcher(line).lookingAt();
        EntryType type = type(file);
        if (unixMode && (line.charAt(0) == 'b' || line.charAt(0) == 'c')) {
            type = EntryType.OTHER; // devices: Commons Net calls them files (and has no size for them)
        }
        Calendar timestamp = file.getTimestamp();
        Integer permissions = unixMode ? permissionBits(file) : null;
        String link = type == EntryType.SYMLINK ? file.getLink() : null;
        return new RemoteEntry(name, type, file.getSize(), timestamp == null ? null : timestamp.toInstant(),
                permissions, link);
    }

    private static EntryType type(FTPFile file) {
        switch (file.getType()) {
            case FTPFile.FILE_TYPE:
                return EntryType.FILE;
            case FTPFile.DIRECTORY_TYPE:
                return EntryType.DIRECTORY;
            case FTPFile.SYMBOLIC_LINK_TYPE:
                return EntryType.SYMLINK;
            default:
                return EntryType.OTHER;
        }
    }

    private static int permissionBits(FTPFile file) {
        int bits = 0;
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                bits <<= 1;
                if (file.hasPermission(ACCESS[a], PERMISSION[p])) {
                    bits |= 1;
                }
            }
        }
        return bits;
    }

    // ---------------------------------------------------------------- MLSD / MLST

    /**
     * One line of an MLSD reply (RFC 3659), e.g.
     * {@code type=file;size=1024;modify=20240102030405.123;UNIX.mode=0644; name with spaces.txt}.
     * The line of an MLST reply is accepted too (its leading space is removed when facts follow).
     * Returns null for {@code type=cdir}/{@code type=pdir} entries, for the names {@code .} and
     * {@code ..}, and for lines that are not fact lines. Symbolic links are recognised in both
     * forms servers use: {@code type=OS.unix=symlink} (no target) and
     * {@code type=OS.unix=slink:/target} (ProFTPD with {@code FactsOptions UseSlink}).
     */
    public static RemoteEntry parseMlsdLine(String line) {
        return parseMlsx(line, false);
    }

    /**
     * The fact line of an MLST reply (RFC 3659 section 7.2: a leading space, the facts, a space,
     * the path). Unlike {@link #parseMlsdLine}, {@code cdir} and {@code pdir} (which some servers
     * report for the directory MLST was asked about) are returned as directories, and the name is
     * the path exactly as the server gave it (often absolute, e.g. {@code /dir/file.txt}).
     */
    public static RemoteEntry parseMlstLine(String line) {
        return parseMlsx(line, true);
    }

    private static RemoteEntry parseMlsx(String line, boolean mlst) {
        if (line == null) {
            return null;
        }
        line = stripLineEnd(line);
        if (line.length() > 1 && line.charAt(0) == ' ' && FACT_NAME.matcher(line).region(1, line.length()).lookingAt()) {
            line = line.substring(1); // MLST reply line (RFC 3659 7.2); MINA sends it without the space
        }
        if (line.isEmpty() || line.charAt(0) == ' ') {
            return null; // no facts: nothing worth having (not even the type)
        }

        // Commons Net splits at the first space and rejects the whole line on facts it cannot read
        // (type=OS.unix=slink:/x has a second '=', size=abc throws, a modify time with other than
        // three fraction digits is misread or rejected). So the line is taken apart here and
        // Commons Net is handed only the facts it reads correctly.
        StringBuilder clean = new StringBuilder(line.length());
        boolean symlink = false;
        boolean otherType = false;
        boolean currentOrParent = false;
        boolean hasMode = false;
        String linkTarget = null;
        int pos = 0;
        while (true) {
            Matcher nameMatch = FACT_NAME.matcher(line).region(pos, line.length());
            if (!nameMatch.lookingAt()) {
                return null; // not a fact list
            }
            String factName = nameMatch.group(1).toLowerCase(Locale.ROOT);
            int valueStart = nameMatch.end();
            int valueEnd = line.indexOf(';', valueStart);
            if (valueEnd < 0) {
                return null;
            }
            String value = line.substring(valueStart, valueEnd);
            if (factName.equals("type") && value.regionMatches(true, 0, "OS.unix=slink:", 0, 14)) {
                // ProFTPD writes the target raw: it may hold ';' and spaces. It ends where the next
                // fact starts, or, when it is the last fact, at the last "; ".
                Matcher next = NEXT_FACT.matcher(line).region(valueStart, line.length());
                if (next.find()) {
                    valueEnd = next.start();
                } else {
                    int last = line.lastIndexOf("; ");
                    if (last < valueStart) {
                        return null;
                    }
                    valueEnd = last;
                }
                value = line.substring(valueStart, valueEnd);
            }
            pos = valueEnd + 1;

            boolean keep;
            switch (factName) {
                case "type": {
                    String v = value.toLowerCase(Locale.ROOT);
                    keep = false;
                    if (v.startsWith("os.unix=slink") || v.startsWith("os.unix=symlink")) {
                        symlink = true;
                        int colon = value.indexOf(':');
                        if (colon >= 0 && colon < value.length() - 1) {
                            linkTarget = value.substring(colon + 1);
                        }
                    } else if (v.equals("cdir") || v.equals("pdir")) {
                        currentOrParent = true;
                        keep = true;
                    } else if (v.equals("file") || v.equals("dir")) {
                        keep = true;
                    } else {
                        otherType = true; // OS.unix=chr-13/29, OS.unix=blk..., unknown types
                    }
                    break;
                }
                case "size":
                case "sizd":
                    keep = DIGITS.matcher(value).matches() && value.length() <= 18;
                    break;
                case "modify": {
                    Matcher m = MLSX_TIME.matcher(value);
                    keep = m.matches();
                    if (keep && m.group(2) != null) {
                        // RFC 3659 allows any number of fraction digits; Commons Net reads exactly three.
                        value = m.group(1) + "." + (m.group(2) + "00").substring(0, 3);
                    }
                    break;
                }
                case "unix.mode":
                    keep = OCTAL_MODE.matcher(value).matches();
                    hasMode |= keep;
                    break;
                default:
                    keep = false; // perm, unique, lang, media-type, UNIX.owner...: not needed
            }
            if (keep) {
                clean.append(factName).append('=').append(value).append(';');
            }
            if (pos >= line.length()) {
                return null; // facts but no name
            }
            if (line.charAt(pos) == ' ') {
                break;
            }
        }
        String name = line.substring(pos + 1);
        if (name.isEmpty()) {
            return null;
        }
        if (!mlst && (currentOrParent || name.equals(".") || name.equals(".."))) {
            return null;
        }
        if (clean.length() == 0) {
            clean.append("x.ftpdrive=;"); // Commons Net wants at least one fact; it skips empty ones
        }
        FTPFile file;
        try {
            file = MLSxEntryParser.parseEntry(clean + " " + name);
        } catch (RuntimeException e) {
            log.debug("MLSx line not understood: {}", line, e);
            return null;
        }
        if (file == null) {
            log.debug("MLSx line not understood: {}", line);
            return null;
        }
        EntryType type;
        if (symlink) {
            type = EntryType.SYMLINK;
        } else if (otherType) {
            type = EntryType.OTHER;
        } else {
            type = type(file);
        }
        Calendar timestamp = file.getTimestamp();
        return new RemoteEntry(name, type, file.getSize(), timestamp == null ? null : timestamp.toInstant(),
                hasMode ? permissionBits(file) : null, linkTarget);
    }

    /** Drops a trailing CR (callers that split on LF only leave it) but no other whitespace. */
    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return end == line.length() ? line : line.substring(0, end);
    }

    @Override
    public String toString() {
        return "ListingParser[" + systemType + "]";
    }
}
