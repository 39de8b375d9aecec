package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.BuiltinDatasets;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Scaler;
import org.backprop4j.data.Synthetic;
import org.backprop4j.nn.DiagnosticsReport.Finding;
import org.backprop4j.nn.DiagnosticsReport.Kind;
import org.backprop4j.nn.DiagnosticsReport.Severity;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();
    private static final Dataset MOONS = Synthetic.twoMoons(1000, 0.2, 1, DType.FLOAT32);

    /** The course's two-moons network [2, 25, 50, 50, 25, 1]: relu hidden layers, sigmoid output. */
    private static Network moonsNet(Initializer init) {
        NetworkBuilder b = Network.builder().input(2);
        for (int units : new int[] {25, 50, 50, 25}) {
            b.dense(units, Activation.RELU);
        }
        return b.dense(1, Activation.SIGMOID).initializer(init).seed(1).backend(REFERENCE).build();
    }

    private static Finding finding(DiagnosticsReport r, Kind kind) {
        return r.finding(kind).orElseThrow(() -> new AssertionError("no " + kind + " in\n" + r));
    }

    @Test
    void randnTimes001InADeepReluNetIsVanishingGradientsAndTheFixIsHeInitialization() {
        Network net = moonsNet(Initializer.RANDN_0_01);
        double[] before = net.parameters();

        DiagnosticsReport r = Diagnostics.builder().learningRate(0.0075).build().run(net, MOONS);

        Finding f = finding(r, Kind.VANISHING_GRADIENTS);
        assertEquals(Severity.ERROR, f.severity(), r::toString);
        assertTrue(f.evidence().contains("collapse towards 0"), f::evidence);
        assertTrue(f.fix().contains("Initializer.HE_NORMAL") && f.fix().contains("--init he_normal"), f::fix);
        // Each hidden layer shrinks the signal about 20- to 30-fold: 0.01 * sqrt(n_in / 2).
        List<DiagnosticsReport.LayerStats> layers = r.layers();
        assertEquals(5, layers.size());
        assertTrue(layers.get(3).activationRms() < 1e-3 * layers.get(0).activationRms(), r::toString);
        assertTrue(layers.get(0).updateRatio() < 1e-5, r::toString);
        assertArrayEquals(before, net.parameters(), "diagnostics must not change the network");
    }

    @Test
    void theSameNetworkWithHeInitializationIsHealthy() {
        DiagnosticsReport r = Diagnostics.builder().learningRate(0.0075).build().run(moonsNet(Initializer.HE_NORMAL), MOONS);

        assertFalse(r.has(Kind.VANISHING_GRADIENTS), r::toString);
        assertFalse(r.has(Kind.EXPLODING_GRADIENTS), r::toString);
        assertTrue(r.findings().isEmpty(), r::toString);
        double first = r.layers().get(0).activationRms();
        double last = r.layers().get(3).activationRms();
        assertTrue(last > 0.3 * first && last < 3 * first, r::toString);
    }

    @Test
    void theCoursesStuckCostLeadsFromCostNotDecreasingToHeInitialization() {
        // The course's question: the cost barely moves over hundreds of full-batch iterations.
        Network net = moonsNet(Initializer.RANDN_0_01);
        Dataset moons = Synthetic.twoMoons(300, 0.2, 1, DType.FLOAT32);
        Optimizer sgd = Optimizer.sgd(0.0075);
        DiagnosticsListener diag = new DiagnosticsListener(net, moons, Diagnostics.builder().optimizer(sgd).build(), 100);
        TrainingHistory h = net.fit(moons, TrainingConfig.builder().optimizer(sgd).fullBatch().iterations(300)
                .listener(diag).build());

        DiagnosticsReport r = diag.report();
        Finding stuck = finding(r, Kind.COST_NOT_DECREASING);
        assertTrue(stuck.evidence().contains("300 iterations"), stuck::evidence);
        assertTrue(stuck.fix().contains("VANISHING_GRADIENTS") && stuck.fix().contains("--init he_normal"), stuck::fix);
        assertTrue(r.has(Kind.VANISHING_GRADIENTS), r::toString);
        assertEquals(Kind.VANISHING_GRADIENTS, r.findings().get(0).kind(), "the cause comes first:\n" + r);
        assertEquals(h.toString(), diag.history().toString());
        // After epochs 1, 100, 200 and 300.
        assertEquals(List.of(0, 99, 199, 299), diag.snapshots().stream().map(DiagnosticsListener.Snapshot::epoch).toList());
        assertTrue(diag.snapshots().get(0).report().has(Kind.VANISHING_GRADIENTS));
    }

    @Test
    void aTanhOutputWithOneHotLabelsAndMseIsAnOutputLossMismatch() {
        Dataset spirals = Synthetic.spirals(300, 3, 0.1, 1, DType.FLOAT64);
        Network tanh = Network.builder().input(2).dense(16, Activation.TANH).dense(3, Activation.TANH)
                .loss(Loss.MEAN_SQUARED_ERROR).seed(1).backend(REFERENCE).build();
        Network softmax = Network.builder().input(2).dense(16, Activation.TANH).dense(3, Activation.SOFTMAX)
                .seed(1).backend(REFERENCE).build();

        DiagnosticsReport bad = Diagnostics.builder().build().run(tanh, spirals);
        DiagnosticsReport good = Diagnostics.builder().build().run(softmax, spirals);

        Finding f = finding(bad, Kind.OUTPUT_LOSS_MISMATCH);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.evidence().contains("tanh") && f.evidence().contains("3 classes"), f::evidence);
        assertTrue(f.fix().contains("dense(3, SOFTMAX)") && f.fix().contains("categorical cross-entropy"), f::fix);
        assertFalse(good.has(Kind.OUTPUT_LOSS_MISMATCH), good::toString);
    }

    @Test
    void aSigmoidWithMseOnTwoClassesAndABoundedOutputForRegressionAreMismatchesToo() {
        Network sigmoidMse = Network.builder().input(2).dense(8, Activation.RELU).dense(1, Activation.SIGMOID)
                .loss(Loss.MEAN_SQUARED_ERROR).backend(REFERENCE).build();
        assertTrue(Diagnostics.builder().build().run(sigmoidMse, MOONS).finding(Kind.OUTPUT_LOSS_MISMATCH)
                .orElseThrow().fix().contains("binary cross-entropy"));

        double[][] x = {{0}, {1}, {2}, {3}};
        double[][] y = {{-5}, {10}, {20}, {40}};
        Network tanhRegression = Network.builder().input(1).dense(4, Activation.RELU).dense(1, Activation.TANH)
                .backend(REFERENCE).build();
        Finding f = finding(Diagnostics.builder().build().run(tanhRegression, Dataset.ofTargets(x, y, DType.FLOAT64)),
                Kind.OUTPUT_LOSS_MISMATCH);
        assertTrue(f.evidence().contains("range over [-5, 40]") && f.evidence().contains("(-1, 1)"), f::evidence);
        assertTrue(f.fix().contains("IDENTITY"), f::fix);
    }

    @Test
    void aHugeLearningRateIsTooHigh() {
        Network net = Network.builder().input(2).dense(16, Activation.RELU).dense(16, Activation.RELU)
                .dense(1, Activation.SIGMOID).seed(1).backend(REFERENCE).build();

        DiagnosticsReport huge = Diagnostics.builder().learningRate(100).build().run(net, MOONS);
        DiagnosticsReport fine = Diagnostics.builder().learningRate(0.01).build().run(net, MOONS);
        DiagnosticsReport adam = Diagnostics.builder().optimizer(Optimizer.adam(1e-3)).build().run(net, MOONS);

        Finding f = finding(huge, Kind.LEARNING_RATE_TOO_HIGH);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.fix().contains("lower the learning rate from 100.0"), f::fix);
        assertFalse(fine.has(Kind.LEARNING_RATE_TOO_HIGH), fine::toString);
        assertFalse(adam.has(Kind.LEARNING_RATE_TOO_HIGH), adam::toString);
        // Update ratios scale with the learning rate.
        assertEquals(1e4, huge.layers().get(0).updateRatio() / fine.layers().get(0).updateRatio(), 1e-6);
        assertTrue(Double.isNaN(Diagnostics.builder().build().run(net, MOONS).layers().get(0).updateRatio()));
    }

    @Test
    void aDivergedRunIsALearningRateTooHigh() {
        double[][] x = new double[64][2];
        int[] y = new int[64];
        for (int i = 0; i < 64; i++) {
            x[i][0] = 500 + i;
            x[i][1] = 300 - i;
            y[i] = i % 2;
        }
        Dataset data = Dataset.ofClasses(x, y, 2, DType.FLOAT32);
        Network net = Network.builder().input(2).dense(8, Activation.RELU).dense(8, Activation.RELU)
                .dense(1, Activation.IDENTITY).loss(Loss.MEAN_SQUARED_ERROR).seed(1).backend(REFERENCE).build();
        DiagnosticsListener diag = new DiagnosticsListener(net, data, Diagnostics.builder().learningRate(10).build(), 1);
        assertThrows(TrainingDivergedException.class, () -> net.fit(data, TrainingConfig.builder()
                .optimizer(Optimizer.sgd(10)).fullBatch().iterations(100).listener(diag).build()));

        DiagnosticsReport r = diag.report();
        assertTrue(diag.history().diverged());
        Finding f = finding(r, Kind.LEARNING_RATE_TOO_HIGH);
        assertTrue(f.evidence().startsWith("training diverged"), f::evidence);
        assertTrue(r.has(Kind.INPUTS_NOT_SCALED), r::toString);
    }

    @Test
    void aFlatCostHistoryIsCostNotDecreasing() {
        // The course: 0.678 -> 0.645 after 1000 iterations.
        double[] flat = new double[1000];
        double[] learning = new double[1000];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = 0.678 - 0.033 * i / 999.0;
            learning[i] = 0.693 * Math.exp(-i / 200.0);
        }
        Network net = moonsNet(Initializer.HE_NORMAL);
        Diagnostics d = Diagnostics.builder().learningRate(0.0075).build();

        DiagnosticsReport stuck = d.run(net, MOONS, history(flat));
        DiagnosticsReport fine = d.run(net, MOONS, history(learning));

        Finding f = finding(stuck, Kind.COST_NOT_DECREASING);
        assertTrue(f.evidence().contains("from 0.6780 to 0.6466") && f.evidence().contains("1000 iterations"),
                f::evidence);
        assertFalse(fine.has(Kind.COST_NOT_DECREASING), fine::toString);
        assertFalse(d.run(net, MOONS, history(new double[] {0.7, 0.7, 0.7})).has(Kind.COST_NOT_DECREASING),
                "three steps are too few to judge");
    }

    @Test
    void aRisingCostIsALearningRateTooHigh() {
        double[] rising = new double[100];
        for (int i = 0; i < rising.length; i++) {
            rising[i] = 0.5 + 0.01 * i;
        }
        DiagnosticsReport r = Diagnostics.builder().build().run(moonsNet(Initializer.HE_NORMAL), MOONS, history(rising));
        assertTrue(finding(r, Kind.LEARNING_RATE_TOO_HIGH).evidence().contains("rose"), r::toString);
        assertFalse(r.has(Kind.COST_NOT_DECREASING), r::toString);
    }

    @Test
    void rawPixelsAreInputsNotScaled() {
        Dataset digits = BuiltinDatasets.digits(DType.FLOAT32);
        Network raw = Network.builder().input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX)
                .backend(REFERENCE).build();
        Network scaled = Network.builder().input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX)
                .inputScaling(Scaler.standardize(digits)).backend(REFERENCE).build();

        Finding f = finding(Diagnostics.builder().build().run(raw, digits), Kind.INPUTS_NOT_SCALED);
        assertTrue(f.evidence().contains("values up to 16.00"), f::evidence);
        assertTrue(f.fix().contains("--scale standard"), f::fix);
        assertFalse(Diagnostics.builder().build().run(scaled, digits).has(Kind.INPUTS_NOT_SCALED));
    }

    @Test
    void reluUnitsWithVeryNegativeBiasesAreDead() {
        Network net = Network.builder().input(2).dense(16, Activation.RELU).dense(16, Activation.RELU)
                .dense(1, Activation.SIGMOID).seed(1).backend(REFERENCE).build();
        double[] p = net.parameters();
        for (int u = 0; u < 12; u++) {
            p[net.biasOffset(1) + u] = -100; // 12 of layer 2's 16 units never fire
        }
        net.setParameters(p);

        DiagnosticsReport r = Diagnostics.builder().build().run(net, MOONS);

        Finding f = finding(r, Kind.DEAD_RELUS);
        assertTrue(f.evidence().contains("layer 2: 12 of 16 relu units (75%)"), f::evidence);
        assertTrue(f.fix().contains("leaky_relu"), f::fix);
        assertEquals(0.75, r.layers().get(1).deadFraction(), 1e-12);
        assertTrue(Double.isNaN(r.layers().get(2).deadFraction()), "not a relu layer");
    }

    @Test
    void tanhUnitsDrivenFarFromZeroAreSaturated() {
        Network net = Network.builder().input(2).dense(32, Activation.TANH).dense(1, Activation.SIGMOID)
                .initializer(Initializer.XAVIER_NORMAL).seed(1).backend(REFERENCE).build();
        double[] p = net.parameters();
        for (int i = 0; i < 64; i++) {
            p[i] *= 500; // first layer weights: |z| in the hundreds
        }
        net.setParameters(p);

        Finding f = finding(Diagnostics.builder().build().run(net, MOONS), Kind.SATURATED_OUTPUTS);
        assertTrue(f.evidence().startsWith("layer 1:") && f.evidence().contains("tanh"), f::evidence);
    }

    @Test
    void weightsFarLargerThanHeInitializationExplode() {
        Network net = moonsNet(Initializer.HE_NORMAL);
        double[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] *= 8;
        }
        net.setParameters(p);

        Finding f = finding(Diagnostics.builder().build().run(net, MOONS), Kind.EXPLODING_GRADIENTS);
        assertTrue(f.evidence().contains("grow layer by layer"), f::evidence);
    }

    @Test
    void validationCostRisingWhileTrainingCostFallsIsOverfitting() {
        List<EpochStats> epochs = new ArrayList<>();
        for (int e = 0; e < 20; e++) {
            double val = 0.4 + 0.02 * Math.abs(e - 5);
            epochs.add(new EpochStats(e, e + 1, 0.01, 0.5 * Math.exp(-e / 4.0), Math.min(1, 0.8 + 0.02 * e), val,
                    0.85, 0));
        }
        TrainingHistory h = new TrainingHistory(new double[] {0.5}, epochs, "completed 20 epochs", false);

        assertEquals(5, h.bestEpoch());
        String why = h.overfitting().orElseThrow();
        assertTrue(why.contains("15.0 points above validation accuracy"), why);
        assertTrue(why.contains("validation cost rose from 0.4000 at epoch 6"), why);
        assertTrue(h.gapReport().contains("over-fitting"), h::gapReport);
        assertTrue(Diagnostics.builder().build().run(moonsNet(Initializer.HE_NORMAL), MOONS, h)
                .finding(Kind.OVERFITTING).orElseThrow().fix().contains("--early-stopping"));

        List<EpochStats> healthy = List.of(new EpochStats(0, 1, 0.01, 0.5, 0.8, 0.52, 0.79, 0),
                new EpochStats(1, 2, 0.01, 0.3, 0.9, 0.31, 0.9, 0));
        TrainingHistory ok = new TrainingHistory(new double[] {0.5, 0.3}, healthy, "completed 2 epochs", false);
        assertTrue(ok.overfitting().isEmpty());
        assertTrue(ok.gapReport().endsWith("no sign of over-fitting"), ok::gapReport);
    }

    @Test
    void theReportPrintsATableAndEachFindingWithItsFix() {
        String text = Diagnostics.builder().learningRate(0.0075).build().run(moonsNet(Initializer.RANDN_0_01), MOONS)
                .toString();
        assertTrue(text.startsWith("diagnostics on 512 samples"), text);
        assertTrue(text.contains("dense 25 -> 50 relu"), text);
        assertTrue(text.contains("ERROR   VANISHING_GRADIENTS"), text);
        assertTrue(text.contains("fix: use He initialization"), text);
        for (String line : text.split("\\R")) {
            assertTrue(line.length() <= 120, "line too long: " + line);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Diagnostics.builder().samples(0));
        assertThrows(IllegalArgumentException.class, () -> Diagnostics.builder().learningRate(-1));
        Network net = moonsNet(Initializer.HE_NORMAL);
        Dataset threeFeatures = Dataset.ofClasses(new double[][] {{1, 2, 3}}, new int[] {0}, 2, DType.FLOAT32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.builder().build().run(net, threeFeatures));
        assertTrue(e.getMessage().contains("3 features"), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> new DiagnosticsListener(net, MOONS,
                Diagnostics.builder().build(), 0));
    }

    private static TrainingHistory history(double[] costs) {
        return new TrainingHistory(costs, List.of(), "completed", false);
    }
}
