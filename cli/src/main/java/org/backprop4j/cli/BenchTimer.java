package org.backprop4j.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times operations the way JMH would in miniature: a warm-up (so the JIT has compiled the Java
 * side), then several repetitions of a batch of calls, each timed with {@link System#nanoTime};
 * the result is the median time per call, with the fastest and slowest repetition as the spread.
 * Every call's result is summed into a field that is published at the end, so the JIT cannot
 * remove the calls as dead code.
 */
final class BenchTimer {

    /** One call of the operation being timed; returns a value that depends on the work done. */
    @FunctionalInterface
    interface Op {
        double run();
    }

    /**
     * How long to measure.
     *
     * @param warmupNanos  run the operation at least this long before timing (and at least once)
     * @param repNanos     each repetition runs enough calls to take about this long (at least one)
     * @param reps         repetitions
     * @param slowNanos    an operation whose single call takes longer than this is "slow" ...
     * @param slowReps     ... and gets only this many repetitions of one call each
     */
    record Budget(long warmupNanos, long repNanos, int reps, long slowNanos, int slowReps) {

        String describe() {
            return String.format(Locale.ROOT, "median of %d repetitions of >= %s after >= %s of warm-up; "
                            + "a call slower than %s: %d repetitions of one call",
                    reps, seconds(repNanos), seconds(warmupNanos), seconds(slowNanos), slowReps);
        }

        private static String seconds(long nanos) {
            return nanos >= 1_000_000_000L ? String.format(Locale.ROOT, "%.1f s", nanos / 1e9)
                    : nanos >= 100_000_000L ? String.format(Locale.ROOT, "%.2f s", nanos / 1e9)
                    : String.format(Locale.ROOT, "%d ms", Math.round(nanos / 1e6));
        }
    }

    /**
     * Time per call, in nanoseconds.
     *
     * @param median  the median repetition's time per call
     * @param min     the fastest repetition's time per call
     * @param max     the slowest repetition's time per call
     * @param reps    repetitions timed
     * @param calls   calls per repetition
     * @param allocatedBytes heap bytes this thread allocated during the timed repetitions, -1 if unknown
     * @param onCpu   this thread's CPU time over the wall time of the timed repetitions, -1 if unknown
     * @param perRep  each repetition's time per call, in the order the rounds ran
     */
    record Timing(double median, double min, double max, int reps, long calls, long allocatedBytes, double onCpu,
                  double[] perRep) {

        /** Heap bytes allocated per timed call, or -1 if unknown. */
        long allocatedPerCall() {
            return allocatedBytes < 0 ? -1 : Math.round((double) allocatedBytes / ((long) reps * calls));
        }

        /** (slowest - fastest) / median: how far apart the repetitions were. */
        double spread() {
            return median > 0 ? (max - min) / median : 0;
        }
    }

    /** Published at the end of every measurement so that the results are used. */
    static volatile double published;

    private double sink;

    Timing time(Op op, Budget budget) {
        return timeTogether(List.of(op), List.of(budget)).get(0);
    }

    /**
     * Times several operations in interleaved rounds: each round runs every operation's batch of
     * calls once, in order. Load from other processes that comes and goes then hits all of them
     * alike, so ratios between them (a training step against its GEMMs alone) stay meaningful on a
     * busy machine. Each operation warms up and sizes its batch by its own budget; the number of
     * rounds is the smallest any budget asks for (a slow operation's {@code slowReps}).
     */
    List<Timing> timeTogether(List<Op> ops, List<Budget> budgets) {
        int count = ops.size();
        long[] n = new long[count];
        int reps = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            Budget budget = budgets.get(i);
            double perCall = warmUp(ops.get(i), budget);
            boolean slow = perCall > budget.slowNanos();
            reps = Math.min(reps, slow ? budget.slowReps() : budget.reps());
            n[i] = slow ? 1 : Math.max(1, Math.round(budget.repNanos() / perCall));
        }

        double[][] perRep = new double[count][reps];
        long[] alloc = new long[count];
        long[] cpu = new long[count];
        long[] wall = new long[count];
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < count; i++) {
                Op op = ops.get(i);
                long cpuBefore = cpuNanos();
                // The MXBean itself allocates (about 1 KB per call until compiled): what one call costs,
                // measured just before, is not the operation's.
                long probe = allocatedBytes();
                long allocBefore = allocatedBytes();
                long t0 = System.nanoTime();
                for (long c = 0; c < n[i]; c++) {
                    sink += op.run();
                }
                long elapsed = System.nanoTime() - t0;
                long allocAfter = allocatedBytes();
                long cpuAfter = cpuNanos();
                perRep[i][r] = (double) elapsed / n[i];
                wall[i] += elapsed;
                alloc[i] = alloc[i] < 0 || probe < 0 ? -1
                        : alloc[i] + Math.max(0, allocAfter - allocBefore - (allocBefore - probe));
                cpu[i] = cpu[i] < 0 || cpuBefore < 0 ? -1 : cpu[i] + cpuAfter - cpuBefore;
            }
        }
        published = sink;

        List<Timing> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] t = perRep[i].clone();
            Arrays.sort(t);
            out.add(new Timing(median(perRep[i]), t[0], t[reps - 1], reps, n[i], alloc[i],
                    cpu[i] < 0 || wall[i] <= 0 ? -1 : (double) cpu[i] / wall[i], perRep[i]));
        }
        return out;
    }

    /** The median of {@code values} (not modified). */
    static double median(double[] values) {
        double[] t = values.clone();
        Arrays.sort(t);
        int n = t.length;
        return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    }

    /**
     * Runs {@code op} for at least {@code budget.warmupNanos()} (and at least once), in growing
     * batches so that reading the clock stays a small part of tiny operations; returns the time
     * per call of the last batch.
     */
    private double warmUp(Op op, Budget budget) {
        long start = System.nanoTime();
        long batchStart = start;
        long batch = 1;
        while (true) {
            for (long i = 0; i < batch; i++) {
                sink += op.run();
            }
            long t = System.nanoTime();
            long last = t - batchStart;
            if (t - start >= budget.warmupNanos()) {
                return Math.max(1, (double) last / batch);
            }
            if (last < budget.warmupNanos() / 20) {
                batch *= 2;
            }
            batchStart = t;
        }
    }

    /** This thread's CPU time so far, or -1 if the JVM does not tell. */
    static long cpuNanos() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled() ? mx.getCurrentThreadCpuTime() : -1;
    }

    /** Bytes this thread has allocated so far, or -1 if the JVM does not tell. */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
            if (sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled()) {
                return sun.getCurrentThreadAllocatedBytes();
            }
        }
        return -1;
    }
}
