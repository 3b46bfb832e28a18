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
 * @param lines the advice in plain words, the most important first
 * @param exitCode 0 when a data mode works, else the ExitCodes value of what failed
 */
record DoctorAdvice(String mode, List<String> lines, int exitCode) {
    static final String PASSIVE_UNREACHABLE = "the server's passive ports are not reachable from here: ask its "
            + "administrator to open its passive port range in the firewall, or use --mode active with "
            + "--active-port-range and open those ports on your side";
    static final String ACTIVE_UNREACHABLE = "active mode cannot work from here: the server cannot connect back "
            + "to you (NAT or firewall); use --mode passive";

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
        boolean passive = d.passiveWorks();
        boolean active = d.activeWorks();
        List<String> lines = new ArrayList<>();
        String mode;
        if (passive) {
            mode = "passive";
            lines.add("use --mode passive (the default): passive data connections work from here");
            Probe epsv = d.probe(DataCommand.EPSV);
            if (!d.works(DataCommand.EPSV) && d.works(DataCommand.PASV) && epsv != null) {
                lines.add(epsv.outcome() == Outcome.COMMAND_REFUSED
                        ? "the server refuses EPSV; ftpdrive falls back to PASV by itself (--no-epsv skips the "
                                + "attempt)"
                        : "EPSV data connections fail here but PASV works: add --no-epsv");
            }
            if (!active) {
                lines.add(activeProblem(d));
            }
        } else if (active) {
            mode = "active";
            lines.add("use --mode active: only active data connections work from here");
            lines.add(passiveProblem(d));
        } else {
            mode = null;
            lines.add("no data connection works from here, neither passive nor active, so listings and file transfers cannot work");
            lines.add(passiveProblem(d));
            lines.add(activeProblem(d));
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
            lines.add("the URL's directory cannot be used (" + d.directoryCheck().detail() + "); the data "
                    + "connections were tested with the login directory " + d.directory());
            if (exit == ExitCodes.OK) {
                exit = ExitCodes.REMOTE_PATH;
            }
        }
        return new DoctorAdvice(mode, lines, exit);
    }

    private static String passiveProblem(Diagnosis d) {
        if (allRefused(d, DataCommand.EPSV, DataCommand.PASV)) {
            return "the server refuses passive mode (EPSV and PASV)";
        }
        return PASSIVE_UNREACHABLE;
    }

    private static String activeProblem(Diagnosis d) {
        if (allRefused(d, DataCommand.EPRT, DataCommand.PORT)) {
            return "the server refuses active mode (EPRT and PORT); use --mode passive";
        }
        return ACTIVE_UNREACHABLE;
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
        return new DoctorAdvice(null, List.of(line), exitCode);
    }
}
