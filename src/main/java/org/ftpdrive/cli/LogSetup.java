package org.ftpdrive.cli;

import org.ftpdrive.ftp.DataModeSelector;

/**
 * Configures slf4j-simple from the command line before the first logger exists: its settings are
 * system properties read once, at initialisation.
 */
final class LogSetup {
    private static boolean debug;

    private LogSetup() {}

    /** Looks for -v/--verbose and --debug anywhere in the arguments. */
    static void configure(String[] args) {
        String level = "warn";
        String command = null;
        for (String a : args) {
            if (command == null && !a.startsWith("-")) {
                command = a;
            }
            if (a.equals("--debug")) {
                level = "debug";
                debug = true;
            } else if ((a.equals("-v") || a.equals("--verbose")) && !debug) {
                level = "info";
            } else if (a.equals("--")) {
                break;
            }
        }
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        // MINA and the FTP server are chatty at INFO; their details matter only when debugging.
        setDefault("org.slf4j.simpleLogger.log.org.apache.mina", debug ? "debug" : "warn");
        setDefault("org.slf4j.simpleLogger.log.org.apache.ftpserver", debug ? "debug" : "warn");
        if ("mount".equals(command) && level.equals("warn")) {
            // A mount's log always says which data mode auto mode uses and why.
            setDefault("org.slf4j.simpleLogger.log." + DataModeSelector.class.getName(), "info");
        }
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    }

    static boolean debug() {
        return debug;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
