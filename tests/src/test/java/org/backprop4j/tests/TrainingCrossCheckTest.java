package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole training runs on every backend against the same run on the reference, from the same
 * initial weights (one network built on the reference, copied with {@link Network#withBackend}):
 * the cost of every step and the final weights must agree, for a short horizon where rounding
 * differences have not yet been amplified.
 */
class TrainingCrossCheckTest {

    static Stream<Named<Backend>> backends() {
        return Backends4Test.available();
    }

    /**
     * Workload W4 (workloads.json): [2, 25, 50, 50, 25, 1], relu, sigmoid, binary cross-entropy,
     * float64, full batch of 900 two-moons samples, SGD lr 0.01; 50 steps. Each step's GEMMs sum at
     * most 900 terms, within 2·902·u ≈ 2e-13 of the reference in the worst case, so 1e-10 leaves
     * room for 50 steps of propagation and still catches any wrong kernel.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void moonsW4FiftyFullBatchStepsMatchTheReference(Backend backend) {
        Dataset moons = Synthetic.twoMoons(900, 0.2, 3, DType.FLOAT64);
        Network base = Network.builder().input(2).dense(25, Activation.RELU).dense(50, Activation.RELU)
                .dense(50, Activation.RELU).dense(25, Activation.RELU).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).seed(3).backend(CrossCheck.REFERENCE).build();
        TrainingConfig config = TrainingConfig.builder().optimizer(Optimizer.sgd(0.01)).fullBatch().iterations(50)
                .build();
        crossCheckTraining(backend, "W4 moons float64", base, moons, config, 1e-10);
    }

    /**
     * Workload W1's network, [784, 128, 64, 10], relu, softmax, categorical cross-entropy, float32,
     * SGD lr 0.01, batch 128, scaled down to 256 random samples and 10 steps. Tolerance 1e-4: the
     * first layer's GEMM sums 784 products, which a float kernel may legitimately compute to within
     * 2·(784+2)·u ≈ 9.4e-5 of the reference relative to the sum of their magnitudes (DESIGN.md §6);
     * the weights move by lr·gradient per step, so their differences stay at a fraction of that.
     * A wrong kernel (a missed transpose, a wrong scale, a lost bias) is off by far more.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mnistShapedW1TenFloatStepsMatchTheReference(Backend backend) {
        SplittableRandom rnd = new SplittableRandom(42);
        int samples = 256;
        int features = 784;
        double[] x = new double[samples * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(); // pixel intensities scaled to [0, 1)
        }
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = rnd.nextInt(10);
        }
        Dataset data = Dataset.ofClasses(x, features, labels, 10, DType.FLOAT32);
        Network base = Network.builder().input(features).dense(128, Activation.RELU).dense(64, Activation.RELU)
                .dense(10, Activation.SOFTMAX).dtype(DType.FLOAT32).seed(1).backend(CrossCheck.REFERENCE).build();
        TrainingConfig config = TrainingConfig.builder().optimizer(Optimizer.sgd(0.01)).batchSize(128).iterations(10)
                .seed(7).build();
        crossCheckTraining(backend, "W1 shape float32", base, data, config, 1e-4);
    }

    /**
     * Trains a copy of {@code base} on the reference and one on {@code backend}; every step's cost
     * must be within {@code tolerance} of the reference's relative to it, every final weight within
     * {@code tolerance} relative to the largest weight (a weight near zero cannot be expected to agree
     * to its own precision after rounding differences upstream).
     */
    private static void crossCheckTraining(Backend backend, String workload, Network base, Dataset data,
                                           TrainingConfig config, double tolerance) {
        Network onReference = base.withBackend(CrossCheck.REFERENCE);
        Network onBackend = base.withBackend(backend);
        TrainingHistory expected = onReference.fit(data, config);
        TrainingHistory actual = onBackend.fit(data, config);

        double[] costsRef = expected.iterationCosts();
        double[] costs = actual.iterationCosts();
        if (costs.length != costsRef.length) {
            fail(String.format(Locale.ROOT, "%s %s: %d steps, reference %d (%s)", backend.name(), workload, costs.length,
                    costsRef.length, actual.stopReason()));
        }
        double[] costBound = new double[costsRef.length];
        for (int i = 0; i < costBound.length; i++) {
            costBound[i] = tolerance * Math.abs(costsRef[i]);
        }
        assertWithin(backend, workload, "cost of step", costs, costsRef, costBound);

        double[] weightsRef = onReference.parameters();
        double largest = 0;
        for (double w : weightsRef) {
            largest = Math.max(largest, Math.abs(w));
        }
        assertWithin(backend, workload, "final parameter", onBackend.parameters(), weightsRef,
                filled(weightsRef.length, tolerance * largest));
    }

    private static void assertWithin(Backend backend, String workload, String what, double[] actual, double[] expected,
                                     double[] bound) {
        ErrorBounds.Result r = ErrorBounds.check(actual, expected, bound);
        if (!r.passed()) {
            fail(String.format(Locale.ROOT, "%s training %s: %s %d of %d: %s gives %s, reference %s, |diff| %.3g, "
                            + "bound %.3g, ratio %.3g", backend.name(), workload, what, r.worstIndex() + 1,
                    actual.length, backend.name(), r.actual(), r.expected(), Math.abs(r.actual() - r.expected()),
                    r.bound(), r.ratio()));
        }
    }

    private static double[] filled(int n, double value) {
        return CrossCheck.filled(n, value);
    }
}
