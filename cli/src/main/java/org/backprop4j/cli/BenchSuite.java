package org.backprop4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.TrainingDivergedException;
import org.backprop4j.nn.TrainingSession;

/**
 * The measurements of {@code backprop4j bench} on one backend at its current thread count: the
 * square GEMM sweep (whose best GFLOP/s per dtype is the machine's GEMM peak for that backend),
 * then per workload the training step and each of its GEMMs alone (the "GEMM-only ceiling").
 */
final class BenchSuite {

    /** Square GEMM sizes of the full sweep and of {@code --quick}. */
    static final int[] SIZES = {64, 128, 256, 512, 1024, 2048};
    static final int[] QUICK_SIZES = {64, 128};

    /** Sweep sizes stop where one call would take longer than this (predicted from the size before: 8x the time). */
    static final long MAX_CALL_NANOS = 1_000_000_000L;

    /** GEMMs alone: short, there are many of them. */
    static final BenchTimer.Budget GEMM = new BenchTimer.Budget(300_000_000L, 100_000_000L, 5, 400_000_000L, 3);
    /**
     * Training steps: longer warm-up, since a step runs Java code (gather, loop) besides the kernels.
     * Many short rounds rather than a few long ones: each round's step time is paired with the
     * ceiling GEMMs timed right after it, and the load of a shared machine changes from second to
     * second.
     */
    static final BenchTimer.Budget STEP = new BenchTimer.Budget(1_000_000_000L, 100_000_000L, 15, 400_000_000L, 3);
    /** The GEMMs of a workload's ceiling, each timed alone in every round, right after the round's steps. */
    static final BenchTimer.Budget CEILING = new BenchTimer.Budget(200_000_000L, 25_000_000L, 15, 400_000_000L, 3);
    static final BenchTimer.Budget QUICK = new BenchTimer.Budget(40_000_000L, 15_000_000L, 3, 50_000_000L, 3);

    private final boolean quick;
    private final boolean breakdown;
    private final List<BenchWorkload> workloads;
    private final Consumer<String> progress;
    private final BenchTimer timer = new BenchTimer();

    BenchSuite(boolean quick, boolean breakdown, List<BenchWorkload> workloads, Consumer<String> progress) {
        this.quick = quick;
        this.breakdown = breakdown;
        this.workloads = workloads;
        this.progress = progress;
    }

    static String describeTiming(boolean quick) {
        return (quick ? "quick: " + QUICK.describe()
                : "GEMMs: " + GEMM.describe() + "; training steps: " + STEP.describe() + "; ceiling GEMMs: "
                + CEILING.describe())
                + "; a workload's steps and its GEMMs alone take turns, repetition by repetition";
    }

    /** Everything on {@code backend} at its current settings; {@code threads} is recorded as given. */
    BenchReport.Run run(Backend backend, Integer threads) {
        String label = backend.name() + (threads == null ? "" : ", " + threads + " threads");
        List<BenchReport.Gemm> gemms = new ArrayList<>();
        List<BenchReport.Peak> peaks = new ArrayList<>();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            BenchReport.Peak peak = null;
            for (int n : quick ? QUICK_SIZES : SIZES) {
                progress.accept(label + ": GEMM " + dtypeName(dtype) + " " + n + "^3");
                BenchGemm g = BenchGemm.square(n);
                BenchTimer.Timing t = timer.time(g.bind(backend, dtype), quick ? QUICK : GEMM);
                double gflops = g.flops() / t.median();
                gemms.add(new BenchReport.Gemm(dtypeName(dtype), n, gflops, t.median(), t.min(), t.max(), t.reps(),
                        t.calls()));
                if (peak == null || gflops > peak.gflops()) {
                    peak = new BenchReport.Peak(dtypeName(dtype), gflops, n);
                }
                if (t.median() * 8 > MAX_CALL_NANOS) {
                    break;
                }
            }
            peaks.add(peak);
        }
        List<BenchReport.Workload> results = new ArrayList<>();
        for (BenchWorkload w : workloads) {
            results.add(workload(backend, label, w, peaks));
        }
        return new BenchReport.Run(backend.name(), threads, gemms, peaks, results);
    }

    private BenchReport.Workload workload(Backend backend, String label, BenchWorkload w, List<BenchReport.Peak> peaks) {
        progress.accept(label + ": " + w.id + " training steps and their GEMMs alone");
        Network net = w.network(backend);
        Dataset data = w.data();
        System.gc(); // the data set's construction garbage, not the steps, should pay for its collection
        List<BenchGemm> gemms = w.stepGemms();
        List<BenchTimer.Op> ops = new ArrayList<>();
        List<BenchTimer.Budget> budgets = new ArrayList<>();
        ops.add(new Stepper(net, data, w));
        budgets.add(quick ? QUICK : STEP);
        for (BenchGemm g : gemms) {
            ops.add(g.bind(backend, w.dtype));
            budgets.add(quick ? QUICK : CEILING);
        }
        // Interleaved, so that the step and its ceiling see the same load from other processes.
        List<BenchTimer.Timing> timings = timer.timeTogether(ops, budgets);
        BenchTimer.Timing t = timings.get(0);
        List<BenchReport.StepGemm> ceiling = new ArrayList<>();
        double ceilingNanos = 0;
        for (int i = 0; i < gemms.size(); i++) {
            BenchGemm g = gemms.get(i);
            double median = timings.get(i + 1).median();
            ceilingNanos += median;
            ceiling.add(new BenchReport.StepGemm(g.name(), trans(g), g.m(), g.n(), g.k(), median, g.flops() / median));
        }
        double fractionOfCeiling = fractionOfCeiling(t, timings.subList(1, timings.size()));
        Long allocPerStep = t.allocatedPerCall() < 0 ? null : t.allocatedPerCall();

        List<BenchReport.Part> parts = null;
        if (breakdown) {
            progress.accept(label + ": " + w.id + " breakdown");
            BenchTimer.Budget b = quick ? QUICK : STEP;
            parts = BenchProfile.profile(backend, w, b.warmupNanos(), b.reps() * b.repNanos());
        }

        double stepsPerSecond = 1e9 / t.median();
        double samplesPerSecond = w.batch * stepsPerSecond;
        double gflops = samplesPerSecond * w.flopsPerSample() / 1e9;
        String dtype = dtypeName(w.dtype);
        Double fractionOfPeak = peaks.stream().filter(p -> p.dtype().equals(dtype)).findFirst()
                .map(p -> gflops / p.gflops()).orElse(null);
        double ceilingSamples = w.batch * 1e9 / ceilingNanos;
        return new BenchReport.Workload(w.id, w.shape(), dtype, w.batch, stepsPerSecond, samplesPerSecond, t.median(),
                t.min(), t.max(), t.reps(), t.calls(), gflops, fractionOfPeak, ceilingSamples,
                fractionOfCeiling, allocPerStep, t.onCpu() < 0 ? null : t.onCpu(), ceiling, parts);
    }

    /**
     * How close a step comes to its GEMMs alone: per round, the sum of the GEMMs' times over the step's
     * time, then the median of the rounds. The step and its GEMMs of one round were timed within a
     * fraction of a second of each other, so load from other processes that comes and goes slows both
     * sides of a ratio alike, where a ratio of medians taken over the whole run would mix a busy
     * second of one with a quiet second of the other.
     */
    static double fractionOfCeiling(BenchTimer.Timing step, List<BenchTimer.Timing> gemms) {
        double[] ratios = new double[step.reps()];
        for (int r = 0; r < ratios.length; r++) {
            double round = 0;
            for (BenchTimer.Timing g : gemms) {
                round += g.perRep()[r];
            }
            ratios[r] = round / step.perRep()[r];
        }
        return BenchTimer.median(ratios);
    }

    /**
     * Training steps through {@link TrainingSession#step()}, as {@code fit} takes them. A session is
     * sized for a fixed number of steps; a new one is started (allocating its workspace once) when
     * it is about to run out, which happens at most every {@value #SESSION_STEPS} steps.
     */
    private static final class Stepper implements BenchTimer.Op {

        static final int SESSION_STEPS = 100_000;

        private final Network net;
        private final Dataset data;
        private final BenchWorkload w;
        private TrainingSession session;

        Stepper(Network net, Dataset data, BenchWorkload w) {
            this.net = net;
            this.data = data;
            this.w = w;
            newSession();
        }

        private void newSession() {
            session = net.session(data, null, w.config(SESSION_STEPS));
            // The first step of a session touches fresh buffers; take it outside the measurement.
            session.step();
        }

        @Override
        public double run() {
            // Keep one step in reserve: the last step of a session runs end-of-training checks.
            if (session.iteration() >= session.totalIterations() - 1) {
                newSession();
            }
            try {
                return session.step();
            } catch (TrainingDivergedException e) {
                // Random data and labels can drive the cost up over thousands of steps; the speed of a step
                // does not depend on it. The network holds its last good weights: go on from there.
                newSession();
                return session.step();
            }
        }
    }

    static String dtypeName(DType dtype) {
        return dtype.name().toLowerCase(Locale.ROOT);
    }

    private static String trans(BenchGemm g) {
        return (g.transA().isTransposed() ? "T" : "N") + (g.transB().isTransposed() ? "T" : "N");
    }
}
