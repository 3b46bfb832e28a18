package org.ftpdrive.ftp;

import org.ftpdrive.config.DataMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data mode of one mount. Fixed for passive and active; in auto mode it starts passive and
 * switches to the other mode whenever a data connection fails in the mode in use, so the rest of
 * the mount uses what worked. Each operation retries at most once, so a server where neither mode
 * works fails in bounded time instead of flipping forever.
 */
public final class DataModeSelector {
    private static final Logger log = LoggerFactory.getLogger(DataModeSelector.class);

    private final DataMode configured;
    private volatile DataMode current;
    private volatile boolean announced;

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

    /**
     * Reports that a data connection failed in {@code failed}; returns true when the operation should
     * be retried (in auto mode, with the mode {@link #current()} now names).
     */
    public synchronized boolean onFailure(DataMode failed, String reason) {
        if (configured != DataMode.AUTO) {
            return false;
        }
        if (failed == current) {
            current = failed == DataMode.PASSIVE ? DataMode.ACTIVE : DataMode.PASSIVE;
            announced = true;
            log.warn("auto mode: {} data connections fail ({}); switching to {} mode", failed, reason, current);
        }
        return true;
    }

    /** Called after a data connection worked; logs the mode auto mode settled on, once. */
    public void onSuccess(DataMode mode) {
        if (configured == DataMode.AUTO && !announced) {
            announced = true;
            log.info("auto mode: {} data connections work; using {} mode", mode, mode);
        }
    }
}
