package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Split;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    /** 50 noisy training moons and 50 validation moons: a 128-128 network over-fits them within a few epochs. */
    private static final Split.TrainTest SMALL = Split.trainTest(Synthetic.twoMoons(100, 0.35, 2, DType.FLOAT64), 0.5,
            1, true);

    private static Network bigNet() {
        return Network.builder().input(2).dense(128, Activation.RELU).dense(128, Activation.RELU)
                .dense(1, Activation.SIGMOID).seed(1).backend(REFERENCE).build();
    }

    private static TrainingConfig.Builder overfitting() {
        return TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).batchSize(10).epochs(300);
    }

    /** Copies the parameters after every epoch. */
    private static final class Snapshots implements TrainingListener {
        final Network net;
        final List<double[]> params = new ArrayList<>();

        Snapshots(Network net) {
            this.net = net;
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            params.add(net.parameters());
        }
    }

    @Test
    void stopsWhenValidationCostStallsAndRestoresTheBestWeights() {
        Network net = bigNet();
        Snapshots snapshots = new Snapshots(net);

        TrainingHistory h = net.fit(SMALL.train(), SMALL.test(), overfitting().earlyStopping(5).listener(snapshots).build());

        assertTrue(h.stoppedEarly(), h::toString);
        assertTrue(h.restoredBestWeights());
        int best = h.bestEpoch();
        assertEquals(best + 5 + 1, h.epochs().size(), "stops after 5 epochs without improvement");
        assertTrue(h.epochs().size() < 300);
        for (EpochStats e : h.epochs()) {
            assertTrue(e.validationCost() >= h.best().orElseThrow().validationCost());
        }
        assertArrayEquals(snapshots.params.get(best), net.parameters(), "the weights of the best epoch, exactly");
        assertEquals(h.epochs().get(best).validationCost(), net.cost(SMALL.test()));
        assertEquals(String.format(java.util.Locale.ROOT, "early stopping at epoch %d: validation cost has not improved "
                        + "for 5 epochs since epoch %d (%.4f); restored the weights of epoch %d", best + 6, best + 1,
                h.epochs().get(best).validationCost(), best + 1), h.stopReason());
        assertTrue(h.overfitting().isPresent(), h::gapReport);
        EpochStats kept = h.epochs().get(best);
        assertTrue(h.gapReport().startsWith(String.format(java.util.Locale.ROOT, "at the restored epoch %d: train cost "
                + "%.4f, validation %.4f", best + 1, kept.trainCost(), kept.validationCost())), h::gapReport);
    }

    @Test
    void aRunThatEndsNormallyStillGetsTheBestWeights() {
        Network net = bigNet();
        Snapshots snapshots = new Snapshots(net);

        TrainingHistory h = net.fit(SMALL.train(), SMALL.test(), overfitting().epochs(30).earlyStopping(1000)
                .listener(snapshots).build());

        assertFalse(h.stoppedEarly());
        assertEquals(30, h.epochs().size());
        assertTrue(h.bestEpoch() < 29, "the net over-fits: the best epoch is not the last");
        assertTrue(h.restoredBestWeights());
        assertArrayEquals(snapshots.params.get(h.bestEpoch()), net.parameters());
        assertTrue(h.stopReason().startsWith("completed 30 epochs; restored the weights of epoch " + (h.bestEpoch() + 1)),
                h::stopReason);
    }

    @Test
    void withoutEarlyStoppingTheLastWeightsStayAndTheBestEpochIsStillReported() {
        Network net = bigNet();
        Snapshots snapshots = new Snapshots(net);
        TrainingHistory h = net.fit(SMALL.train(), SMALL.test(), overfitting().epochs(30).listener(snapshots).build());

        assertFalse(h.restoredBestWeights());
        assertArrayEquals(snapshots.params.get(29), net.parameters());
        assertTrue(h.bestEpoch() >= 0 && h.bestEpoch() < 29);
        assertEquals("completed 30 epochs", h.stopReason());
        assertEquals(-1, net.copy().fit(SMALL.train(), overfitting().epochs(1).build()).bestEpoch(), "no validation");
    }

    @Test
    void minDeltaCountsOnlyLargeEnoughImprovements() {
        // No later epoch improves on the first by 10: stop after epoch 1 + patience, keep epoch 1's weights.
        Network net = bigNet();
        Snapshots snapshots = new Snapshots(net);
        TrainingHistory h = net.fit(SMALL.train(), SMALL.test(), overfitting().earlyStopping(3, 10).listener(snapshots)
                .build());

        assertEquals(0, h.bestEpoch());
        assertEquals(4, h.epochs().size());
        assertArrayEquals(snapshots.params.get(0), net.parameters());
    }

    @Test
    void earlyStoppingNeedsAValidationSet() {
        Network net = bigNet();
        TrainingConfig config = overfitting().earlyStopping(5).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.fit(SMALL.train(), config));
        assertTrue(e.getMessage().contains("no validation set"), e::getMessage);
        assertTrue(e.getMessage().contains("fit(train, validation, config)"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().earlyStopping(0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().earlyStopping(3, -1));
        assertFalse(config.toBuilder().noEarlyStopping().build().earlyStopping());
        assertEquals(5, config.toBuilder().build().patience());
    }

    @Test
    void aSessionThatStoppedEarlyIsComplete() {
        Network net = bigNet();
        TrainingSession session = net.session(SMALL.train(), SMALL.test(), overfitting().earlyStopping(2).build());
        int steps = 0;
        while (!session.isComplete()) {
            session.step();
            steps++;
        }
        assertTrue(steps < session.totalIterations());
        assertTrue(session.history().stoppedEarly());
        IllegalStateException e = assertThrows(IllegalStateException.class, session::step);
        assertTrue(e.getMessage().contains("early stopping at epoch"), e::getMessage);
    }

    @Test
    void aTrainingStepWithEarlyStoppingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
                "this JVM cannot measure per-thread allocation");
        for (DType dtype : DType.values()) {
            Dataset data = Synthetic.twoMoons(640, 0.2, 1, dtype);
            Dataset validation = Synthetic.twoMoons(64, 0.2, 2, dtype);
            long[] perStep = new long[200];
            long[] last = {0};
            long self = Thread.currentThread().getId();
            Network net = Network.builder().input(2).dense(32, Activation.RELU).dense(16, Activation.TANH)
                    .dense(1, Activation.SIGMOID).dtype(dtype).backend(REFERENCE).build();
            TrainingHistory h = net.fit(data, validation, TrainingConfig.builder().optimizer(Optimizer.adam(1e-3))
                    .batchSize(64).iterations(200).earlyStopping(1000).listener(new TrainingListener() {
                        @Override
                        public void onIteration(int iteration, int epoch, double cost) {
                            long now = threads.getThreadAllocatedBytes(self);
                            perStep[iteration - 1] = now - last[0];
                            last[0] = threads.getThreadAllocatedBytes(self);
                        }
                    }).build());
            assertEquals(200, h.iterations());
            // As in TrainingTest: nearly every mid-epoch step allocates exactly nothing; epoch starts
            // (every 10th step) carry the validation pass and the copy of the best weights.
            int measured = 0;
            int zero = 0;
            for (int i = 50; i < 200; i++) {
                if (i % 10 != 0) {
                    measured++;
                    zero += perStep[i] == 0 ? 1 : 0;
                }
            }
            assertTrue(zero >= measured * 9 / 10, dtype + ": only " + zero + " of " + measured
                    + " training steps allocated nothing: " + java.util.Arrays.toString(perStep));
        }
    }
}
