package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pieces of {@code bench}: the ceiling's GEMM list, the timer's bookkeeping, the machine facts. */
class BenchSuiteTest {

    /** The GEMM-only ceiling must time exactly the GEMMs a training step makes, in the same shapes. */
    @ParameterizedTest
    @EnumSource(value = BenchWorkload.class, names = {"W1", "W4"})
    void ceilingGemmsAreTheGemmsOfATrainingStep(BenchWorkload w) {
        List<String> calls = new ArrayList<>();
        Backend reference = new ReferenceBackend();
        Backend recording = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().endsWith("gemm")) {
                        calls.add(shape((Transpose) args[0], (Transpose) args[1], (int) args[2], (int) args[3],
                                (int) args[4], ((Number) args[12]).doubleValue()));
                    }
                    try {
                        return method.invoke(reference, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Network net = w.network(recording);
        TrainingSession session = net.session(w.data(), null, w.config(10));
        session.step(); // the first step, which may differ, is not the one recorded
        calls.clear();
        session.step();

        List<String> expected = new ArrayList<>();
        for (BenchGemm g : w.stepGemms()) {
            expected.add(shape(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.beta()));
        }
        assertEquals(expected, calls);
    }

    private static String shape(Transpose a, Transpose b, int m, int n, int k, double beta) {
        return (a.isTransposed() ? "T" : "N") + (b.isTransposed() ? "T" : "N") + " " + m + "x" + n + "x" + k
                + " beta " + beta;
    }

    @Test
    void flopsOfTheWorkloadsAreSixPerWeight() {
        assertEquals(6L * (784 * 128 + 128 * 64 + 64 * 10), BenchWorkload.W1.flopsPerSample());
        assertEquals("12288-20-7-5-1", BenchWorkload.W2.shape());
        assertEquals(BenchWorkload.W3, BenchWorkload.parse("w3-WIDE"));
        assertEquals(BenchWorkload.W4, BenchWorkload.parse(" W4 "));
        assertThrows(IllegalArgumentException.class, () -> BenchWorkload.parse("W5"));
    }

    @Test
    void timerRunsWarmupAndRepetitionsAndCountsCalls() {
        int[] count = {0};
        BenchTimer.Op op = () -> ++count[0];
        // No warm-up time and no repetition time: one warm-up call, then 3 repetitions of one call.
        BenchTimer.Timing t = new BenchTimer().time(op, new BenchTimer.Budget(0, 0, 3, Long.MAX_VALUE, 1));

        assertEquals(3, t.reps());
        assertEquals(1, t.calls());
        assertEquals(4, count[0]);
        assertTrue(t.min() <= t.median() && t.median() <= t.max(), t::toString);
        assertTrue(t.spread() >= 0);

        // A "slow" operation gets slowReps repetitions of one call.
        BenchTimer.Timing slow = new BenchTimer().time(op, new BenchTimer.Budget(0, 1_000_000_000L, 5, -1, 2));
        assertEquals(2, slow.reps());
        assertEquals(1, slow.calls());
    }

    /**
     * The fraction of the ceiling pairs each round's step with that round's GEMMs: a round where the
     * machine was busy slows both sides and leaves its ratio alone.
     */
    @Test
    void theFractionOfTheCeilingIsTheMedianOfTheRoundsRatios() {
        // Rounds 2 and 3 ran while another process took half the core: every time doubled.
        BenchTimer.Timing step = timing(100, 200, 200, 100, 100);
        List<BenchTimer.Timing> gemms = List.of(timing(30, 60, 60, 30, 30), timing(50, 100, 100, 50, 50));
        assertEquals(0.8, BenchSuite.fractionOfCeiling(step, gemms), 1e-12);
        // One noisy round does not move the median.
        BenchTimer.Timing noisy = timing(100, 100, 400, 100, 100);
        assertEquals(0.8, BenchSuite.fractionOfCeiling(noisy, List.of(timing(80, 80, 80, 80, 80))), 1e-12);
    }

    private static BenchTimer.Timing timing(double... perRep) {
        double[] sorted = perRep.clone();
        java.util.Arrays.sort(sorted);
        return new BenchTimer.Timing(BenchTimer.median(perRep), sorted[0], sorted[sorted.length - 1], perRep.length, 1,
                -1, -1, perRep);
    }

    @Test
    void simdFlagsAndCoresComeFromCpuinfo() {
        List<String> cpuinfo = List.of(
                "processor\t: 0", "physical id\t: 0", "core id\t\t: 0",
                "flags\t\t: fpu vme sse sse2 ht pni ssse3 fma sse4_2 avx avx2 avx512f avx512bw bmi2 amx_tile",
                "", "processor\t: 1", "physical id\t: 0", "core id\t\t: 0",
                "flags\t\t: fpu vme sse sse2 ht pni ssse3 fma sse4_2 avx avx2 avx512f avx512bw bmi2 amx_tile");

        assertEquals(List.of("sse", "sse2", "pni", "ssse3", "fma", "sse4_2", "avx", "avx2", "avx512f", "avx512bw",
                "amx_tile"), BenchMachine.simd(cpuinfo));
        assertEquals("1 physical, 2 logical", BenchMachine.physicalCores(cpuinfo));
        assertEquals(List.of("asimd", "sve"), BenchMachine.simd(List.of("Features\t: fp asimd evtstrm aes sve")));
        assertNull(BenchMachine.physicalCores(List.of()));
    }

    @Test
    void threadListsAreCheckedAndDeduplicated() {
        assertEquals(List.of(1, 2), BenchCommand.parseThreads("1, 2,1"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseThreads("0"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseThreads("1,"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseThreads("-2"));
    }
}
