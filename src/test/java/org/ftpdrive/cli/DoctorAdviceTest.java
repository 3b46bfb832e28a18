package org.ftpdrive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ftpdrive.ftp.DataCommand;
import org.ftpdrive.ftp.Diagnosis;
import org.ftpdrive.ftp.Diagnosis.Outcome;
import org.ftpdrive.ftp.Diagnosis.Probe;
import org.ftpdrive.ftp.Diagnosis.Step;
import org.ftpdrive.ftp.FtpFeatures;
import org.junit.jupiter.api.Test;

class DoctorAdviceTest {
    private static final Step OK = Step.ok(1, "");

    private static Diagnosis withProbes(boolean trust, Probe... probes) {
        return new Diagnosis("h", 21, "u", "/", OK, OK, OK, OK, false, new FtpFeatures(Set.of("EPSV"), true), OK,
                trust, List.of(probes));
    }

    private static Probe ok(DataCommand c) {
        return new Probe(c, Outcome.OK, 1, 2, "", null);
    }

    private static Probe fail(DataCommand c, Outcome o) {
        return new Probe(c, o, 1, 0, c + " failed", null);
    }

    private static String text(DoctorAdvice a) {
        return String.join("\n", a.lines());
    }

    @Test
    void everythingWorksRecommendsPassive() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, ok(DataCommand.EPSV), ok(DataCommand.PASV),
                ok(DataCommand.EPRT), ok(DataCommand.PORT)));
        assertEquals("passive", a.mode());
        assertEquals(ExitCodes.OK, a.exitCode());
        assertEquals(1, a.lines().size(), text(a));
    }

    @Test
    void onlyActiveWorksWhenPassiveIsRefused() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.COMMAND_REFUSED),
                fail(DataCommand.PASV, Outcome.COMMAND_REFUSED), ok(DataCommand.EPRT), ok(DataCommand.PORT)));
        assertEquals("active", a.mode());
        assertEquals(ExitCodes.OK, a.exitCode());
        assertTrue(text(a).contains("refuses passive mode"), text(a));
    }

    @Test
    void unreachablePassivePortsAreExplained() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.TIMED_OUT),
                fail(DataCommand.PASV, Outcome.CONNECTION_REFUSED), ok(DataCommand.EPRT), ok(DataCommand.PORT)));
        assertEquals("active", a.mode());
        assertTrue(a.lines().contains(DoctorAdvice.PASSIVE_UNREACHABLE), text(a));
    }

    @Test
    void activeThatCannotConnectBackIsExplained() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, ok(DataCommand.EPSV), ok(DataCommand.PASV),
                fail(DataCommand.EPRT, Outcome.SERVER_CANNOT_CONNECT), fail(DataCommand.PORT, Outcome.TIMED_OUT)));
        assertEquals("passive", a.mode());
        assertTrue(a.lines().contains(DoctorAdvice.ACTIVE_UNREACHABLE), text(a));
    }

    @Test
    void refusedActiveIsNotBlamedOnNat() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, ok(DataCommand.EPSV), ok(DataCommand.PASV),
                fail(DataCommand.EPRT, Outcome.COMMAND_REFUSED), fail(DataCommand.PORT, Outcome.COMMAND_REFUSED)));
        assertEquals("passive", a.mode());
        assertTrue(text(a).contains("refuses active mode"), text(a));
        assertFalse(text(a).contains("NAT"), text(a));
    }

    @Test
    void nothingWorksIsAConnectionErrorWithAdviceForBothSides() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.TIMED_OUT),
                fail(DataCommand.PASV, Outcome.TIMED_OUT), fail(DataCommand.EPRT, Outcome.TIMED_OUT),
                fail(DataCommand.PORT, Outcome.SERVER_CANNOT_CONNECT)));
        assertNull(a.mode());
        assertEquals(ExitCodes.CONNECTION, a.exitCode());
        assertTrue(a.lines().contains(DoctorAdvice.PASSIVE_UNREACHABLE_ALONE), text(a));
        assertTrue(a.lines().contains(DoctorAdvice.ACTIVE_UNREACHABLE_ALONE), text(a));
        assertFalse(text(a).contains("use --mode"), "no mode is recommended when none works:\n" + text(a));
    }

    @Test
    void nothingWorksBecauseBothAreRefusedRecommendsNoMode() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.COMMAND_REFUSED),
                fail(DataCommand.PASV, Outcome.COMMAND_REFUSED), fail(DataCommand.EPRT, Outcome.COMMAND_REFUSED),
                fail(DataCommand.PORT, Outcome.COMMAND_REFUSED)));
        assertNull(a.mode());
        assertTrue(text(a).contains("refuses passive mode") && text(a).contains("refuses active mode"), text(a));
        assertFalse(text(a).contains("use --mode"), text(a));
    }

    @Test
    void refusedEpsvFallsBackByItselfButAFailingEpsvNeedsNoEpsv() {
        DoctorAdvice refused = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.COMMAND_REFUSED),
                ok(DataCommand.PASV), ok(DataCommand.EPRT), ok(DataCommand.PORT)));
        assertEquals("passive", refused.mode());
        assertTrue(text(refused).contains("falls back to PASV"), text(refused));
        DoctorAdvice timedOut = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.TIMED_OUT),
                ok(DataCommand.PASV), ok(DataCommand.EPRT), ok(DataCommand.PORT)));
        assertEquals("--mode passive --no-epsv", timedOut.options(), "plain passive mode would try EPSV and fail");
        assertEquals("--mode passive", refused.options());
    }

    @Test
    void activeCountsOnlyTheCommandFtpdriveSends() {
        // Over IPv4 ftpdrive's active mode sends PORT: an EPRT that works does not make it work.
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.TIMED_OUT),
                fail(DataCommand.PASV, Outcome.TIMED_OUT), ok(DataCommand.EPRT), fail(DataCommand.PORT,
                        Outcome.SERVER_CANNOT_CONNECT)));
        assertNull(a.mode());
        DoctorAdvice ipv6 = DoctorAdvice.of(withProbes(false, fail(DataCommand.EPSV, Outcome.TIMED_OUT),
                fail(DataCommand.PASV, Outcome.NOT_APPLICABLE), ok(DataCommand.EPRT),
                fail(DataCommand.PORT, Outcome.NOT_APPLICABLE)));
        assertEquals("--mode active", ipv6.options());
    }

    @Test
    void substitutedPasvAddressIsReportedWithAWarningAboutTrustingIt() {
        Probe pasv = new Probe(DataCommand.PASV, Outcome.OK, 1, 2, "", "10.0.0.5");
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, ok(DataCommand.EPSV), pasv, ok(DataCommand.EPRT),
                ok(DataCommand.PORT)));
        assertEquals("passive", a.mode());
        assertTrue(text(a).contains("10.0.0.5") && text(a).contains("--trust-pasv-address would break"), text(a));

        Probe trusted = new Probe(DataCommand.PASV, Outcome.TIMED_OUT, 1, 0, "timed out", "10.0.0.5");
        DoctorAdvice t = DoctorAdvice.of(withProbes(true, ok(DataCommand.EPSV), trusted, ok(DataCommand.EPRT),
                ok(DataCommand.PORT)));
        assertTrue(text(t).contains("drop --trust-pasv-address"), text(t));
    }

    @Test
    void ipv6NotApplicableProbesDoNotCount() {
        DoctorAdvice a = DoctorAdvice.of(withProbes(false, ok(DataCommand.EPSV),
                fail(DataCommand.PASV, Outcome.NOT_APPLICABLE), fail(DataCommand.EPRT, Outcome.COMMAND_REFUSED),
                fail(DataCommand.PORT, Outcome.NOT_APPLICABLE)));
        assertEquals("passive", a.mode());
        assertTrue(text(a).contains("refuses active mode"), text(a));
    }

    @Test
    void controlConnectionFailuresComeFirst() {
        Step failed = Step.failed(5, "x");
        List<Probe> none = new ArrayList<>();
        assertEquals(ExitCodes.CONNECTION, DoctorAdvice.of(new Diagnosis("h", 21, "u", null, failed, Step.SKIPPED,
                Step.SKIPPED, Step.SKIPPED, false, null, Step.SKIPPED, false, none)).exitCode());
        assertEquals(ExitCodes.CONNECTION, DoctorAdvice.of(new Diagnosis("h", 21, "u", null, OK, failed,
                Step.SKIPPED, Step.SKIPPED, false, null, Step.SKIPPED, false, none)).exitCode());
        DoctorAdvice login = DoctorAdvice.of(new Diagnosis("h", 21, "u", null, OK, OK, OK, failed, true, null,
                Step.SKIPPED, false, none));
        assertEquals(ExitCodes.AUTHENTICATION, login.exitCode());
        assertNull(login.mode());
        assertEquals(ExitCodes.CONNECTION, DoctorAdvice.of(new Diagnosis("h", 21, "u", null, OK, OK, OK, failed,
                false, null, Step.SKIPPED, false, none)).exitCode());
    }

    @Test
    void aMissingDirectoryIsARemotePathError() {
        Diagnosis d = new Diagnosis("h", 21, "u", "/", OK, OK, OK, OK, false, FtpFeatures.NONE,
                Step.failed(1, "no such directory"), false, List.of(ok(DataCommand.EPSV), ok(DataCommand.PASV),
                        ok(DataCommand.EPRT), ok(DataCommand.PORT)));
        DoctorAdvice a = DoctorAdvice.of(d);
        assertEquals(ExitCodes.REMOTE_PATH, a.exitCode());
        assertEquals("passive", a.mode());
        assertTrue(a.lines().get(0).startsWith("the URL's directory cannot be used"), "it leads:\n" + text(a));
    }
}
