package org.backprop4j.benchmarks;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C = A · Bᵀ} (the forward GEMM of a dense layer) through each backend on Java arrays, and,
 * as the ceiling, the preset's {@code cblas_?gemm} on off-heap pointers ({@code backend = offheap}).
 * GFLOP/s = {@code 2·m·n·k / time}.
 *
 * <p>Shapes are {@code m x n x k}: squares and the layer shapes of the standard workloads
 * (batch x units x inputs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBench {

    @Param({"openblas", "offheap"})
    public String backend;

    /** OpenBLAS threads ("default": -Dbackprop4j.threads, else the core count). */
    @Param({"default"})
    public String threads;

    /** GEMMs below this many multiply-adds run on one thread ("default": the backend's default). */
    @Param({"default"})
    public String parallelMin;

    @Param({"float32"})
    public String dtype;

    @Param({"64x64x64", "256x256x256", "512x512x512", "1024x1024x1024",
            "128x128x784", "128x64x128", "128x10x64", "209x20x12288", "256x1024x1024", "900x50x50", "900x25x2"})
    public String mnk;

    private int m;
    private int n;
    private int k;
    private Backend impl;
    private float[] a32;
    private float[] b32;
    private float[] c32;
    private double[] a64;
    private double[] b64;
    private double[] c64;
    private FloatPointer pa32;
    private FloatPointer pb32;
    private FloatPointer pc32;
    private DoublePointer pa64;
    private DoublePointer pb64;
    private DoublePointer pc64;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = mnk.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        SplittableRandom rng = new SplittableRandom(42);
        a64 = rng.doubles((long) m * k, -1, 1).toArray();
        b64 = rng.doubles((long) n * k, -1, 1).toArray();
        c64 = new double[m * n];
        a32 = toFloat(a64);
        b32 = toFloat(b64);
        c32 = new float[m * n];
        if (backend.equals("offheap")) {
            impl = Backends.named("openblas"); // loads OpenBLAS; the thread settings below apply to it too
            pa32 = new FloatPointer(a32);
            pb32 = new FloatPointer(b32);
            pc32 = new FloatPointer(c32);
            pa64 = new DoublePointer(a64);
            pb64 = new DoublePointer(b64);
            pc64 = new DoublePointer(c64);
        } else {
            impl = Backends.named(backend);
        }
        Threading.apply(impl, threads, parallelMin);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (org.bytedeco.javacpp.Pointer ptr : new org.bytedeco.javacpp.Pointer[] {pa32, pb32, pc32, pa64, pb64, pc64}) {
            if (ptr != null) {
                ptr.close();
            }
        }
    }

    @Benchmark
    public Object gemm() {
        boolean single = dtype.equals("float32");
        if (backend.equals("offheap")) {
            if (single) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                        openblas_nolapack.CblasTrans, m, n, k, 1f, pa32, k, pb32, k, 0f, pc32, n);
                return pc32;
            }
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, m, n, k, 1, pa64, k, pb64, k, 0, pc64, n);
            return pc64;
        }
        // Z = X W^T     X is (m, k), W is (n, k), Z is (m, n)
        if (single) {
            impl.sgemm(NO_TRANS, TRANS, m, n, k, 1f, a32, 0, k, b32, 0, k, 0f, c32, 0, n);
            return c32;
        }
        impl.dgemm(NO_TRANS, TRANS, m, n, k, 1, a64, 0, k, b64, 0, k, 0, c64, 0, n);
        return c64;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
