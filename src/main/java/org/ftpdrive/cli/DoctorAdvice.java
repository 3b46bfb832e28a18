package org.ftpdrive.cli;

import java.util.ArrayList;
import java.util.List;
import org.ftpdrive.ftp.DataCommand;
import org.ftpdrive.ftp.Diagnosis;
import org.ftpdrive.ftp.Diagnosis.Outcome;
import org.ftpdrive.ftp.Diagnosis.Probe;

/**
 * What {@code ftpdrive doctor} tells the user to do, derived from a {@link Diagnosis} alone.
 *
 * @param mode the --mode to use ("passive" or "active"), or null when nothing works
 * @param options the options to mount with ("--mode passive --no-epsv"), or null when nothing works
 * @param lines the advice in plain words, the most important first
 * @param exitCode 0 when a data mode works, else the ExitCodes value of what failed
 */
record DoctorAdvice(String mode, String options, List<String> lines, int exitCode) {
    static final String PASSIVE_UNREACHABLE = "the server's passive ports are not reachable from here: ask its "
            + "administrator to open its passive port range in the firewall, or use --mode active with "
            + "--active-port-range and open those ports on your side";
    static final String ACTIVE_UNREACHABLE = "active mode cannot work from here: the server cannot connect back "
            + "to you (NAT or firewall); use --mode passive";
    /** When nothing works, each side's fix is named without recommending the other (broken) mode. */
    static final String PASSIVE_UNREACHABLE_ALONE = "the server's passive ports are not reachable from here: ask "
            + "its administrator to open its passive port range in the firewall (and, behind NAT, to set the "
            + "public address its PASV replies name)";
    static final String ACTIVE_UNREACHABLE_ALONE = "the server cannot connect back to you for active mode (NAT or "
            + "firewall): open a port range in your firewall (forwarded by your router behind NAT) and pass it "
            + "as --active-port-range, with --active-address set to your public address";

    DoctorAdvice {
        lines = List.copyOf(lines);
    }

    static DoctorAdvice of(Diagnosis d) {
        String authority = d.host() + ":" + d.port();
        if (!d.resolution().ok()) {
            return failure(ExitCodes.CONNECTION, "the host name '" + d.host() + "' cannot be resolved: check it, "
                    + "and this machine's DNS settings");
        }
        if (!d.connection().ok()) {
            return failure(ExitCodes.CONNECTION, "nothing accepts connections on " + authority + ": check the "
                    + "host name and port, that the FTP server runs, and that no firewall blocks port " + d.port());
        }
        if (!d.greeting().ok()) {
            return failure(ExitCodes.CONNECTION, "something listens on " + authority + " but did not greet as an "
                    + "FTP server should: check the port (" + d.greeting().detail() + ")");
        }
        if (!d.login().ok()) {
            return d.loginRefused()
                    ? failure(ExitCodes.AUTHENTICATION, "the server refused the login: check the user name ('"
                            + d.user() + "') and the password")
                    : failure(ExitCodes.CONNECTION, "the login did not complete: " + d.login().detail());
        }
        Probe epsv = d.probe(DataCommand.EPSV);
        // ftpdrive's passive mode falls back to PASV only when EPSV is refused; an EPSV that is
        // accepted but whose data connection fails needs --no-epsv.
        boolean needsNoEpsv = d.works(DataCommand.PASV) && epsv != null && (epsv.outcome() == Outcome.TIMED_OUT
                || epsv.outcome() == Outcome.CONNECTION_REFUSED || epsv.outcome() == Outcome.SERVER_CANNOT_CONNECT);
        boolean passive = d.passiveWorks();
        boolean active = activeUsable(d);
        List<String> lines = new ArrayList<>();
        String mode;
        String options;
        if (passive) {
            mode = "passive";
            options = "--mode passive" + (needsNoEpsv ? " --no-epsv" : "");
            lines.add(needsNoEpsv
                    ? "use --mode passive --no-epsv: EPSV data connections fail here but PASV works"
                    : "use --mode passive (the default): passive data connections work from here");
            if (!d.works(DataCommand.EPSV) && d.works(DataCommand.PASV) && epsv != null
                    && epsv.outcome() == Outcome.COMMAND_REFUSED) {
                lines.add("the server refuses EPSV; ftpdrive falls back to PASV by itself (--no-epsv skips the "
                        + "attempt)");
            }
            if (!active) {
                lines.add(activeProblem(d, true));
            }
        } else if (active) {
            mode = "active";
            options = "--mode active";
            lines.add("use --mode active: only active data connections work from here");
            lines.add(passiveProblem(d, true));
        } else {
            mode = null;
            options = null;
            lines.add("no data connection works from here, neither passive nor active, so listings and file transfers cannot work");
            lines.add(passiveProblem(d, false));
            lines.add(activeProblem(d, false));
        }
        Probe pasv = d.probe(DataCommand.PASV);
        if (pasv != null && pasv.advertisedAddress() != null) {
            if (!d.trustPasvAddress()) {
                lines.add("the server's PASV replies name the address " + pasv.advertisedAddress() + ", which is "
                        + "not the server's (it is probably behind NAT); ftpdrive connects to the server's address "
                        + "instead" + (pasv.ok() ? ", which works" : "")
                        + "; --trust-pasv-address would break this");
            } else if (!pasv.ok()) {
                lines.add("the server's PASV replies name the address " + pasv.advertisedAddress() + ", which is "
                        + "not the server's and cannot be reached: drop --trust-pasv-address");
            }
        }
        int exit = mode == null ? ExitCodes.CONNECTION : ExitCodes.OK;
        if (!d.directoryCheck().ok() && d.directoryCheck().status() == Diagnosis.Status.FAILED) {
            String line = "the URL's directory cannot be used (" + d.directoryCheck().detail() + "); the data "
                    + "connections were tested with the login directory " + d.directory();
            if (exit == ExitCodes.OK) {
                // Then it is what stands in the way, and the one error line says it.
                exit = ExitCodes.REMOTE_PATH;
                lines.add(0, line);
            } else {
                lines.add(line);
            }
        }
        return new DoctorAdvice(mode, options, lines, exit);
    }

    private static String passiveProblem(Diagnosis d, boolean activeWorks) {
        if (allRefused(d, DataCommand.EPSV, DataCommand.PASV)) {
            return "the server refuses passive mode (EPSV and PASV)";
        }
        return activeWorks ? PASSIVE_UNREACHABLE : PASSIVE_UNREACHABLE_ALONE;
    }

    private static String activeProblem(Diagnosis d, boolean passiveWorks) {
        if (allRefused(d, DataCommand.EPRT, DataCommand.PORT)) {
            return "the server refuses active mode (EPRT and PORT)" + (passiveWorks ? "; use --mode passive" : "");
        }
        return passiveWorks ? ACTIVE_UNREACHABLE : ACTIVE_UNREACHABLE_ALONE;
    }

    /** Whether ftpdrive's active mode would work: it sends PORT over IPv4, EPRT only over IPv6. */
    private static boolean activeUsable(Diagnosis d) {
        Probe port = d.probe(DataCommand.PORT);
        boolean ipv6 = port != null && port.outcome() == Outcome.NOT_APPLICABLE;
        return ipv6 ? d.works(DataCommand.EPRT) : d.works(DataCommand.PORT);
    }

    /** Whether the server refused every applicable one of these commands outright. */
    private static boolean allRefused(Diagnosis d, DataCommand... commands) {
        boolean any = false;
        for (DataCommand c : commands) {
            Probe p = d.probe(c);
            if (p == null || p.outcome() == Outcome.NOT_APPLICABLE) {
                continue;
            }
            if (p.outcome() != Outcome.COMMAND_REFUSED) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static DoctorAdvice failure(int exitCode, String line) {
        return new DoctorAdvice(null, null, List.of(line), exitCode);
    }
}
