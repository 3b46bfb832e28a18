package org.ftpdrive.cli;

import picocli.CommandLine;

/** Entry point: logging first, then picocli; every outcome is an exit code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        LogSetup.configure(args);
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        ErrorReporter reporter = new ErrorReporter();
        return new CommandLine(new FtpDriveCommand())
                .setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
