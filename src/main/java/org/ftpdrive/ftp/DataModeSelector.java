package org.ftpdrive.ftp;

import org.ftpdrive.config.DataMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data mode of one mount. Fixed for passive and active; in auto mode it starts passive and
 * switches to the other mode whenever a data connection fails in the mode in use, so the rest of
 * the mount uses what worked. Each operation retries at most once, so a server where neither mode
 * works fails in bounded time instead of flipping forever.
 *
 * <p>Auto mode's decisions are logged at INFO (the mount shows them by default): each switch, and
 * the mode that then works, with the failure that led to it.
 */
public final class DataModeSelector {
    private static final Logger log = LoggerFactory.getLogger(DataModeSelector.class);

    private final DataMode configured;
    private volatile DataMode current;
    /** The mode whose working was last logged; null before the first data connection. */
    private volatile DataMode confirmed;
    /** Why the mode in use is not the one tried before it, or null when nothing has failed. */
    private volatile String why;

    public DataModeSelector(DataMode configured) {
        this.configured = configured;
        this.current = configured == DataMode.AUTO ? DataMode.PASSIVE : configured;
    }

    public DataMode configured() {
        return configured;
    }

    /** PASSIVE or ACTIVE: the mode the next data connection should use. */
    public DataMode current() {
        return current;
    }

    /** In auto mode, why the mode in use was chosen ("passive data connections failed: ..."), or null. */
    public String why() {
        return why;
    }

    /**
     * Reports that a data connection failed in {@code failed}; returns true when auto mode lets
     * the operation retry in the other mode ({@link #current()} then names it). A report about a
     * mode already abandoned (another operation switched first) changes nothing.
     */
    public synchronized boolean onFailure(DataMode failed, String reason) {
        if (configured != DataMode.AUTO) {
            return false;
        }
        if (failed == current) {
            current = other(failed);
            why = name(failed) + " data connections failed: " + reason;
            log.info("auto mode: {} mode failed ({}); switching to {} mode", name(failed), reason,
                    name(current));
        }
        return true;
    }

    /** Reports that a data connection worked in {@code mode}; logs it when auto mode settles on a mode. */
    public void onSuccess(DataMode mode) {
        if (configured == DataMode.AUTO && confirmed != mode) {
            synchronized (this) {
                // A connection opened just before another operation switched says nothing new.
                if (confirmed != mode && mode == current) {
                    confirmed = mode;
                    log.info("auto mode: using {} mode ({})", name(mode), why == null
                            ? name(mode) + " data connections work" : why);
                }
            }
        }
    }

    static DataMode other(DataMode mode) {
        return mode == DataMode.PASSIVE ? DataMode.ACTIVE : DataMode.PASSIVE;
    }

    private static String name(DataMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
