package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.backprop4j.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class NetworkBuilderTest {

    private static NetworkBuilder builder() {
        return Network.builder().backend(new ReferenceBackend());
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void buildsLayersWithShapesAndLayout() {
        Network net = builder().input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX).build();
        assertArrayEquals(new int[] {64, 32, 10}, net.layerSizes());
        assertEquals(64 * 32 + 32 + 32 * 10 + 10, net.parameterCount());
        assertEquals(Loss.CATEGORICAL_CROSS_ENTROPY, net.loss());
        assertEquals(0, net.weightOffset(0));
        assertEquals(64 * 32, net.biasOffset(0));
        assertEquals(64 * 32 + 32, net.weightOffset(1));
        assertEquals(DType.FLOAT32, net.dtype());
        for (int u = 0; u < 32; u++) {
            assertEquals(0.0, net.bias(0, u), "biases start at zero");
        }
        assertTrue(net.summary().contains("2,410"), net::summary);
    }

    @Test
    void defaultLossFollowsTheOutputActivation() {
        assertEquals(Loss.BINARY_CROSS_ENTROPY, builder().input(2).dense(1, Activation.SIGMOID).build().loss());
        assertEquals(Loss.MEAN_SQUARED_ERROR, builder().input(2).dense(3, Activation.IDENTITY).build().loss());
        assertEquals(Loss.MEAN_SQUARED_ERROR, builder().input(2).dense(3, Activation.TANH).build().loss());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        double[] a = builder().input(5).dense(4, Activation.TANH).dense(2, Activation.SOFTMAX).seed(9).build().parameters();
        double[] b = builder().input(5).dense(4, Activation.TANH).dense(2, Activation.SOFTMAX).seed(9).build().parameters();
        double[] c = builder().input(5).dense(4, Activation.TANH).dense(2, Activation.SOFTMAX).seed(10).build().parameters();
        assertArrayEquals(a, b);
        assertTrue(a[0] != c[0]);
    }

    @Test
    void initializersHaveTheirDocumentedScale() {
        // Standard deviation of 1000 x 500 weights, within 2% of the formula.
        int in = 500;
        int out = 1000;
        assertEquals(0.01, std(Initializer.RANDN_0_01, in, out), 0.01 * 0.02);
        assertEquals(1 / Math.sqrt(in), std(Initializer.RANDN_SCALED, in, out), 0.02 / Math.sqrt(in));
        assertEquals(Math.sqrt(2.0 / in), std(Initializer.HE_NORMAL, in, out), 0.02 * Math.sqrt(2.0 / in));
        // Uniform(-l, l) has std l / sqrt(3).
        assertEquals(Math.sqrt(6.0 / in) / Math.sqrt(3), std(Initializer.HE_UNIFORM, in, out), 0.02 * Math.sqrt(2.0 / in));
        assertEquals(Math.sqrt(2.0 / (in + out)), std(Initializer.XAVIER_NORMAL, in, out), 0.02 * Math.sqrt(2.0 / (in + out)));
        assertEquals(Math.sqrt(2.0 / (in + out)), std(Initializer.XAVIER_UNIFORM, in, out), 0.02 * Math.sqrt(2.0 / (in + out)));
    }

    private static double std(Initializer init, int in, int out) {
        Network net = builder().input(in).dense(out, Activation.IDENTITY).initializer(init).dtype(DType.FLOAT64).seed(1).build();
        double[] p = net.parameters();
        double sum = 0;
        double sum2 = 0;
        int n = in * out;
        for (int i = 0; i < n; i++) {
            sum += p[i];
            sum2 += p[i] * p[i];
        }
        double mean = sum / n;
        return Math.sqrt(sum2 / n - mean * mean);
    }

    @Test
    void badArchitecturesAreRejectedWithTheFix() {
        assertMessage(() -> builder().dense(3, Activation.RELU).build(), "no input size");
        assertMessage(() -> builder().input(0).dense(3, Activation.RELU).build(), "input size must be >= 1");
        assertMessage(() -> builder().input(4).build(), "no layers");
        assertMessage(() -> builder().input(4).dense(0, Activation.RELU).dense(1, Activation.SIGMOID).build(),
                "layer 1 has 0 units");
        assertMessage(() -> builder().input(4).dense(3, Activation.SOFTMAX).dense(1, Activation.SIGMOID).build(),
                "layer 1 uses softmax", "output layer");
        assertMessage(() -> builder().input(4).dense(3, Activation.SOFTMAX).loss(Loss.BINARY_CROSS_ENTROPY).build(),
                "softmax output needs categorical cross-entropy", "dense(1, SIGMOID)");
        assertMessage(() -> builder().input(4).dense(3, Activation.SOFTMAX).loss(Loss.MEAN_SQUARED_ERROR).build(),
                "softmax output needs categorical cross-entropy");
        assertMessage(() -> builder().input(4).dense(3, Activation.SIGMOID).loss(Loss.CATEGORICAL_CROSS_ENTROPY).build(),
                "needs a softmax output", "dense(3, SOFTMAX)");
        assertMessage(() -> builder().input(4).dense(10, Activation.TANH).loss(Loss.BINARY_CROSS_ENTROPY).build(),
                "binary cross-entropy needs a sigmoid output", "tanh outputs lie in (-1, 1)");
        assertMessage(() -> builder().input(4).dense(1, Activation.SOFTMAX).build(), "softmax over 1 unit");
    }

    @Test
    void namesParseAndUnknownNamesListTheChoices() {
        assertEquals(Activation.LEAKY_RELU, Activation.parse("Leaky-ReLU"));
        assertEquals(Loss.BINARY_CROSS_ENTROPY, Loss.parse("bce"));
        assertEquals(Initializer.XAVIER_UNIFORM, Initializer.parse("glorot"));
        assertEquals(DType.FLOAT64, DType.parse("double"));
        assertMessage(() -> Activation.parse("swish"), "unknown activation 'swish'", "relu");
        assertMessage(() -> Loss.parse("hinge"), "unknown loss 'hinge'", "mean_squared_error");
        assertMessage(() -> Initializer.parse("ones"), "unknown initializer 'ones'", "he_normal");
        assertMessage(() -> DType.parse("int8"), "unknown dtype 'int8'", "float32");
    }

    @Test
    void optimizerAndConfigSettingsAreChecked() {
        assertMessage(() -> Optimizer.sgd(0), "learning rate must be a positive number, got 0.0");
        assertMessage(() -> Optimizer.adam(-1), "learning rate must be a positive number, got -1.0");
        assertMessage(() -> Optimizer.sgd(Double.NaN), "learning rate");
        assertMessage(() -> Optimizer.momentum(0.1, 1.0), "momentum must be in [0, 1)");
        assertMessage(() -> TrainingConfig.builder().batchSize(-1), "batch size must be >= 1");
        assertMessage(() -> TrainingConfig.builder().epochs(0), "epochs must be >= 1");
        assertMessage(() -> TrainingConfig.builder().weightDecay(-0.1), "weight decay must be >= 0");
        assertMessage(() -> LearningRateSchedule.step(0, 0.5), "stepEpochs must be >= 1");
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(1.0, LearningRateSchedule.constant().factor(50));
        assertEquals(0.25, LearningRateSchedule.step(10, 0.5).factor(25), 1e-15);
        assertEquals(0.9 * 0.9 * 0.9, LearningRateSchedule.exponential(0.9).factor(3), 1e-15);
        LearningRateSchedule cos = LearningRateSchedule.cosine(10, 0.1);
        assertEquals(1.0, cos.factor(0), 1e-15);
        assertEquals(0.55, cos.factor(5), 1e-15);
        assertEquals(0.1, cos.factor(10), 1e-15);
        assertEquals(0.1, cos.factor(20), 1e-15);
    }
}
