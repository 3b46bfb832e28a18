package org.ftpdrive.config;

import java.util.Locale;

/** How data connections are opened: by us (passive), by the server (active), or chosen by trying. */
public enum DataMode {
    PASSIVE,
    ACTIVE,
    AUTO;

    public static DataMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown data mode '" + text + "' (expected passive, active or auto)");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
