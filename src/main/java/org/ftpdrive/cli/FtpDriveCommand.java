package org.ftpdrive.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "ftpdrive",
        mixinStandardHelpOptions = true,
        versionProvider = FtpDriveCommand.Version.class,
        description = "Use an FTP server like a local drive.",
        subcommands = {MountCommand.class, UnmountCommand.class, LsCommand.class, DoctorCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
final class FtpDriveCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (mount, unmount, ls, doctor, serve)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FtpDriveCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ftpdrive " + (v == null ? "(development build)" : v)};
        }
    }
}
