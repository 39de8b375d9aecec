package org.backprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.backprop4j.openblas.OpenBlasBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code backprop4j bench}: GEMM peak and training-step speed per backend on this machine. */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        subcommands = BenchCompareCommand.class,
        description = {"Measures this machine: GEMM GFLOP/s and training steps per backend, in a few minutes.",
            "For every backend (and, with --threads, every OpenBLAS thread count): square GEMMs of 64 to 2048 "
                    + "in float32 and float64, whose best GFLOP/s is the backend's GEMM peak; then training steps "
                    + "of the workloads W1-W4 (shared/workloads.json) in samples/s and GFLOP/s, with their "
                    + "fraction of that peak and of the workload's GEMM-only ceiling (its step's GEMMs timed "
                    + "one by one). Slow cases get fewer repetitions; the timing line says how many.",
            "Numbers on a shared machine are noisy: compare ratios taken within one run.",
            "bench compare A.json B.json prints two saved runs side by side."},
        footer = {"", "Examples:",
            "  backprop4j bench",
            "  backprop4j bench --backend openblas --threads 1,2 --json a.json --plot a.png",
            "  backprop4j bench --workload W3 --verbose",
            "  backprop4j bench compare xeon.json epyc.json"})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = "--backend", paramLabel = "NAMES",
            description = "Comma-separated backends to measure (reference, openblas, ... or auto). "
                    + "Default: every available backend.")
    String backends;

    @Option(names = "--threads", paramLabel = "LIST",
            description = "Comma-separated OpenBLAS thread counts, e.g. 1,2: the suite runs at each (openblas only; "
                    + "other backends run once). Default: the configured count (-Dbackprop4j.threads, else one fewer than the cores, at least 1).")
    String threads;

    @Option(names = "--workload", paramLabel = "LIST", description = "Comma-separated workloads among W1,W2,W3,W4. Default: all.")
    String workloads;

    @Option(names = "--quick", description = "A tiny run of seconds: GEMMs of 64 and 128, workload W4 only, short timing. "
            + "For checking that bench works, not for numbers.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also save the run as JSON (for bench compare).")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw GFLOP/s against GEMM size per backend as a PNG.")
    Path plot;

    @Option(names = "--breakdown", description = "Also profile each workload's step: time per part (forward GEMMs, "
            + "element-wise kernels, loss, backward GEMMs, optimizer, outside the backend), through a timing proxy.")
    boolean breakdown;

    @Option(names = {"-v", "--verbose"}, description = "Also print every GEMM of each workload's ceiling, timed alone.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Every argument is checked before minutes of measuring.
        List<Integer> threadCounts = threads == null ? null : parseThreads(threads);
        List<BenchWorkload> chosen = workloadList();
        if (json != null) {
            AtomicFiles.checkTarget("--json", json);
        }
        if (plot != null) {
            if (!String.valueOf(plot.getFileName()).toLowerCase(Locale.ROOT).endsWith(".png")) {
                throw new IllegalArgumentException("--plot " + plot + ": bench draws a PNG image; name the file .png");
            }
            AtomicFiles.checkTarget("--plot", plot);
        }
        List<Backend> list = backendList();
        if (threadCounts != null && list.stream().noneMatch(b -> b instanceof OpenBlasBackend)) {
            throw new IllegalArgumentException("--threads applies to the openblas backend only, and it is not among "
                    + "the backends measured (--backend " + (backends == null ? "default" : backends) + ")");
        }

        List<BenchReport.BackendInfo> infos = new ArrayList<>();
        for (Backend b : list) {
            infos.add(new BenchReport.BackendInfo(b.name(), b.details()));
        }
        BenchReport header = new BenchReport(BenchReport.FORMAT, BenchReport.VERSION,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), VersionProvider.version(), quick,
                BenchSuite.describeTiming(quick), BenchMachine.loadAverage(), null, BenchMachine.describe(), infos,
                List.of());
        BenchTable.printMachine(out, header);
        out.flush();

        boolean interactive = main != null && main.interactive;
        Consumer<String> progress = interactive ? s -> {
            err.print("\r\u001b[2Kbench: " + s);
            err.flush();
        } : s -> { };
        BenchSuite suite = new BenchSuite(quick, breakdown, chosen, progress);
        List<BenchReport.Run> runs = new ArrayList<>();
        try {
            for (Backend b : list) {
                if (b instanceof OpenBlasBackend) {
                    OpenBlasBackend blas = (OpenBlasBackend) b;
                    int configured = blas.threads();
                    try {
                        for (int t : threadCounts == null ? List.of(configured) : threadCounts) {
                            blas.setThreads(t);
                            runs.add(suite.run(b, t));
                        }
                    } finally {
                        blas.setThreads(configured); // OpenBLAS's count is process-wide
                    }
                } else {
                    runs.add(suite.run(b, null));
                }
            }
        } finally {
            if (interactive) {
                err.print("\r\u001b[2K");
                err.flush();
            }
        }

        BenchReport report = new BenchReport(header.format(), header.version(), header.created(), header.backprop4j(),
                quick, header.timing(), header.loadBefore(), BenchMachine.loadAverage(), header.machine(), infos, runs);
        BenchTable.printRuns(out, report, verbose);
        BenchTable.printLoad(out, report);
        if (json != null) {
            report.write(json);
            out.println("saved " + json);
        }
        if (plot != null) {
            BenchPlot.write(plot, report);
            out.println("plotted " + plot);
        }
        out.flush();
        return 0;
    }

    /** Fails before a long run rather than after it: the directory must exist and the target must not be one. */
    static List<Integer> parseThreads(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--threads " + text + ": '" + part.trim()
                        + "' is not a thread count; give whole numbers >= 1, e.g. --threads 1,2");
            }
            if (n < 1) {
                throw new IllegalArgumentException("--threads " + text + ": thread counts must be >= 1, got " + n);
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private List<BenchWorkload> workloadList() {
        if (quick && workloads == null) {
            return List.of(BenchWorkload.W4);
        }
        if (workloads == null) {
            return List.of(BenchWorkload.values());
        }
        List<BenchWorkload> out = new ArrayList<>();
        for (String part : workloads.split(",", -1)) {
            BenchWorkload w = BenchWorkload.parse(part);
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** The named backends in the order given, each once; an unknown or unavailable name fails with its reason. */
    private List<Backend> backendList() {
        if (backends == null) {
            List<Backend> all = Backends.allAvailable();
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no backend is available: run 'backprop4j doctor' to see why");
            }
            return all;
        }
        Map<String, Backend> byName = new LinkedHashMap<>();
        for (String part : backends.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("--backend " + backends + ": empty backend name");
            }
            Backend b = Backends.named(part);
            byName.putIfAbsent(b.name(), b);
        }
        return new ArrayList<>(byName.values());
    }
}
