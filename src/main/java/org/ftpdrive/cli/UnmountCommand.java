package org.ftpdrive.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.ftpdrive.fuse.Unmounter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "unmount", aliases = "umount", mixinStandardHelpOptions = true,
        description = "Unmount an ftpdrive mount and wait until it is gone. Fails, saying so, while a program "
                + "still uses it.")
final class UnmountCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws Exception {
        Path mp = mountPoint.toAbsolutePath().normalize();
        Unmounter.unmount(mp, false, Duration.ofSeconds(15));
        spec.commandLine().getErr().println("ftpdrive: unmounted " + mp);
        spec.commandLine().getErr().flush();
        return ExitCodes.OK;
    }
}
