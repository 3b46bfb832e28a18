package org.ftpdrive.config;

/** An inclusive range of local TCP ports for active-mode data connections. */
public record PortRange(int low, int high) {
    public PortRange {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException(
                    "port range " + low + "-" + high + " is not within 1-65535 with LOW <= HIGH");
        }
    }

    /** Parses "LOW-HIGH" (or a single port). */
    public static PortRange parse(String text) {
        String[] parts = text.trim().split("-", -1);
        try {
            if (parts.length == 1) {
                int port = Integer.parseInt(parts[0].trim());
                return new PortRange(port, port);
            }
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("invalid port range '" + text + "' (expected LOW-HIGH, e.g. 40000-40100)");
    }

    public int size() {
        return high - low + 1;
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
