package org.backprop4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.backprop4j.nn.Activation;
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
 * Bias + activation forward over a 1000 x 1000 float32 matrix (1M elements, 8 MB read and written).
 * GB/s = {@code 8e6 bytes / time}. The input is restored from a copy each time so that saturating
 * functions do not drift to constants; the copy is measured separately by {@link #copyOnly}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseBench {

    private static final int ROWS = 1000;
    private static final int COLS = 1000;

    @Param({"reference", "openblas"})
    public String backend;

    @Param({"relu", "sigmoid", "tanh"})
    public String activation;

    private Backend impl;
    private Activation act;
    private float[] source;
    private float[] x;
    private float[] bias;

    @Setup(Level.Trial)
    public void setUp() {
        impl = Backends.named(backend);
        act = Activation.parse(activation);
        SplittableRandom rng = new SplittableRandom(42);
        source = GemmBench.toFloat(rng.doubles(ROWS * COLS, -4, 4).toArray());
        x = source.clone();
        bias = GemmBench.toFloat(rng.doubles(COLS, -0.1, 0.1).toArray());
    }

    @Benchmark
    public float[] biasActivation() {
        System.arraycopy(source, 0, x, 0, x.length);
        impl.sbiasActivation(act, ROWS, COLS, x, 0, COLS, bias, 0);
        return x;
    }

    @Benchmark
    public float[] copyOnly() {
        System.arraycopy(source, 0, x, 0, x.length);
        return x;
    }
}
