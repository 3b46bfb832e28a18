package org.ftpdrive.ftp;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the server announced in its FEAT reply (RFC 2389), parsed once per session.
 *
 * @param names every feature keyword, upper case (e.g. "MLST", "EPSV", "REST")
 * @param restStream REST STREAM is offered, so reads can start at an offset
 */
public record FtpFeatures(Set<String> names, boolean restStream) {
    public static final FtpFeatures NONE = new FtpFeatures(Set.of(), false);

    /** Parses the lines of a 211 FEAT reply; the first and last lines are the reply frame. */
    public static FtpFeatures parse(String[] replyLines) {
        Set<String> names = new TreeSet<>();
        boolean restStream = false;
        for (int i = 1; i < replyLines.length - 1; i++) {
            String line = replyLines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String upper = line.toUpperCase(Locale.ROOT);
            int space = upper.indexOf(' ');
            names.add(space < 0 ? upper : upper.substring(0, space));
            if (upper.startsWith("REST ") && upper.contains("STREAM")) {
                restStream = true;
            }
        }
        return new FtpFeatures(Set.copyOf(names), restStream);
    }

    public boolean has(String name) {
        return names.contains(name.toUpperCase(Locale.ROOT));
    }

    /** MLST and MLSD come together (RFC 3659 section 7); a server announces them as MLST. */
    public boolean mlsd() {
        return has("MLST") || has("MLSD");
    }

    public boolean mlst() {
        return has("MLST");
    }

    public boolean epsv() {
        return has("EPSV");
    }

    public boolean utf8() {
        return has("UTF8");
    }

    public boolean mfmt() {
        return has("MFMT");
    }

    public boolean mdtm() {
        return has("MDTM");
    }

    public boolean size() {
        return has("SIZE");
    }

    @Override
    public String toString() {
        return String.join(" ", names);
    }
}
