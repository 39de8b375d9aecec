package org.backprop4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Prints a {@link BenchReport} as tables, and two of them side by side. */
final class BenchTable {

    static final String NOISE_NOTE = "numbers on a shared machine are noisy: compare ratios taken within one run "
            + "(backends, workloads, threads), not absolute numbers across runs";

    private BenchTable() {
    }

    // ---- One run --------------------------------------------------------------------------------

    static void printMachine(PrintWriter out, BenchReport r) {
        BenchReport.Machine m = r.machine();
        out.println("backprop4j bench " + r.backprop4j() + (r.quick() ? " (quick)" : "") + ", " + r.created());
        out.println("cpu        " + m.cpu() + ": " + m.cores() + " cores available to the JVM"
                + (m.physicalCores() == null ? "" : " (" + m.physicalCores() + ")"));
        out.println("simd       " + (m.simd().isEmpty() ? "unknown (no /proc/cpuinfo flags)" : String.join(" ", m.simd())));
        out.println("java       " + m.java() + ", " + m.vm());
        out.println("os         " + m.os());
        for (BenchReport.BackendInfo b : r.backends()) {
            out.println("backend    " + b.name() + ": " + b.details());
        }
        out.println("timing     " + r.timing());
        if (r.loadBefore() != null) {
            out.println(String.format(Locale.ROOT, "load       %.2f (one-minute load average before the run)", r.loadBefore())
                    + (busy(r.loadBefore(), m.cores()) ? ": other processes are using the CPU; expect low, noisy numbers, "
                    + "worst with several BLAS threads" : ""));
        }
        out.println("note       " + NOISE_NOTE);
    }

    /** The load average after the run, which includes this run's own threads. */
    static void printLoad(PrintWriter out, BenchReport r) {
        if (r.loadAfter() != null) {
            out.printf(Locale.ROOT, "load average %.2f after the run (%s before; the run's own threads count too)%n",
                    r.loadAfter(), r.loadBefore() == null ? "?" : String.format(Locale.ROOT, "%.2f", r.loadBefore()));
        }
    }

    /** True when other processes kept more than a third of the cores busy. */
    static boolean busy(double load, int cores) {
        return load > cores / 3.0;
    }

    static void printRuns(PrintWriter out, BenchReport r, boolean verbose) {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (BenchReport.Run run : r.runs()) {
            run.gemm().forEach(g -> sizes.add(g.n()));
        }
        int labelWidth = Math.max(12, r.runs().stream().mapToInt(x -> x.label().length()).max().orElse(0));

        out.println();
        out.println("GEMM  C = A·Bᵀ, n×n×n, GFLOP/s (2n³ / median time); peak: the best of the row");
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-" + labelWidth + "s  %-7s", "backend", "dtype"));
        for (int n : sizes) {
            h.append(String.format(Locale.ROOT, "  %7d", n));
        }
        h.append("     peak");
        out.println(h);
        boolean skipped = false;
        for (BenchReport.Run run : r.runs()) {
            for (String dtype : dtypes(run)) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + labelWidth + "s  %-7s",
                        run.label(), dtype));
                for (int n : sizes) {
                    BenchReport.Gemm g = run.gemm().stream().filter(x -> x.dtype().equals(dtype) && x.n() == n)
                            .findFirst().orElse(null);
                    skipped |= g == null;
                    line.append(String.format(Locale.ROOT, "  %7s", g == null ? "-" : gflops(g.gflops())));
                }
                line.append(String.format(Locale.ROOT, "  %7s", run.peak(dtype).map(p -> gflops(p.gflops())).orElse("-")));
                out.println(line);
            }
        }
        if (skipped) {
            out.println("(-: not run; a call would take over " + BenchSuite.MAX_CALL_NANOS / 1_000_000_000L + " s)");
        }

        out.println();
        out.println("Training steps  TrainingSession.step(): gather the batch, forward, backward, SGD update");
        String format = "%-" + labelWidth + "s  %-8s  %-7s  %5s  %9s  %10s  %6s  %7s  %7s  %11s  %7s  %6s  %6s  %s%n";
        out.printf(Locale.ROOT, format, "backend", "workload", "dtype", "batch", "steps/s", "samples/s", "spread",
                "GFLOP/s", "of peak", "ceiling s/s", "of ceil", "B/step", "on cpu", "timed");
        boolean preempted = false;
        for (BenchReport.Run run : r.runs()) {
            for (BenchReport.Workload w : run.workloads()) {
                out.printf(Locale.ROOT, format, run.label(), w.id(), w.dtype(), w.batch(), rate(w.stepsPerSecond()),
                        rate(w.samplesPerSecond()), percent(w.spread()), gflops(w.gflops()),
                        w.fractionOfPeak() == null ? "-" : percent(w.fractionOfPeak()),
                        rate(w.ceilingSamplesPerSecond()), percent(w.fractionOfCeiling()),
                        w.allocBytesPerStep() == null ? "?" : String.format(Locale.ROOT, "%,d", w.allocBytesPerStep()),
                        w.onCpu() == null ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * w.onCpu()),
                        w.reps() + "x" + w.stepsPerRep() + " steps");
                preempted |= w.onCpu() != null && w.onCpu() < 0.9;
            }
        }
        out.println("spread: (slowest - fastest repetition) / median.  of peak: GFLOP/s (6 x weights x samples/s)"
                + " over the row's GEMM peak for the dtype.");
        out.println("ceiling s/s: samples/s if a step took only its GEMMs, each timed alone (forward per layer, dW per"
                + " layer, dX per layer but the first).");
        out.println("of ceil: the ceiling's GEMM time over the step time, round by round (each round times the steps,"
                + " then each GEMM alone), median of the rounds.");
        out.println("B/step: heap bytes allocated per step.  on cpu: CPU time of the timing thread over wall time.");
        if (preempted) {
            out.println("warning: a row below 90% on cpu lost its core to other processes (or waited for BLAS threads"
                    + " that did): its numbers are low.");
        }
        List<String> shapes = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (BenchReport.Run run : r.runs()) {
            for (BenchReport.Workload w : run.workloads()) {
                seen.putIfAbsent(w.id(), w.layers() + " " + w.dtype() + " batch " + w.batch());
            }
        }
        seen.forEach((id, s) -> shapes.add(id + " " + s));
        if (!shapes.isEmpty()) {
            out.println("workloads: " + String.join("; ", shapes) + " (shared/workloads.json)");
        }

        if (r.runs().stream().anyMatch(run -> run.workloads().stream().anyMatch(w -> w.breakdown() != null))) {
            out.println();
            out.println("Breakdown of a step, through a proxy that times every backend call (its overhead, well under"
                    + " a microsecond per call, counts as outside)");
            for (BenchReport.Run run : r.runs()) {
                for (BenchReport.Workload w : run.workloads()) {
                    if (w.breakdown() == null) {
                        continue;
                    }
                    double step = w.breakdown().stream().mapToDouble(BenchReport.Part::nanosPerStep).sum();
                    double inStep = w.breakdown().stream().filter(p -> p.name().startsWith("GEMM"))
                            .mapToDouble(BenchReport.Part::nanosPerStep).sum();
                    double alone = w.ceilingGemms().stream().mapToDouble(BenchReport.StepGemm::medianNanos).sum();
                    out.printf(Locale.ROOT, "%s %s: %.1f us per profiled step (%.1f us unprofiled); its GEMMs %.1f us"
                                    + " in the step, %.1f us alone%n", run.label(), w.id(), step / 1e3,
                            w.medianNanos() / 1e3, inStep / 1e3, alone / 1e3);
                    for (BenchReport.Part p : w.breakdown()) {
                        out.printf(Locale.ROOT, "    %-58s %10.1f us  %6s%n", p.name(), p.nanosPerStep() / 1e3,
                                percent(p.nanosPerStep() / step));
                    }
                }
            }
        }

        if (verbose) {
            out.println();
            out.println("GEMM-only ceilings: each GEMM of a step timed alone");
            for (BenchReport.Run run : r.runs()) {
                for (BenchReport.Workload w : run.workloads()) {
                    double sum = w.ceilingGemms().stream().mapToDouble(BenchReport.StepGemm::medianNanos).sum();
                    out.printf(Locale.ROOT, "%s %s: %.1f us per step in GEMMs, step %.1f us%n", run.label(), w.id(),
                            sum / 1e3, w.medianNanos() / 1e3);
                    for (BenchReport.StepGemm g : w.ceilingGemms()) {
                        out.printf(Locale.ROOT, "    %-12s %s  %-16s %10.1f us  %7s GFLOP/s  %5s of the ceiling%n",
                                g.name(), g.trans(), g.m() + "x" + g.n() + "x" + g.k(), g.medianNanos() / 1e3,
                                gflops(g.gflops()), percent(g.medianNanos() / sum));
                    }
                }
            }
        }
        out.flush();
    }

    private static List<String> dtypes(BenchReport.Run run) {
        List<String> out = new ArrayList<>();
        run.gemm().forEach(g -> {
            if (!out.contains(g.dtype())) {
                out.add(g.dtype());
            }
        });
        return out;
    }

    // ---- Two runs side by side ------------------------------------------------------------------

    static void printCompare(PrintWriter out, String nameA, BenchReport a, String nameB, BenchReport b) {
        out.println("A  " + nameA + ": " + summary(a));
        out.println("B  " + nameB + ": " + summary(b));
        for (String[] diff : machineDiffs(a, b)) {
            out.println("   " + diff[0] + ": A " + diff[1] + " | B " + diff[2]);
        }
        out.println("note " + NOISE_NOTE + "; B/A > 1: B is faster");

        List<BenchReport.Run[]> pairs = new ArrayList<>();
        for (BenchReport.Run ra : a.runs()) {
            b.runs().stream().filter(rb -> rb.label().equals(ra.label())).findFirst()
                    .ifPresent(rb -> pairs.add(new BenchReport.Run[] {ra, rb}));
        }
        if (pairs.isEmpty()) {
            // Different backends (or thread counts) in each file: compare them in order, e.g. openblas vs panama.
            for (int i = 0; i < Math.min(a.runs().size(), b.runs().size()); i++) {
                pairs.add(new BenchReport.Run[] {a.runs().get(i), b.runs().get(i)});
            }
            if (!pairs.isEmpty()) {
                out.println("no run of A has the backend and threads of a run of B: runs are paired in order");
            }
        }
        if (pairs.isEmpty()) {
            out.println("nothing to compare: " + (a.runs().isEmpty() ? nameA : nameB) + " has no runs");
            out.flush();
            return;
        }
        unpaired(out, "A", a, pairs, 0);
        unpaired(out, "B", b, pairs, 1);

        int width = 10;
        for (BenchReport.Run[] p : pairs) {
            width = Math.max(width, pairLabel(p).length() + 16);
        }
        out.println();
        String gemmFormat = "%-" + width + "s  %10s  %10s  %6s%n";
        out.printf(Locale.ROOT, gemmFormat, "GEMM GFLOP/s", "A", "B", "B/A");
        for (BenchReport.Run[] p : pairs) {
            for (String dtype : dtypes(p[0])) {
                for (BenchReport.Gemm ga : p[0].gemm()) {
                    if (!ga.dtype().equals(dtype)) {
                        continue;
                    }
                    BenchReport.Gemm gb = p[1].gemm().stream()
                            .filter(x -> x.dtype().equals(dtype) && x.n() == ga.n()).findFirst().orElse(null);
                    out.printf(Locale.ROOT, gemmFormat, pairLabel(p) + " " + dtype + " " + ga.n(), gflops(ga.gflops()),
                            gb == null ? "-" : gflops(gb.gflops()), gb == null ? "-" : ratio(gb.gflops() / ga.gflops()));
                }
                BenchReport.Peak pa = p[0].peak(dtype).orElse(null);
                BenchReport.Peak pb = p[1].peak(dtype).orElse(null);
                if (pa != null) {
                    out.printf(Locale.ROOT, gemmFormat, pairLabel(p) + " " + dtype + " peak", gflops(pa.gflops()),
                            pb == null ? "-" : gflops(pb.gflops()), pb == null ? "-" : ratio(pb.gflops() / pa.gflops()));
                }
            }
        }

        out.println();
        String stepFormat = "%-" + width + "s  %10s  %10s  %6s  %9s  %9s%n";
        out.printf(Locale.ROOT, stepFormat, "Training samples/s", "A", "B", "B/A", "A of ceil", "B of ceil");
        for (BenchReport.Run[] p : pairs) {
            for (BenchReport.Workload wa : p[0].workloads()) {
                BenchReport.Workload wb = p[1].workloads().stream().filter(x -> x.id().equals(wa.id())).findFirst()
                        .orElse(null);
                out.printf(Locale.ROOT, stepFormat, pairLabel(p) + " " + wa.id(), rate(wa.samplesPerSecond()),
                        wb == null ? "-" : rate(wb.samplesPerSecond()),
                        wb == null ? "-" : ratio(wb.samplesPerSecond() / wa.samplesPerSecond()),
                        percent(wa.fractionOfCeiling()), wb == null ? "-" : percent(wb.fractionOfCeiling()));
            }
        }
        out.flush();
    }

    /** Names the runs of one side that have no partner on the other, so that nothing is dropped silently. */
    private static void unpaired(PrintWriter out, String side, BenchReport r, List<BenchReport.Run[]> pairs, int index) {
        List<String> left = new ArrayList<>();
        for (BenchReport.Run run : r.runs()) {
            if (pairs.stream().noneMatch(p -> p[index] == run)) {
                left.add(run.label());
            }
        }
        if (!left.isEmpty()) {
            out.println("only in " + side + " (not compared): " + String.join(", ", left));
        }
    }

    private static String pairLabel(BenchReport.Run[] p) {
        return p[0].label().equals(p[1].label()) ? p[0].label() : p[0].label() + " vs " + p[1].label();
    }

    private static String summary(BenchReport r) {
        BenchReport.Machine m = r.machine();
        return r.created() + ", " + m.cpu() + ", " + m.cores() + " cores, java " + m.java() + ", backprop4j "
                + r.backprop4j() + (r.quick() ? " (quick)" : "")
                + (r.loadBefore() == null ? "" : String.format(Locale.ROOT, ", load %.2f before", r.loadBefore()));
    }

    /** The machine facts that differ between the two runs, as {name, A, B}. */
    private static List<String[]> machineDiffs(BenchReport a, BenchReport b) {
        List<String[]> out = new ArrayList<>();
        BenchReport.Machine ma = a.machine();
        BenchReport.Machine mb = b.machine();
        diff(out, "simd", String.join(" ", ma.simd()), String.join(" ", mb.simd()));
        diff(out, "vm", ma.vm(), mb.vm());
        diff(out, "os", ma.os(), mb.os());
        Map<String, String> da = new LinkedHashMap<>();
        a.backends().forEach(x -> da.put(x.name(), x.details()));
        for (BenchReport.BackendInfo x : b.backends()) {
            if (da.containsKey(x.name())) {
                diff(out, x.name(), da.get(x.name()), x.details());
            }
        }
        return out;
    }

    private static void diff(List<String[]> out, String name, String a, String b) {
        if (a != null && !a.equals(b)) {
            out.add(new String[] {name, a, b});
        }
    }

    // ---- Numbers --------------------------------------------------------------------------------

    static String gflops(double g) {
        return g >= 100 ? String.format(Locale.ROOT, "%.0f", g)
                : g >= 10 ? String.format(Locale.ROOT, "%.1f", g) : String.format(Locale.ROOT, "%.2f", g);
    }

    static String rate(double r) {
        return r >= 1000 ? String.format(Locale.ROOT, "%,.0f", r)
                : r >= 10 ? String.format(Locale.ROOT, "%.1f", r) : String.format(Locale.ROOT, "%.2f", r);
    }

    static String percent(double f) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }
}
