package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.junit.jupiter.api.Test;

/** A cost that explodes without reaching infinity stops the run; a run too large for the heap fails before allocating. */
class DivergenceAndMemoryTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    /** y = 2x on x in [-1, 1]: a linear model, so too large a learning rate makes the cost grow geometrically. */
    private static Dataset line() {
        double[][] x = new double[64][1];
        double[][] y = new double[64][1];
        for (int i = 0; i < 64; i++) {
            x[i][0] = -1 + 2.0 * i / 63;
            y[i][0] = 2 * x[i][0];
        }
        return Dataset.ofTargets(x, y, DType.FLOAT64);
    }

    private static Network linear() {
        Network net = Network.builder().input(1).dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR)
                .dtype(DType.FLOAT64).backend(REFERENCE).build();
        net.setParameters(new double[] {0.5, 0.1});
        return net;
    }

    @Test
    void aCostGrowingPastTheBoundStopsTheRunAndKeepsTheLastGoodWeights() {
        TrainingConfig.Builder cfg = TrainingConfig.builder().optimizer(Optimizer.sgd(8)).fullBatch().iterations(60);
        // Without the bound the cost explodes for all 60 steps yet stays finite: NaN/Inf alone would not stop it.
        Network unbounded = linear();
        TrainingHistory h = unbounded.fit(line(), cfg.divergenceFactor(0).build());
        assertTrue(Double.isFinite(h.finalCost()) && h.finalCost() > 1e6 * h.firstCost(), h::toString);

        Network net = linear();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> net.fit(line(), cfg.divergenceFactor(TrainingConfig.DEFAULT_DIVERGENCE_FACTOR).build()));
        int at = e.history().iterations();
        assertTrue(at > 1 && at < 20, "stopped at iteration " + at);
        assertTrue(e.getMessage().contains("training diverged at iteration " + at), e::getMessage);
        assertTrue(e.getMessage().contains("more than 1000 times the first step's cost"), e::getMessage);
        assertTrue(e.getMessage().contains("learning rate 8.0 is too high"), e::getMessage);
        assertTrue(e.history().diverged());
        // Full batch: the weights kept are those of the step before the one that crossed the bound.
        double kept = net.cost(line());
        double[] costs = e.history().iterationCosts();
        assertEquals(costs[at - 2], kept, 1e-9 * kept);
        assertTrue(kept <= 1000 * costs[0]);
    }

    @Test
    void aNetworkTooLargeForTheHeapFailsInBuildBeforeAllocatingItsParameters() {
        long max = Runtime.getRuntime().maxMemory();
        // Two square layers whose float64 weights need more than the heap limit (but fit the int index).
        int units = (int) Math.min(30_000, Math.sqrt(max / 16.0) + 1_000);
        assertTrue(2.0 * units * units * 8 > max, "the test needs a heap under 14 GB");
        NetworkBuilder b = Network.builder().input(units).dense(units, Activation.RELU).dense(units, Activation.RELU)
                .dense(1, Activation.SIGMOID).dtype(DType.FLOAT64).backend(REFERENCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().matches("(?s)the network's [0-9,]+ parameters need [0-9,]+ MB in float64 but only .*"),
                e::getMessage);
        assertTrue(e.getMessage().contains("-Xmx"), e::getMessage);
    }

    @Test
    void aRunTooLargeForTheHeapFailsBeforeAllocatingAndSaysHowToRaiseTheLimit() {
        long max = Runtime.getRuntime().maxMemory();
        int rows = 20_000;
        // One hidden layer whose activations and gradients for one batch (2 x rows x units x 8 bytes) need
        // at least twice the heap limit.
        int units = (int) Math.max(20_000, Math.min(Integer.MAX_VALUE / rows - 1, max / (8L * rows) + 1));
        double[][] x = new double[rows][2];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[i][0] = i % 7;
            x[i][1] = i % 3;
            labels[i] = i % 2;
        }
        Dataset data = Dataset.ofClasses(x, labels, 2, DType.FLOAT64);
        Network net = Network.builder().input(2).dense(units, Activation.RELU).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).backend(REFERENCE).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(data,
                TrainingConfig.builder().optimizer(Optimizer.adam(1e-3)).batchSize(rows).epochs(1).build()));
        long needed = 2L * rows * units * 8;
        assertTrue(e.getMessage().contains("training needs about"), e::getMessage);
        assertTrue(e.getMessage().matches("(?s).*needs about [0-9,]+ MB \\([0-9,]+ bytes.*"), e::getMessage);
        assertTrue(e.getMessage().contains("-Xmx"), e::getMessage);
        assertTrue(e.getMessage().contains("batch " + rows), e::getMessage);
        assertTrue(needed > max, "the test asks for " + needed + " bytes, more than the heap limit " + max);
    }
}
