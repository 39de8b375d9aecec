package org.backprop4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.backprop4j.backend.Backends;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step (gather the batch, forward, backward, SGD update) of each standard workload.
 * {@code batch / time} is samples per second; {@code 6 · weights · batch / time} the achieved
 * FLOP/s. {@code -prof gc} shows the bytes allocated per step ({@code gc.alloc.rate.norm}): the step
 * allocates nothing; what is left (a few bytes per op, more for slow ops) is JMH's own bookkeeping,
 * a few KB per iteration spread over the iteration's steps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBench {

    /**
     * More steps than a whole trial takes (warm-up and measurement, about 16 s: 20,000 steps of W4);
     * the session's cost history and epoch log are sized by it.
     */
    private static final int STEPS_PER_SESSION = 200_000;

    @Param({"W1", "W2", "W3", "W4"})
    public String workload;

    @Param({"reference", "openblas"})
    public String backend;

    /** OpenBLAS threads ("default": -Dbackprop4j.threads, else the core count). */
    @Param({"default"})
    public String threads;

    /** GEMMs below this many multiply-adds run on one thread ("default": the backend's default). */
    @Param({"default"})
    public String parallelMin;

    private Workload w;
    private Network net;
    private Dataset data;
    private TrainingSession session;

    @Setup(Level.Trial)
    public void setUp() {
        w = Workload.valueOf(workload);
        org.backprop4j.backend.Backend b = Backends.named(backend);
        Threading.apply(b, threads, parallelMin);
        net = w.network(b);
        data = w.data();
        newSession();
    }

    // One session for the whole trial: a session allocates its workspace and history when it is created,
    // and a new one per iteration would show up in -prof gc's bytes per step.
    private void newSession() {
        TrainingConfig config = w.config().toBuilder().iterations(STEPS_PER_SESSION).build();
        session = net.session(data, null, config);
    }

    @Benchmark
    public double step() {
        if (session.isComplete()) {
            newSession(); // only if a trial outlasts STEPS_PER_SESSION steps
        }
        return session.step();
    }
}
