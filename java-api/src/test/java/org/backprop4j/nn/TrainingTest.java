package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    private static Dataset xor(DType dtype) {
        return Dataset.ofClasses(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new int[] {0, 1, 1, 0}, 2, dtype);
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void xorIsLearnedByATwoFourOneTanhSigmoidNetwork() {
        Network net = Network.builder().input(2).dense(4, Activation.TANH).dense(1, Activation.SIGMOID)
                .initializer(Initializer.XAVIER_NORMAL).dtype(DType.FLOAT64).seed(4).backend(REFERENCE).build();
        TrainingHistory h = net.fit(xor(DType.FLOAT64), TrainingConfig.builder().optimizer(Optimizer.sgd(0.5))
                .fullBatch().iterations(3000).build());
        assertArrayEquals(new int[] {0, 1, 1, 0}, net.predictClasses(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
        assertTrue(h.finalCost() < 0.05, h::toString);
        assertEquals(3000, h.iterations());
        assertEquals(3000, h.epochs().size(), "full batch: one iteration per epoch");
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        Dataset moons = Synthetic.twoMoons(300, 0.2, 1, DType.FLOAT32);
        double[][] results = new double[3][];
        for (int run = 0; run < 3; run++) {
            Network net = Network.builder().input(2).dense(16, Activation.RELU).dense(1, Activation.SIGMOID)
                    .seed(run < 2 ? 5 : 6).backend(REFERENCE).build();
            net.fit(moons, TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(5).seed(8).build());
            results[run] = net.parameters();
        }
        assertArrayEquals(results[0], results[1]);
        assertFalse(java.util.Arrays.equals(results[0], results[2]));
    }

    @Test
    void theShuffleSeedChangesTheBatches() {
        Dataset moons = Synthetic.twoMoons(300, 0.2, 1, DType.FLOAT64);
        double[][] results = new double[2][];
        for (int run = 0; run < 2; run++) {
            Network net = Network.builder().input(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                    .dtype(DType.FLOAT64).seed(5).backend(REFERENCE).build();
            net.fit(moons, TrainingConfig.builder().batchSize(16).epochs(2).seed(run).build());
            results[run] = net.parameters();
        }
        assertFalse(java.util.Arrays.equals(results[0], results[1]));
    }

    @Test
    void historyAndListenersSeeEveryStep() {
        Dataset moons = Synthetic.twoMoons(100, 0.1, 1, DType.FLOAT32);
        List<Double> seen = new ArrayList<>();
        List<EpochStats> epochs = new ArrayList<>();
        int[] started = new int[2];
        Network net = Network.builder().input(2).dense(8, Activation.RELU).dense(1, Activation.SIGMOID).backend(REFERENCE).build();
        TrainingHistory h = net.fit(moons, moons, TrainingConfig.builder().batchSize(30).epochs(3)
                .listener(new TrainingListener() {
                    @Override
                    public void onStart(int totalEpochs, int totalIterations) {
                        started[0] = totalEpochs;
                        started[1] = totalIterations;
                    }

                    @Override
                    public void onIteration(int iteration, int epoch, double cost) {
                        seen.add(cost);
                    }

                    @Override
                    public void onEpochEnd(EpochStats stats) {
                        epochs.add(stats);
                    }
                }).build());
        assertEquals(3, started[0]);
        assertEquals(12, started[1], "100 samples in batches of 30: 4 batches per epoch");
        assertEquals(12, h.iterations());
        assertEquals(12, seen.size());
        assertEquals(seen.get(11), h.finalCost());
        assertEquals(3, epochs.size());
        assertTrue(epochs.get(2).hasValidation());
        assertTrue(epochs.get(2).trainAccuracy() > 0 && epochs.get(2).validationAccuracy() > 0);
        assertEquals(12, epochs.get(2).iterations());
    }

    @Test
    void aSessionSteppedByHandEqualsFitBitForBit() {
        Dataset moons = Synthetic.twoMoons(200, 0.2, 1, DType.FLOAT32);
        TrainingConfig cfg = TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(3).seed(4).build();
        Network a = Network.builder().input(2).dense(8, Activation.RELU).dense(1, Activation.SIGMOID).seed(3).backend(REFERENCE).build();
        Network b = a.copy();
        TrainingHistory fitted = a.fit(moons, cfg);

        TrainingSession session = b.session(moons, null, cfg);
        assertEquals(21, session.totalIterations(), "200 samples in batches of 32: 7 per epoch");
        double[] costs = new double[session.totalIterations()];
        for (int i = 0; !session.isComplete(); i++) {
            costs[i] = session.step();
        }
        assertArrayEquals(fitted.iterationCosts(), costs);
        assertArrayEquals(a.parameters(), b.parameters());
        assertEquals(3, session.history().epochs().size());
        IllegalStateException e = assertThrows(IllegalStateException.class, session::step);
        assertTrue(e.getMessage().contains("training is complete"), e::getMessage);
    }

    @Test
    void iterationsCanEndMidEpoch() {
        Dataset moons = Synthetic.twoMoons(100, 0.1, 1, DType.FLOAT32);
        Network net = Network.builder().input(2).dense(8, Activation.RELU).dense(1, Activation.SIGMOID).backend(REFERENCE).build();
        TrainingHistory h = net.fit(moons, TrainingConfig.builder().batchSize(30).iterations(6).build());
        assertEquals(6, h.iterations());
        assertEquals(2, h.epochs().size());
    }

    @Test
    void theScheduleSetsEachEpochsLearningRate() {
        Dataset moons = Synthetic.twoMoons(64, 0.1, 1, DType.FLOAT32);
        Network net = Network.builder().input(2).dense(4, Activation.RELU).dense(1, Activation.SIGMOID).backend(REFERENCE).build();
        TrainingHistory h = net.fit(moons, TrainingConfig.builder().optimizer(Optimizer.sgd(0.1)).batchSize(64).epochs(4)
                .schedule(LearningRateSchedule.step(2, 0.5)).build());
        assertEquals(0.1, h.epochs().get(1).learningRate(), 1e-15);
        assertEquals(0.05, h.epochs().get(2).learningRate(), 1e-15);
    }

    @Test
    void weightDecayShrinksTheWeights() {
        Dataset moons = Synthetic.twoMoons(200, 0.2, 1, DType.FLOAT64);
        double[] norms = new double[2];
        for (int run = 0; run < 2; run++) {
            Network net = Network.builder().input(2).dense(16, Activation.TANH).dense(1, Activation.SIGMOID)
                    .dtype(DType.FLOAT64).seed(3).backend(REFERENCE).build();
            net.fit(moons, TrainingConfig.builder().optimizer(Optimizer.sgd(0.1)).batchSize(20).epochs(20)
                    .weightDecay(run == 0 ? 0 : 0.05).build());
            double[] p = net.parameters();
            for (int i = 0; i < 32; i++) {
                norms[run] += p[i] * p[i];
            }
        }
        assertTrue(norms[1] < 0.7 * norms[0], () -> java.util.Arrays.toString(norms));
    }

    @Test
    void aTrainingStepAllocatesNothingAfterTheFirstBatch() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "this JVM cannot measure per-thread allocation");
        }
        for (DType dtype : DType.values()) {
            Dataset data = Synthetic.twoMoons(640, 0.2, 1, dtype);
            long[] perStep = new long[200];
            long[] last = {0};
            long self = Thread.currentThread().getId();
            Network net = Network.builder().input(2).dense(32, Activation.RELU).dense(16, Activation.TANH)
                    .dense(1, Activation.SIGMOID).dtype(dtype).backend(REFERENCE).build();
            net.fit(data, TrainingConfig.builder().optimizer(Optimizer.adam(1e-3)).batchSize(64).iterations(200)
                    .weightDecay(1e-4).listener(new TrainingListener() {
                        @Override
                        public void onIteration(int iteration, int epoch, double cost) {
                            long now = threads.getThreadAllocatedBytes(self);
                            perStep[iteration - 1] = now - last[0];
                            last[0] = threads.getThreadAllocatedBytes(self);
                        }
                    }).build());
            // A step that allocates (an iterator, a boxed number, a temporary array) allocates every time.
            // Rare non-zero readings come from the JVM itself (deoptimization, the measuring call), so
            // require that nearly all mid-epoch steps allocate exactly nothing. Steps that start an
            // epoch (every 10th) include the epoch bookkeeping and are left out.
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

    /**
     * Full batch, every step ends an epoch: the epoch's statistics and the validation set's cost and
     * accuracy must not allocate either (no listener: a listener is handed a new record per epoch).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void aFullBatchStepWithValidationAllocatesNothing(String optimizer) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
                "this JVM cannot measure per-thread allocation");
        long self = Thread.currentThread().getId();
        for (DType dtype : DType.values()) {
            Dataset train = Synthetic.twoMoons(300, 0.2, 1, dtype);
            Dataset validation = Synthetic.twoMoons(700, 0.2, 2, dtype); // two validation chunks of at most 512
            Network net = Network.builder().input(2).dense(16, Activation.RELU).dense(1, Activation.SIGMOID)
                    .dtype(dtype).backend(REFERENCE).build();
            TrainingSession session = net.session(train, validation, TrainingConfig.builder()
                    .optimizer(optimizer.equals("sgd") ? Optimizer.sgd(0.05) : Optimizer.adam(1e-3)).fullBatch()
                    .iterations(300).weightDecay(1e-4).build());
            for (int i = 0; i < 50; i++) {
                session.step();
            }
            long[] perStep = new long[200];
            int zero = 0;
            for (int i = 0; i < perStep.length; i++) {
                long before = threads.getThreadAllocatedBytes(self);
                session.step();
                perStep[i] = threads.getThreadAllocatedBytes(self) - before;
                zero += perStep[i] == 0 ? 1 : 0;
            }
            // As above: rare readings of the JVM's own allocations are tolerated, a step that allocates is not.
            assertTrue(zero >= perStep.length * 9 / 10, dtype + " " + optimizer + ": only " + zero + " of "
                    + perStep.length + " full-batch steps allocated nothing: " + java.util.Arrays.toString(perStep));
            assertTrue(session.history().epochs().get(249).hasValidation());
        }
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsRejectedWithTheFix() {
        Network binary = Network.builder().input(2).dense(4, Activation.RELU).dense(1, Activation.SIGMOID).backend(REFERENCE).build();
        Network softmax3 = Network.builder().input(2).dense(4, Activation.RELU).dense(3, Activation.SOFTMAX).backend(REFERENCE).build();
        Network sigmoid3 = Network.builder().input(2).dense(4, Activation.RELU).dense(3, Activation.SIGMOID).backend(REFERENCE).build();
        TrainingConfig cfg = TrainingConfig.builder().epochs(1).build();
        Dataset threeFeatures = Dataset.ofClasses(new double[][] {{1, 2, 3}, {4, 5, 6}}, new int[] {0, 1}, 2, DType.FLOAT32);
        Dataset fiveClasses = Dataset.ofClasses(new double[][] {{1, 2}, {3, 4}}, new int[] {0, 4}, 5, DType.FLOAT32);
        Dataset threeClasses = Dataset.ofClasses(new double[][] {{1, 2}, {3, 4}}, new int[] {0, 2}, 3, DType.FLOAT32);

        assertMessage(() -> binary.fit(threeFeatures, cfg), "3 features per sample", "expects 2", "input(3)");
        assertMessage(() -> softmax3.fit(fiveClasses, cfg), "label 4", "output layer's 3 units", "dense(5");
        assertMessage(() -> binary.fit(threeClasses, cfg), "3 classes", "1 unit", "dense(3, SOFTMAX)");
        assertMessage(() -> sigmoid3.fit(threeClasses, cfg), "sigmoid with binary cross-entropy", "dense(3, SOFTMAX)");
        assertMessage(() -> binary.predict(new double[][] {{1, 2, 3}}), "3 features", "expects 2");
    }

    @Test
    void badDataIsRejectedWhenTheDatasetIsMade() {
        assertMessage(() -> Dataset.ofClasses(new double[][] {{1, 2}, {Double.NaN, 4}}, new int[] {0, 1}, 2, DType.FLOAT32),
                "row 1, column 0 is NaN");
        assertMessage(() -> Dataset.ofClasses(new double[0][], new int[0], 2, DType.FLOAT32), "empty");
        assertMessage(() -> Dataset.ofClasses(new double[][] {{1, 2}}, new int[] {7}, 3, DType.FLOAT32), "label 7");
    }

    @Test
    void anUnknownBackendFailsFastListingTheKnownOnes() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.named("cuda"));
        assertTrue(e.getMessage().contains("unknown backend 'cuda'") && e.getMessage().contains("reference"), e::getMessage);
    }

    @Test
    void divergenceStopsNamingTheIterationAndKeepsTheLastGoodWeights() {
        // Unscaled inputs in the hundreds and a huge learning rate: relu activations explode.
        double[][] x = new double[64][2];
        int[] y = new int[64];
        for (int i = 0; i < 64; i++) {
            x[i][0] = 500 + i;
            x[i][1] = 300 - i;
            y[i] = i % 2;
        }
        Dataset data = Dataset.ofClasses(x, y, 2, DType.FLOAT32);
        Network net = Network.builder().input(2).dense(8, Activation.RELU).dense(8, Activation.RELU).dense(1, Activation.IDENTITY)
                .loss(Loss.MEAN_SQUARED_ERROR).seed(1).backend(REFERENCE).build();
        double[] before = net.parameters();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> net.fit(data,
                TrainingConfig.builder().optimizer(Optimizer.sgd(10)).fullBatch().iterations(100).build()));
        assertTrue(e.getMessage().contains("training diverged at iteration"), e::getMessage);
        assertTrue(e.getMessage().contains("not scaled"), e::getMessage);
        assertTrue(e.history().diverged());
        for (double p : net.parameters()) {
            assertTrue(Double.isFinite(p));
        }
        // Full batch: the last good weights are those before the failing epoch (iteration).
        assertTrue(e.history().iterations() >= 1);
        if (e.history().iterations() == 1) {
            assertArrayEquals(before, net.parameters());
        }
    }

    @Test
    void float32AndFloat64AgreeOnAShortRun() {
        Dataset d64 = Synthetic.twoMoons(200, 0.2, 2, DType.FLOAT64);
        Network n64 = Network.builder().input(2).dense(8, Activation.TANH).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).seed(2).backend(REFERENCE).build();
        Network n32 = n64.as(DType.FLOAT32);
        TrainingConfig cfg = TrainingConfig.builder().optimizer(Optimizer.sgd(0.1)).batchSize(50).epochs(3).seed(1).build();
        TrainingHistory h64 = n64.fit(d64, cfg);
        TrainingHistory h32 = n32.fit(d64.as(DType.FLOAT32), cfg);
        assertEquals(h64.finalCost(), h32.finalCost(), 1e-4);
        double[] p64 = n64.parameters();
        double[] p32 = n32.parameters();
        for (int i = 0; i < p64.length; i++) {
            assertEquals(p64[i], p32[i], 1e-4);
        }
    }
}
