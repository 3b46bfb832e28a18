package org.ftpdrive.ftp;

import java.util.List;
import java.util.Objects;

/**
 * What {@link DataModeProbe} found out about one server, step by step: facts only, no advice.
 *
 * @param host the host name as given
 * @param port the control port
 * @param user the user name (never the password)
 * @param directory the server directory whose listing the data probes transfer, or null when
 *     the probe did not get that far
 * @param resolution name resolution: the addresses found
 * @param connection the TCP connection to the control port
 * @param greeting the server's greeting (its first line)
 * @param login USER/PASS
 * @param loginRefused the server refused the user name or password (not a connection problem)
 * @param features what FEAT announced, or null when not reached
 * @param directoryCheck CWD into the URL's directory
 * @param trustPasvAddress the probes connected to the address in PASV replies as given
 *     (--trust-pasv-address) instead of the server's own
 * @param probes one per data command, in the order EPSV, PASV, EPRT, PORT; empty when the
 *     control connection or login failed
 */
public record Diagnosis(
        String host,
        int port,
        String user,
        String directory,
        Step resolution,
        Step connection,
        Step greeting,
        Step login,
        boolean loginRefused,
        FtpFeatures features,
        Step directoryCheck,
        boolean trustPasvAddress,
        List<Probe> probes) {

    public Diagnosis {
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(directoryCheck, "directoryCheck");
        probes = List.copyOf(probes);
    }

    public enum Status { OK, FAILED, SKIPPED }

    /** One step of the control connection: its outcome, how long it took, and what it showed. */
    public record Step(Status status, long millis, String detail) {
        public static final Step SKIPPED = new Step(Status.SKIPPED, 0, "");

        public static Step ok(long millis, String detail) {
            return new Step(Status.OK, millis, detail);
        }

        public static Step failed(long millis, String detail) {
            return new Step(Status.FAILED, millis, detail);
        }

        public boolean ok() {
            return status == Status.OK;
        }
    }

    /** How a data connection probe ended. */
    public enum Outcome {
        OK,
        /** The server answered the PASV/EPSV/PORT/EPRT command itself with a refusal. */
        COMMAND_REFUSED,
        /** Connecting to the server's data port was refused (passive). */
        CONNECTION_REFUSED,
        /** No data connection within the data connect timeout (passive: to the server; active: back to us). */
        TIMED_OUT,
        /** The server replied that it could not open the data connection (425). */
        SERVER_CANNOT_CONNECT,
        /** PASV and PORT cannot carry an IPv6 address. */
        NOT_APPLICABLE,
        /** Anything else (a session could not be opened, the transfer broke off). */
        FAILED
    }

    /**
     * One listing transfer on a fresh session with one data command.
     *
     * @param millis how long the listing took (data connection and transfer), or until it failed
     * @param entries how many entries the listing had (when OK)
     * @param detail the failure in words, empty when OK
     * @param advertisedAddress the address a PASV reply named when it was not the server's, else null
     */
    public record Probe(DataCommand command, Outcome outcome, long millis, int entries, String detail,
            String advertisedAddress) {
        public boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    public boolean works(DataCommand command) {
        return probes.stream().anyMatch(p -> p.command() == command && p.ok());
    }

    public Probe probe(DataCommand command) {
        return probes.stream().filter(p -> p.command() == command).findFirst().orElse(null);
    }

    public boolean passiveWorks() {
        return works(DataCommand.EPSV) || works(DataCommand.PASV);
    }

    public boolean activeWorks() {
        return works(DataCommand.EPRT) || works(DataCommand.PORT);
    }

    /** Whether the control connection and login worked, so the data probes ran. */
    public boolean reachedDataProbes() {
        return !probes.isEmpty();
    }
}
