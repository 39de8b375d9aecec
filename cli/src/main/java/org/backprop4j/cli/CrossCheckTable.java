package org.backprop4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.backprop4j.backend.Backend;
import org.backprop4j.crosscheck.BackendReport;
import org.backprop4j.crosscheck.CrossCheck;
import org.backprop4j.crosscheck.Jvm;
import org.backprop4j.crosscheck.KernelResult;
import org.backprop4j.crosscheck.Machine;
import org.backprop4j.crosscheck.Report;
import org.backprop4j.crosscheck.Selection;
import org.backprop4j.crosscheck.TrainingResult;
import org.backprop4j.nn.DType;

/**
 * The terminal report of {@code crosscheck}: a header naming the machine, JVM and backends, then a
 * row per kernel and per training run as each completes (a full run takes about half a minute), then
 * the verdict. Fixed column widths, since rows are printed before the longest is known.
 */
final class CrossCheckTable implements CrossCheck.Listener {

    private static final String KERNEL_ROW = "  %-8s %-31s %6s %11s %10s  %s%n";
    private static final String TRAINING_ROW = "  %-26s %5s %13s %15s %10s  %s%n";
    private static final String LABEL = "%-10s %s%n";

    private final PrintWriter out;
    private boolean trainingStarted;

    CrossCheckTable(PrintWriter out) {
        this.out = out;
    }

    void header(Machine machine, Jvm jvm, Backend reference, Selection selection, long seed, List<DType> dtypes,
                boolean quick) {
        out.println("backprop4j crosscheck: kernels and short training runs against the reference backend");
        out.println();
        out.printf(Locale.ROOT, LABEL, "cpu", machine.cpuModel() + ", " + machine.cores() + " cores");
        out.printf(Locale.ROOT, LABEL, "simd", machine.simd().isEmpty() ? "unknown" : String.join(" ", machine.simd()));
        out.printf(Locale.ROOT, LABEL, "os", machine.os() + " " + machine.arch());
        out.printf(Locale.ROOT, LABEL, "jvm", jvm.version() + " (" + jvm.vendor() + "), " + jvm.vmName() + " "
                + jvm.vmVersion());
        out.printf(Locale.ROOT, LABEL, reference.name(), reference.details() + " (the oracle)");
        for (Backend b : selection.backends()) {
            if (b.name().equals(reference.name())) {
                out.printf(Locale.ROOT, LABEL, b.name(), "compared with itself");
            } else {
                out.printf(Locale.ROOT, LABEL, b.name(), b.details());
            }
        }
        for (Selection.Unavailable u : selection.unavailable()) {
            out.printf(Locale.ROOT, LABEL, u.name(), "unavailable, not checked: " + u.reason());
        }
        out.printf(Locale.ROOT, LABEL, "run", "seed " + seed + ", " + dtypes.stream().map(DType::id)
                .collect(Collectors.joining(" and ")) + (quick ? ", quick" : ""));
        if (selection.backends().isEmpty()) {
            out.println();
            out.println("No backend other than the reference is available here, so there is nothing to compare.");
            out.println("(--backend reference checks the reference against itself.)");
        }
        out.flush();
    }

    @Override
    public void started(Backend candidate) {
        trainingStarted = false;
        out.println();
        out.println(candidate.name() + " against the reference");
        out.printf(Locale.ROOT, KERNEL_ROW, "dtype", "kernel", "cases", "max |err|", "err/bound", "result");
        out.flush();
    }

    @Override
    public void kernelChecked(Backend candidate, KernelResult r) {
        out.printf(Locale.ROOT, KERNEL_ROW, r.dtype().id(), r.kernel(), r.cases(), error(r.maxError()),
                ratio(r.maxRatio()), verdict(r.passed()));
        if (!r.passed()) {
            out.println("      " + r.worst());
        }
        out.flush();
    }

    @Override
    public void trainingChecked(Backend candidate, TrainingResult r) {
        if (!trainingStarted) {
            trainingStarted = true;
            out.println();
            out.println("  training from the same initial weights: cost at every step, weights at the end");
            out.printf(Locale.ROOT, TRAINING_ROW, "workload", "steps", "cost rel err", "weight rel err", "tolerance",
                    "result");
        }
        out.printf(Locale.ROOT, TRAINING_ROW, r.workload() + " " + r.layers() + " " + r.dtype().id(), r.steps(),
                error(r.maxCostError()), error(r.maxWeightError()), String.format(Locale.ROOT, "%.0e", r.tolerance()),
                verdict(r.passed()));
        if (!r.passed()) {
            out.println("      " + r.worst());
        }
        out.flush();
    }

    @Override
    public void finished(Backend candidate, BackendReport b) {
        if (!b.training().isEmpty()) {
            out.println();
            for (TrainingResult r : b.training()) {
                out.println("  " + r.workload() + ": " + r.setup() + (r.scaledDown() == null ? ""
                        : " (" + r.scaledDown() + ")"));
            }
        }
        long kernelsOk = b.kernels().stream().filter(KernelResult::passed).count();
        long trainingOk = b.training().stream().filter(TrainingResult::passed).count();
        String counts = String.format(Locale.ROOT, "%d of %d kernel rows and %d of %d training runs within their "
                + "bounds (%.1f s)", kernelsOk, b.kernels().size(), trainingOk, b.training().size(),
                b.elapsedMillis() / 1000.0);
        out.println();
        if (b.passed()) {
            out.println(b.name() + ": PASS, " + counts);
        } else {
            List<String> failed = new ArrayList<>();
            b.failedKernels().forEach(k -> failed.add(k.dtype().id() + " " + k.kernel()));
            b.failedTraining().forEach(t -> failed.add("training " + t.workload()));
            out.println(b.name() + ": FAIL, " + counts + "; failed: " + String.join(", ", failed));
        }
        out.flush();
    }

    /** The overall verdict, after every backend. */
    void summary(Report report) {
        out.println();
        if (report.backends().isEmpty()) {
            out.println("PASS: nothing to compare");
        } else if (report.passed()) {
            out.printf(Locale.ROOT, "PASS: %s agree%s with the reference (%.1f s)%n", names(report),
                    report.backends().size() == 1 ? "s" : "", report.elapsedMillis() / 1000.0);
        } else {
            out.printf(Locale.ROOT, "FAIL: %s beyond the bounds of DESIGN.md section 6 (%.1f s)%n",
                    report.backends().stream().filter(b -> !b.passed()).map(BackendReport::name)
                            .collect(Collectors.joining(", ")) + " disagree" + (report.backends().stream()
                            .filter(b -> !b.passed()).count() == 1 ? "s" : "") + " with the reference",
                    report.elapsedMillis() / 1000.0);
        }
        out.flush();
    }

    private static String names(Report report) {
        return report.backends().stream().map(BackendReport::name).collect(Collectors.joining(", "));
    }

    private static String verdict(boolean passed) {
        return passed ? "PASS" : "FAIL";
    }

    /** {@code 0}, {@code 1.19e-07}, {@code inf}, or {@code -} for not measured. */
    private static String error(double e) {
        if (Double.isNaN(e)) {
            return "-";
        }
        if (e == 0) {
            return "0";
        }
        return Double.isInfinite(e) ? "inf" : String.format(Locale.ROOT, "%.2e", e);
    }

    /** {@code 0}, {@code 0.031}, {@code 2.1e-05}, {@code inf}: fractions of the bound. */
    private static String ratio(double r) {
        if (r == 0) {
            return "0";
        }
        if (Double.isInfinite(r)) {
            return "inf";
        }
        return r >= 1e-3 ? String.format(Locale.ROOT, "%.3f", r) : String.format(Locale.ROOT, "%.1e", r);
    }
}
