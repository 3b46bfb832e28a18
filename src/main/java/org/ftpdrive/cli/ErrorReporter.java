package org.ftpdrive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.ftpdrive.ftp.DataConnectionException;
import org.ftpdrive.ftp.LoginFailedException;
import org.ftpdrive.ftp.ServerUnreachableException;
import org.ftpdrive.remote.InvalidRemoteNameException;
import org.ftpdrive.remote.TransientNetworkException;
import picocli.CommandLine;

/**
 * Turns whatever escapes a command into one line on stderr and an exit code. The stack trace is
 * printed only with --debug.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println("ftpdrive: " + FtpUrl.redactPasswords(message(e)));
        if (LogSetup.debug()) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        // picocli quotes the offending argument, which may be a URL with a password in it.
        err.println("ftpdrive: " + FtpUrl.redactPasswords(e.getMessage()));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The exit code for what escaped a command. Only {@link UsageException} is a usage error: option
     * values that fail to parse are turned into one where they are parsed ({@code
     * ConnectionOptions}); any other IllegalArgumentException is a bug, not the user's mistake.
     */
    static int exitCode(Throwable e) {
        if (e instanceof UsageException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof LoginFailedException) {
            return ExitCodes.AUTHENTICATION;
        }
        if (e instanceof ServerUnreachableException || e instanceof DataConnectionException
                || e instanceof NoDataConnectionException
                || e instanceof TransientNetworkException) {
            return ExitCodes.CONNECTION;
        }
        if (e instanceof FileSystemException) {
            return ExitCodes.REMOTE_PATH;
        }
        return ExitCodes.FAILURE;
    }

    static String message(Throwable e) {
        if (e instanceof InvalidRemoteNameException bad) {
            return "invalid name '" + bad.getInput() + "': " + bad.getReason();
        }
        if (e instanceof NoSuchFileException nsf) {
            return "no such file or directory on the server: " + nsf.getFile();
        }
        if (e instanceof NotDirectoryException nd) {
            return "not a directory on the server: " + nd.getFile();
        }
        if (e instanceof AccessDeniedException ad && !(e instanceof LoginFailedException)) {
            return "access denied on the server: " + ad.getFile()
                    + (ad.getReason() == null ? "" : " (" + ad.getReason() + ")");
        }
        if (e instanceof FileSystemException fse && !(e instanceof LoginFailedException)) {
            String file = fse.getFile() == null || fse.getFile().isEmpty() ? "" : fse.getFile() + ": ";
            return file + (fse.getReason() == null ? fse.getClass().getSimpleName() : fse.getReason());
        }
        String text = e.getMessage();
        if (text == null || text.isBlank()) {
            text = e.getClass().getSimpleName();
        }
        if (e instanceof IOException && !(e instanceof TransientNetworkException) && e.getCause() == null) {
            return text;
        }
        return text.lines().findFirst().orElse(text);
    }
}
