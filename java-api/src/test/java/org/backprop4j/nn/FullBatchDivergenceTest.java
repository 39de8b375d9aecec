package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full-batch SGD keeps a snapshot of the weights only every {@value TrainingSession#SNAPSHOT_EVERY}
 * steps and, when the run diverges, takes the steps after the snapshot again: the weights it keeps
 * must still be exactly those of the last step whose cost was finite and within the bound.
 */
class FullBatchDivergenceTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    @TempDir
    Path dir;

    /** y = 2x on x in [-1, 1]. */
    private static Dataset line() {
        double[][] x = new double[64][1];
        double[][] y = new double[64][1];
        for (int i = 0; i < 64; i++) {
            x[i][0] = -1 + 2.0 * i / 63;
            y[i][0] = 2 * x[i][0];
        }
        return Dataset.ofTargets(x, y, DType.FLOAT64);
    }

    private static Network linear(Backend backend) {
        Network net = Network.builder().input(1).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR)
                .dtype(DType.FLOAT64).backend(backend).build();
        net.setParameters(new double[] {0.5, 0.1});
        return net;
    }

    /** The weights after every step, in order: entry {@code i} is what step {@code i + 1} left. */
    private static final class WeightsAfterEachStep implements TrainingListener {
        final List<double[]> after = new ArrayList<>();
        final Network net;

        WeightsAfterEachStep(Network net) {
            this.net = net;
        }

        @Override
        public void onIteration(int iteration, int epoch, double cost) {
            after.add(net.parameters());
        }
    }

    /**
     * Above the stable limit (a learning rate of 1 for this line and loss) the bias grows by the factor
     * |1 - 2 lr| per step and the cost with its square; the larger the rate, the sooner the cost crosses
     * 1000 times the first one: after about 110 steps for 1.02, 2 for 8. Each run diverges at another
     * distance from the last snapshot.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.02, 1.05, 1.1, 1.3, 8.0})
    void theKeptWeightsAreThoseOfTheStepBeforeTheFailingOneExactly(double lr) {
        Network net = linear(REFERENCE);
        WeightsAfterEachStep steps = new WeightsAfterEachStep(net);
        TrainingConfig config = TrainingConfig.builder().optimizer(Optimizer.sgd(lr)).fullBatch().iterations(500)
                .listener(steps).build();
        double[] initial = net.parameters();

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(line(), config));

        int at = e.history().iterations();
        assertTrue(at >= 2, "diverged at iteration " + at);
        // The cost of step `at` was computed with the weights step at - 1 left, which are bad; those that
        // step at - 2 left (the initial ones when at == 2) produced the last good cost.
        double[] expected = at >= 3 ? steps.after.get(at - 3) : initial;
        assertArrayEquals(expected, net.parameters(), "diverged at iteration " + at);
        assertEquals(e.history().iterationCosts()[at - 2], net.cost(line()), 0.0);
        String kept = at == 2 ? "before training" : "at the start of epoch " + (at - 1);
        assertTrue(e.getMessage().endsWith("The network keeps the weights it had " + kept + "."), e::getMessage);
        if (lr == 1.02) {
            assertTrue(at > 3 * TrainingSession.SNAPSHOT_EVERY, "a long run, past several snapshots: " + at);
        }
    }

    /**
     * The steps taken again use each epoch's own learning rate: with a rate that grows by 1% per
     * epoch, repeating them at any other rate would not reproduce the recorded costs, and the run would
     * fall back to the snapshot.
     */
    @Test
    void repeatedStepsUseTheirEpochsLearningRate() {
        Network net = linear(REFERENCE);
        WeightsAfterEachStep steps = new WeightsAfterEachStep(net);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(line(),
                TrainingConfig.builder().optimizer(Optimizer.sgd(0.9)).schedule(epoch -> Math.pow(1.01, epoch))
                        .fullBatch().iterations(500).listener(steps).build()));
        int at = e.history().iterations();
        assertTrue(at % TrainingSession.SNAPSHOT_EVERY > 2, "diverged at " + at + ", too close to a snapshot");
        assertArrayEquals(steps.after.get(at - 3), net.parameters(), "diverged at iteration " + at);
        assertTrue(e.getMessage().endsWith("at the start of epoch " + (at - 1) + "."), e::getMessage);
    }

    /** A resumed run keeps the snapshot of the interrupted one: both diverge alike and keep the same weights. */
    @Test
    void aResumedRunDivergesLikeTheUninterruptedOne() throws IOException {
        TrainingConfig config = TrainingConfig.builder().optimizer(Optimizer.sgd(1.05)).fullBatch().iterations(500)
                .build();
        Network whole = linear(REFERENCE);
        TrainingDivergedException expected = assertThrows(TrainingDivergedException.class,
                () -> whole.fit(line(), config));
        int at = expected.history().iterations();

        for (int stop : new int[] {1, TrainingSession.SNAPSHOT_EVERY, TrainingSession.SNAPSHOT_EVERY + 5, at - 1}) {
            Network first = linear(REFERENCE);
            TrainingSession s = first.session(line(), null, config);
            for (int i = 0; i < stop; i++) {
                s.step();
            }
            Path file = dir.resolve("run-" + stop + ".ckpt");
            s.saveCheckpoint(file);
            TrainingSession resumed = Network.resume(file, REFERENCE, line(), null, config);
            TrainingDivergedException actual = assertThrows(TrainingDivergedException.class, resumed::run);
            assertEquals(expected.getMessage(), actual.getMessage(), "resumed after " + stop + " steps");
            assertArrayEquals(whole.parameters(), resumed.network().parameters(), "resumed after " + stop + " steps");
            assertArrayEquals(expected.history().iterationCosts(), actual.history().iterationCosts());
        }
    }

    /**
     * A backend whose results vary from call to call (here: the first GEMM output of every call gets
     * a different last bit) cannot repeat a step exactly; the run then keeps the snapshot itself, an
     * older good state, and says which epoch it is from.
     */
    @Test
    void stepsThatCannotBeRepeatedExactlyFallBackToTheSnapshot() {
        long[] calls = {0};
        Backend reference = new ReferenceBackend();
        Backend varying = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(reference, args);
                    } catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                    if (method.getName().equals("dgemm")) {
                        double[] c = (double[]) args[13];
                        int offC = (int) args[14];
                        c[offC] = Math.nextUp(c[offC]) + (calls[0]++ % 3) * Math.ulp(c[offC]);
                    }
                    return result;
                });
        Network net = linear(varying);
        WeightsAfterEachStep steps = new WeightsAfterEachStep(net);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(line(),
                TrainingConfig.builder().optimizer(Optimizer.sgd(1.05)).fullBatch().iterations(500).listener(steps)
                        .build()));
        int at = e.history().iterations();
        int lastGood = at - 2; // epoch (0-based) whose starting weights gave the last good cost
        int snapshot = lastGood / TrainingSession.SNAPSHOT_EVERY * TrainingSession.SNAPSHOT_EVERY;
        assertTrue(snapshot < lastGood, "diverged at " + at + ", right after a snapshot: nothing to repeat");
        assertArrayEquals(steps.after.get(snapshot - 1), net.parameters());
        assertTrue(e.getMessage().endsWith("at the start of epoch " + (snapshot + 1) + "."), e::getMessage);
    }
}
