package org.backprop4j.crosscheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Transpose;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

/**
 * The cross-check engine: the reference passes against itself with every error exactly 0, and a
 * backend broken in one kernel (a proxy around the reference that perturbs one output) fails on
 * exactly that kernel, with a description of the worst element.
 */
class CrossCheckTest {

    /** What a perturbation does after the reference kernel ran: the method and its arguments. */
    private interface Perturbation {
        void apply(String method, Object[] args);
    }

    /** The reference backend, named {@code "broken"}, with {@code p} applied after every call. */
    private static Backend broken(Perturbation p) {
        Backend target = new ReferenceBackend();
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("name")) {
                return "broken";
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (args != null) {
                p.apply(method.getName(), args);
            }
            return result;
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }

    /** Scales the (m, n) block C of a gemm call's arguments. */
    private static void scaleC(Object[] args, double factor) {
        int m = (int) args[2];
        int n = (int) args[3];
        int offC = (int) args[14];
        int ldc = (int) args[15];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (args[13] instanceof float[] c) {
                    c[offC + i * ldc + j] *= (float) factor;
                } else {
                    ((double[]) args[13])[offC + i * ldc + j] *= factor;
                }
            }
        }
    }

    private static CrossCheck quick(DType... dtypes) {
        return CrossCheck.builder().seed(7).quick(true).dtypes(dtypes).build();
    }

    private static Set<String> failedRows(BackendReport r) {
        return r.failedKernels().stream().map(k -> k.dtype().id() + " " + k.kernel()).collect(Collectors.toSet());
    }

    @Test
    void theReferenceAgainstItselfPassesWithEveryErrorZero() {
        List<String> seen = new ArrayList<>();
        CrossCheck cc = CrossCheck.builder().quick(true).listener(new CrossCheck.Listener() {
            @Override
            public void kernelChecked(Backend candidate, KernelResult result) {
                seen.add(result.dtype().id() + " " + result.kernel());
            }
        }).build();

        BackendReport r = cc.check(new ReferenceBackend());

        assertTrue(r.passed(), () -> r.failedKernels() + " " + r.failedTraining());
        for (KernelResult k : r.kernels()) {
            assertTrue(k.cases() > 0, k::toString);
            assertEquals(0, k.maxError(), k::toString);
            assertEquals(0, k.maxRatio(), k::toString);
        }
        List<String> kernels = r.kernels().stream().filter(k -> k.dtype() == DType.FLOAT32).map(KernelResult::kernel)
                .toList();
        List<String> expected = new ArrayList<>(List.of("gemm NN", "gemm NT", "gemm TN", "gemm TT"));
        for (String op : List.of("biasActivation", "activationBackward")) {
            for (Activation a : Activation.values()) {
                if (a.isElementwise()) {
                    expected.add(op + " " + a.id());
                }
            }
        }
        expected.addAll(List.of("softmax", "softmaxCrossEntropy P", "softmaxCrossEntropy dZ", "softmaxCrossEntropy loss",
                "sigmoidBinaryCrossEntropy P", "sigmoidBinaryCrossEntropy dZ", "sigmoidBinaryCrossEntropy loss",
                "meanSquaredError dA", "meanSquaredError loss", "columnSums", "axpy", "scal", "sgdStep", "momentumStep",
                "momentumStep nesterov", "adamStep", "rmspropStep"));
        assertEquals(expected, kernels);
        assertEquals(2 * expected.size(), r.kernels().size());
        assertEquals(r.kernels().stream().map(k -> k.dtype().id() + " " + k.kernel()).toList(), seen);
        assertEquals(List.of("W1", "W2", "W3", "W4"), r.training().stream().map(TrainingResult::workload).toList());
        for (TrainingResult t : r.training()) {
            assertEquals(0, t.maxCostError(), t::toString);
            assertEquals(0, t.maxWeightError(), t::toString);
            assertTrue(t.steps() > 0, t::toString);
        }
    }

    @Test
    void aSlightlyWrongAdamStepFailsOnExactlyThatKernel() {
        // One weight off by 1e-12: far below what training would notice, 500x Adam's float64 bound.
        BackendReport r = quick(DType.FLOAT64).check(broken((method, args) -> {
            if (method.equals("dadamStep")) {
                double[] w = (double[]) args[6];
                int offW = (int) args[7];
                w[offW + (int) args[0] - 1] += 1e-12;
            }
        }));

        assertEquals(Set.of("float64 adamStep"), failedRows(r));
        KernelResult adam = r.failedKernels().get(0);
        assertTrue(adam.maxRatio() > 1, adam::toString);
        assertNotNull(adam.worst());
        assertTrue(adam.worst().startsWith("dadamStep [n="), adam.worst());
        assertTrue(adam.worst().contains("w element"), adam.worst());
        assertTrue(adam.worst().contains("broken gives"), adam.worst());
        assertTrue(r.failedTraining().isEmpty(), () -> r.failedTraining().toString()); // training uses SGD
        assertEquals(List.of("W2", "W4"), r.training().stream().map(TrainingResult::workload).toList());
    }

    @Test
    void aWrongTransposedGemmFailsThatPairAndTheTrainingThatUsesIt() {
        // Transposed A with plain B is how dW = dZ^T X is computed: scale C by 1.001 after it.
        BackendReport r = quick(DType.FLOAT32).check(broken((method, args) -> {
            if (method.equals("sgemm") && args[0] == Transpose.TRANS && args[1] == Transpose.NO_TRANS) {
                scaleC(args, 1.001);
            }
        }));

        assertEquals(Set.of("float32 gemm TN"), failedRows(r));
        assertTrue(r.failedKernels().get(0).worst().startsWith("sgemm TN [m="), r.failedKernels().get(0).worst());
        assertEquals(List.of("W1", "W3"), r.failedTraining().stream().map(TrainingResult::workload).toList());
        assertTrue(r.failedTraining().get(0).worst().contains("broken gives"), r.failedTraining().get(0).worst());
        assertFalse(r.passed());
    }

    @Test
    void aWriteIntoThePaddingOfTheOutputFails() {
        // relu forward right, then one element written past the end of the first row (into the padding).
        BackendReport r = quick(DType.FLOAT32).check(broken((method, args) -> {
            if (method.equals("sbiasActivation") && args[0] == Activation.RELU) {
                int cols = (int) args[2];
                float[] x = (float[]) args[3];
                int offX = (int) args[4];
                int ldx = (int) args[5];
                if (ldx > cols) {
                    x[offX + cols] = 42;
                }
            }
        }));

        assertEquals(Set.of("float32 biasActivation relu"), failedRows(r));
        assertTrue(r.failedKernels().get(0).worst().contains("wrote outside X at array index"),
                r.failedKernels().get(0).worst());
    }

    @Test
    void anExceptionFromTheCandidateIsAFailureOfThatKernelNotOfTheRun() {
        BackendReport r = quick(DType.FLOAT64).check(broken((method, args) -> {
            if (method.equals("dcolumnSums")) {
                throw new IllegalStateException("native kernel missing");
            }
        }));

        assertTrue(failedRows(r).contains("float64 columnSums"), failedRows(r)::toString);
        KernelResult sums = r.kernels().stream().filter(k -> k.kernel().equals("columnSums")).findFirst().orElseThrow();
        assertEquals(Double.POSITIVE_INFINITY, sums.maxRatio());
        assertTrue(sums.worst().contains("broken threw java.lang.IllegalStateException: native kernel missing"),
                sums.worst());
        // Training uses column sums for the bias gradients: it fails too, with the reason.
        assertTrue(r.failedTraining().stream().allMatch(t -> t.worst().contains("native kernel missing")),
                r.failedTraining()::toString);
    }

    @Test
    void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() {
        // Every element of C scaled: where the ratio to the bound peaks depends on the random operands.
        Perturbation p = (method, args) -> {
            if (method.equals("dgemm") && args[0] == Transpose.NO_TRANS && args[1] == Transpose.NO_TRANS) {
                scaleC(args, 1 + 1e-9);
            }
        };
        CrossCheck a = CrossCheck.builder().seed(3).quick(true).dtypes(DType.FLOAT64).build();
        CrossCheck b = CrossCheck.builder().seed(4).quick(true).dtypes(DType.FLOAT64).build();
        String first = a.check(broken(p)).failedKernels().get(0).worst();

        assertEquals(first, a.check(broken(p)).failedKernels().get(0).worst());
        assertFalse(first.equals(b.check(broken(p)).failedKernels().get(0).worst()), first);
    }

    @Test
    void selectionSkipsTheReferenceAndListsUnavailableBackendsWithTheirReason() {
        CrossCheck cc = quick(DType.FLOAT64);

        Selection all = cc.select(null);

        assertTrue(all.backends().stream().noneMatch(b -> b.name().equals("reference")), all::toString);
        Selection.Unavailable fake = all.unavailable().stream().filter(u -> u.name().equals("unavailable-test"))
                .findFirst().orElseThrow(() -> new AssertionError(all.toString()));
        assertEquals("libfake.so not found on java.library.path", fake.reason());
        assertEquals(List.of("reference"), cc.select("reference").backends().stream().map(Backend::name).toList());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> cc.select("unavailable-test"));
        assertTrue(e.getMessage().contains("libfake.so"), e.getMessage());
        assertThrows(BackendUnavailableException.class, () -> cc.select("no-such-backend"));
    }

    @Test
    void aRunReportsTheMachineAndPassesWhenThereIsNothingToCompare() {
        Report report = quick(DType.FLOAT64).run(new Selection(List.of(), List.of(
                new Selection.Unavailable("x", "why"))));

        assertTrue(report.passed());
        assertEquals(List.of(new Selection.Unavailable("x", "why")), report.unavailable());
        assertEquals(Runtime.getRuntime().availableProcessors(), report.machine().cores());
        assertEquals(System.getProperty("java.version"), report.jvm().version());
        assertEquals("pure Java reference kernels, double accumulation", report.referenceDetails());
    }

    @Test
    void simdFeaturesAreTheKnownOnesInTheirOrder() {
        assertEquals(List.of("sse4_2", "avx", "avx2", "fma", "avx512f"),
                Machine.features("fpu avx512f sse4_2 fma avx2 avx ht avx512fake"));
        assertEquals(List.of("asimd", "sve"), Machine.features("fp asimd evtstrm sve"));
        assertEquals(List.of(), Machine.features(null));
    }
}
