package org.ftpdrive.cli;

import picocli.CommandLine.Option;

/** Read by {@link LogSetup} before parsing; declared here so picocli accepts and documents them. */
final class LoggingOptions {
    @Option(names = {"-v", "--verbose"}, description = "Log what ftpdrive decides (data mode, retries).")
    boolean verbose;

    @Option(names = "--debug", description = "Log the FTP dialogue (passwords masked) and print stack traces.")
    boolean debug;
}
