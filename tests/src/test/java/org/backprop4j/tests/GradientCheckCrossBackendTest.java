package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.GradientCheck;
import org.backprop4j.nn.Initializer;
import org.backprop4j.nn.Loss;
import org.backprop4j.nn.Network;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Back-propagation on every backend matches centred finite differences (float64) for every activation and loss. */
class GradientCheckCrossBackendTest {

    private static final Activation[] ELEMENTWISE = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.SIGMOID, Activation.TANH
    };

    /** (backend, hidden activation, output activation, loss, outputs) for every valid pairing. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Backends4Test.available().forEach(backend -> {
            for (Activation hidden : ELEMENTWISE) {
                out.add(Arguments.of(backend, hidden, Activation.SOFTMAX, Loss.CATEGORICAL_CROSS_ENTROPY, 4));
                out.add(Arguments.of(backend, hidden, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 1));
                for (Activation output : ELEMENTWISE) {
                    out.add(Arguments.of(backend, hidden, output, Loss.MEAN_SQUARED_ERROR, 2));
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: hidden {1}, output {2}, {3}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Backend backend, Activation hidden, Activation output, Loss loss, int outputs) {
        Network net = Network.builder().input(5).dense(7, hidden).dense(6, hidden).dense(outputs, output).loss(loss)
                .initializer(Initializer.XAVIER_NORMAL).dtype(DType.FLOAT64).seed(3).backend(backend).build();
        GradientCheck.Report report = GradientCheck.builder().samples(9).build().run(net, data(outputs, loss));
        assertTrue(report.passed(), () -> backend.name() + "\n" + report);
    }

    private static Dataset data(int outputs, Loss loss) {
        Random rng = new Random(21);
        int n = 9;
        double[] x = new double[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        if (loss == Loss.MEAN_SQUARED_ERROR) {
            double[] t = new double[n * outputs];
            for (int i = 0; i < t.length; i++) {
                t[i] = rng.nextGaussian() * 0.5;
            }
            return Dataset.ofTargets(x, 5, t, outputs, DType.FLOAT64);
        }
        int k = outputs == 1 ? 2 : outputs;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
        }
        return Dataset.ofClasses(x, 5, labels, k, DType.FLOAT64);
    }
}
