package org.backprop4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendStatus;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;
import org.backprop4j.crosscheck.Machine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backprop4j doctor}: what can run here and why not. */
@Command(name = "doctor", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Shows which backends can run here, and why not.",
            "Prints every backend on the class path (available or not, and why), the one that "
                + "auto or the configured name selects, and the Java, OS and CPU it runs on.",
            "Exit code 0, or 1 if the configured backend cannot be used."})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("backprop4j " + VersionProvider.version());
        out.println();
        out.println("backends (best first):");
        List<BackendStatus> survey = Backends.survey();
        if (survey.isEmpty()) {
            out.println("  none found: the class path has no org.backprop4j.backend.BackendProvider service");
        }
        int nameWidth = survey.stream().mapToInt(s -> s.name().length()).max().orElse(8);
        for (BackendStatus s : survey) {
            out.printf(Locale.ROOT, "  %-" + nameWidth + "s  priority %4d  %-11s  %s%n", s.name(), s.priority(),
                    s.availability().available() ? "available" : "unavailable", s.availability().detail());
            Throwable cause = s.availability().cause();
            String indent = " ".repeat(nameWidth + 31);
            if (cause != null) {
                out.println(indent + "cause: " + cause);
                Throwable root = rootCause(cause);
                if (root != cause) {
                    out.println(indent + "root cause: " + root);
                }
            }
        }
        out.println();

        String configured = Backends.configuredName();
        String source = System.getProperty(Backends.PROPERTY) != null && !System.getProperty(Backends.PROPERTY).isBlank()
                ? "-D" + Backends.PROPERTY
                : System.getenv(Backends.ENVIRONMENT) != null && !System.getenv(Backends.ENVIRONMENT).isBlank()
                        ? "$" + Backends.ENVIRONMENT : "default";
        int exit = 0;
        // The selection logs what this command prints anyway; keep the output to one copy.
        Logger selectionLog = Logger.getLogger(Backends.class.getName());
        Level level = selectionLog.getLevel();
        selectionLog.setLevel(Level.WARNING);
        try {
            Backend selected = Backends.named(configured);
            out.println("selected: " + configured + " (" + source + ") -> " + selected.name() + ": " + selected.details());
        } catch (BackendUnavailableException | IllegalArgumentException e) {
            out.println("selected: " + configured + " (" + source + ") -> error: " + e.getMessage());
            exit = Main.EXIT_ERROR;
        } finally {
            selectionLog.setLevel(level);
        }
        for (String property : List.of("backprop4j.threads", "backprop4j.blas")) {
            if (System.getProperty(property) != null) {
                out.println("-D" + property + "=" + System.getProperty(property));
            }
        }
        out.println();

        Runtime rt = Runtime.getRuntime();
        out.println("java:       " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.println("java home:  " + System.getProperty("java.home"));
        out.println("os:         " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        Machine machine = Machine.current();
        out.println("cpu:        " + machine.cpuModel());
        out.println("simd:       " + (machine.simd().isEmpty() ? "none of " + String.join(", ", Machine.KNOWN_FEATURES)
                : String.join(" ", machine.simd())));
        out.println("processors: " + rt.availableProcessors() + " available");
        out.printf(Locale.ROOT, "max heap:   %,d MB%n", rt.maxMemory() >> 20);
        out.flush();
        return exit;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
