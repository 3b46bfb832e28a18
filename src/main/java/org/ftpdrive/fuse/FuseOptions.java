package org.ftpdrive.fuse;

import java.util.ArrayList;
import java.util.List;
import org.ftpdrive.config.MountSettings;

/** The options handed to libfuse, built in one place, each with its reason. */
final class FuseOptions {
    private static final int MAX_IO = 128 * 1024;

    private FuseOptions() {}

    static List<String> linux(MountSettings m) {
        List<String> o = new ArrayList<>();
        // Shown in mount(8) and df; also how `ftpdrive unmount` recognises its own mounts.
        o.add("subtype=ftpdrive");
        o.add("fsname=" + escape(m.volumeName()));
        // Without big_writes libfuse 2 splits writes into 4 KiB requests (about 15× slower);
        // 128 KiB is the most libfuse 2 passes per request.
        o.add("big_writes");
        o.add("max_write=" + MAX_IO);
        o.add("max_read=" + MAX_IO);
        // The kernel may answer lookups and stat from its own cache for this long; never longer
        // than ftpdrive itself trusts a listing, or the kernel would hide what the drive knows.
        String t = seconds(Math.min(m.attrTimeout().toMillis(), m.dirCacheTtl().toMillis()));
        o.add("attr_timeout=" + t);
        o.add("entry_timeout=" + t);
        o.add("negative_timeout=" + t);
        // Permission bits (as the server reports them, minus the umask) are enforced by the kernel.
        o.add("default_permissions");
        if (m.allowOther()) {
            o.add("allow_other");
        }
        if (m.readOnly()) {
            o.add("ro");
        }
        o.addAll(m.fuseOptions());
        List<String> args = new ArrayList<>();
        for (String opt : o) {
            args.add("-o");
            args.add(opt);
        }
        return args;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    /** libfuse splits options at commas; a backslash keeps one in a value. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,");
    }
}
