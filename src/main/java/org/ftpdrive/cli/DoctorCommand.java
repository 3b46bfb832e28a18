package org.ftpdrive.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ftpdrive.config.ConnectionSettings;
import org.ftpdrive.ftp.DataModeProbe;
import org.ftpdrive.ftp.Diagnosis;
import org.ftpdrive.ftp.Diagnosis.Probe;
import org.ftpdrive.ftp.Diagnosis.Step;
import org.ftpdrive.ftp.FtpFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check step by step what works from here (name, connection, login, and a listing with each "
                + "of EPSV, PASV, EPRT and PORT) and say which --mode to use. Exit 0 when a data mode works, "
                + "3 when none does (or the server cannot be reached), 4 when the login is refused, 5 when a "
                + "data mode works but the URL's directory cannot be used.")
final class DoctorCommand implements Callable<Integer> {
    /** FEAT keywords worth naming when a server lacks them. */
    private static final List<String> NOTABLE = List.of("MLST", "EPSV", "EPRT", "UTF8", "MFMT", "MDTM", "SIZE", "REST");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "ftp://[user@]host[:port]/path "
            + "(the path is relative to the login directory)")
    String url;

    @Option(names = "--json", description = "Print the findings as one JSON object.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FtpUrl parsed = FtpUrl.parse(url);
        ConnectionSettings settings = connection.toSettings(parsed, CredentialSource.system(),
                spec.commandLine().getErr());
        Diagnosis d = DataModeProbe.run(settings);
        DoctorAdvice advice = DoctorAdvice.of(d);
        String shown = shownUrl(settings);
        if (json) {
            out.println(Json.write(toJson(shown, d, advice)));
        } else {
            printReport(out, shown, d, advice);
        }
        out.flush();
        if (advice.exitCode() != ExitCodes.OK) {
            // The one-line error every command gives, for scripts and for a glance.
            PrintWriter err = spec.commandLine().getErr();
            err.println("ftpdrive: " + advice.lines().get(0));
            err.flush();
        }
        return advice.exitCode();
    }

    /** The URL being checked, as the user can pass it again: the user name, never the password. */
    static String shownUrl(ConnectionSettings settings) {
        return new FtpUrl(settings.endpoint(), settings.credentials().user(), null).toString();
    }

    private static void printReport(PrintWriter out, String shown, Diagnosis d, DoctorAdvice advice) {
        out.println("Checking " + shown);
        step(out, "name resolution", d.resolution());
        step(out, "TCP connection", d.connection());
        step(out, "greeting", d.greeting());
        step(out, "login", d.login());
        if (d.features() != null) {
            out.printf("  %-16s %-7s %s%n", "features", "", featuresLine(d.features()));
        }
        step(out, "directory", d.directoryCheck());
        if (d.reachedDataProbes()) {
            out.println("Data connections (a listing of " + d.directory() + ", each on a fresh session):");
            for (Probe p : d.probes()) {
                out.printf("  %-16s %-7s %s%n", p.command(), p.ok() ? "ok" : "failed",
                        probeLine(p, d.trustPasvAddress()));
            }
        }
        out.println(advice.options() == null ? "Recommendation:" : "Recommendation: " + advice.options());
        for (String line : advice.lines()) {
            out.println("  - " + line);
        }
    }

    private static void step(PrintWriter out, String name, Step s) {
        if (s.status() == Diagnosis.Status.SKIPPED) {
            return;
        }
        out.printf("  %-16s %-7s %s (%d ms)%n", name, s.ok() ? "ok" : "failed", s.detail(), s.millis());
    }

    static String featuresLine(FtpFeatures f) {
        StringBuilder sb = new StringBuilder(f.names().isEmpty() ? "(none announced)"
                : String.join(" ", new java.util.TreeSet<>(f.names())));
        List<String> missing = new ArrayList<>();
        for (String name : NOTABLE) {
            boolean has = name.equals("MLST") ? f.mlsd() : f.has(name);
            if (!has) {
                missing.add(name.equals("MLST") ? "MLSD" : name);
            }
        }
        if (!missing.isEmpty()) {
            sb.append("; not announced: ").append(String.join(" ", missing));
        }
        return sb.toString();
    }

    private static String probeLine(Probe p, boolean trustPasvAddress) {
        StringBuilder sb = new StringBuilder();
        if (p.ok()) {
            sb.append(p.entries()).append(p.entries() == 1 ? " entry" : " entries");
        } else {
            sb.append(p.detail());
        }
        if (p.advertisedAddress() != null) {
            sb.append("; replied with address ").append(p.advertisedAddress()).append(", which is not the server's; ")
                    .append(trustPasvAddress ? "connected to it as told (--trust-pasv-address)"
                            : "connected to the server's address instead");
        }
        if (p.outcome() != Diagnosis.Outcome.NOT_APPLICABLE) {
            sb.append(" (").append(p.millis()).append(" ms)");
        }
        return sb.toString();
    }

    private static Map<String, Object> toJson(String shown, Diagnosis d, DoctorAdvice advice) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("url", shown);
        root.put("host", d.host());
        root.put("port", d.port());
        root.put("user", d.user());
        Map<String, Object> steps = new LinkedHashMap<>();
        steps.put("resolution", step(d.resolution()));
        steps.put("connection", step(d.connection()));
        steps.put("greeting", step(d.greeting()));
        steps.put("login", step(d.login()));
        steps.put("directory", step(d.directoryCheck()));
        root.put("steps", steps);
        root.put("features", d.features() == null ? null : List.copyOf(new java.util.TreeSet<>(d.features().names())));
        root.put("directory", d.directory());
        List<Object> probes = new ArrayList<>();
        for (Probe p : d.probes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", p.command().name());
            m.put("mode", p.command().mode().name().toLowerCase(Locale.ROOT));
            m.put("outcome", p.outcome().name().toLowerCase(Locale.ROOT));
            m.put("millis", p.millis());
            m.put("entries", p.entries());
            m.put("detail", p.detail());
            m.put("advertisedAddress", p.advertisedAddress());
            m.put("advertisedAddressReplaced", p.advertisedAddress() != null && !d.trustPasvAddress());
            probes.add(m);
        }
        root.put("probes", probes);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("mode", advice.mode());
        rec.put("options", advice.options());
        rec.put("advice", advice.lines());
        root.put("recommendation", rec);
        root.put("exitCode", advice.exitCode());
        return root;
    }

    private static Map<String, Object> step(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", s.status().name().toLowerCase(Locale.ROOT));
        m.put("millis", s.millis());
        m.put("detail", s.detail());
        return m;
    }
}
