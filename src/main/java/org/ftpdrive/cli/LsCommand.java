package org.ftpdrive.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.ftp.FtpRemoteStore;
import org.ftpdrive.remote.EntryType;
import org.ftpdrive.remote.RemoteEntry;
import org.ftpdrive.remote.RemotePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List a remote directory (the whole chain: connect, log in, data connection, listing).")
final class LsCommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "ftp://[user@]host[:port]/path "
            + "(the path is relative to the login directory)")
    String url;

    @Option(names = "-l", description = "Long listing: type and permissions, size, date (UTC), name.")
    boolean longFormat;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ConnectionSettings settings = connection.toSettings(FtpUrl.parse(url), CredentialSource.system(),
                spec.commandLine().getErr());
        try (FtpRemoteStore store = FtpRemoteStore.connect(settings)) {
            List<RemoteEntry> entries;
            try {
                entries = new ArrayList<>(store.list(RemotePath.ROOT));
            } catch (NoSuchFileException e) {
                // The URL may name a file: list it alone, as ls does.
                RemoteEntry entry = store.stat(RemotePath.ROOT);
                if (entry.isDirectory()) {
                    throw e;
                }
                entries = List.of(entry.withName(settings.endpoint().path().name()));
            }
            entries.sort(Comparator.comparing(RemoteEntry::name));
            for (RemoteEntry e : entries) {
                out.println(longFormat ? longLine(e) : e.name());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String longLine(RemoteEntry e) {
        String when = e.modified() == null ? "                " : DATE.format(e.modified());
        String size = e.size() < 0 ? "?" : Long.toString(e.size());
        String name = e.linkTarget() == null ? e.name() : e.name() + " -> " + e.linkTarget();
        return String.format("%s %12s %s %s", typeAndMode(e), size, when, name);
    }

    static String typeAndMode(RemoteEntry e) {
        char type = switch (e.type()) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case FILE -> '-';
            case OTHER -> '?';
        };
        if (e.permissions() == null) {
            return type + (e.type() == EntryType.DIRECTORY ? "rwxr-xr-x" : "rw-r--r--").replaceAll(".", "?");
        }
        StringBuilder sb = new StringBuilder().append(type);
        String letters = "rwx";
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (e.permissions() >> shift) & 7;
            for (int i = 0; i < 3; i++) {
                sb.append((bits & (4 >> i)) != 0 ? letters.charAt(i) : '-');
            }
        }
        return sb.toString();
    }
}
