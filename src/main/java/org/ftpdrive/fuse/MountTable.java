package org.ftpdrive.fuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The kernel's table of mounts ({@code /proc/self/mountinfo}), read fresh on every call. */
public final class MountTable {
    public static final String FS_TYPE = "fuse.ftpdrive";
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One mount: where, of what type, from what source. */
    public record Mount(Path mountPoint, String type, String source) {
        public boolean isFtpdrive() {
            return FS_TYPE.equals(type);
        }
    }

    private MountTable() {}

    public static Optional<Mount> find(Path mountPoint) throws IOException {
        Path target = mountPoint.toAbsolutePath().normalize();
        // Read byte for byte (ISO-8859-1): names are bytes, decoded after unescaping.
        String table = Files.readString(MOUNTINFO, StandardCharsets.ISO_8859_1);
        Mount found = null;
        for (String line : table.split("\n")) {
            Mount m = parse(line);
            if (m != null && m.mountPoint().equals(target)) {
                found = m; // a later line is mounted on top of an earlier one
            }
        }
        return Optional.ofNullable(found);
    }

    /** One line: "id parent major:minor root mountpoint options [optional...] - type source super". */
    static Mount parse(String line) {
        String[] f = line.split(" ");
        int dash = List.of(f).indexOf("-");
        if (f.length < 5 || dash < 5 || dash + 2 >= f.length) {
            return null;
        }
        return new Mount(Path.of(unescape(f[4])), unescape(f[dash + 1]), unescape(f[dash + 2]));
    }

    /** Undoes the kernel's octal escapes (\040 for space, \012 for newline, \134 for backslash). */
    static String unescape(String latin1) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(latin1.length());
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c == '\\' && isOctal(latin1, i + 1) && isOctal(latin1, i + 2)
                    && isOctal(latin1, i + 3)) {
                bytes.write(Integer.parseInt(latin1.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
