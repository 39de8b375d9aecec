package org.backprop4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.backprop4j.backend.Backends;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.TrainingConfig;
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
 * Training steps (forward, backward, SGD update) of each standard workload. One operation is
 * {@code Workload.steps} optimizer steps through {@link Network#fit}; divide the time by it for one
 * step, and {@code batch · steps / time} is samples per second. {@code -prof gc} shows the bytes
 * allocated per operation: the workspace sizing of one {@code fit} call, nothing per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBench {

    @Param({"W1", "W2", "W3", "W4"})
    public String workload;

    @Param({"reference", "openblas"})
    public String backend;

    private Network net;
    private Dataset data;
    private TrainingConfig config;

    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.valueOf(workload);
        net = w.network(Backends.named(backend));
        data = w.data();
        config = w.config();
    }

    @Benchmark
    public Object steps() {
        return net.fit(data, config);
    }
}
