package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GradientCheckTest {

    private static final Activation[] HIDDEN = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.SIGMOID, Activation.TANH
    };

    /** Every hidden activation with every valid (output activation, loss) pairing. */
    static Stream<Arguments> pairings() {
        List<Arguments> out = new ArrayList<>();
        for (Activation hidden : HIDDEN) {
            out.add(Arguments.of(hidden, Activation.SOFTMAX, Loss.CATEGORICAL_CROSS_ENTROPY, 4));
            out.add(Arguments.of(hidden, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 1));
            out.add(Arguments.of(hidden, Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 3));
            for (Activation output : HIDDEN) {
                out.add(Arguments.of(hidden, output, Loss.MEAN_SQUARED_ERROR, 2));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "hidden {0}, output {1}, {2}, {3} outputs")
    @MethodSource("pairings")
    void analyticGradientsMatchFiniteDifferences(Activation hidden, Activation output, Loss loss, int outputs) {
        Network net = Network.builder().input(5).dense(7, hidden).dense(6, hidden).dense(outputs, output)
                .loss(loss).initializer(Initializer.XAVIER_NORMAL).dtype(DType.FLOAT64).seed(3)
                .backend(new ReferenceBackend()).build();
        randomizeBiases(net, 11);
        Dataset data = randomData(outputs, loss, 9, 21);

        GradientCheck.Report report = GradientCheck.builder().samples(9).build().run(net, data);

        assertEquals(3, report.layers().size());
        assertTrue(report.passed(), report::toString);
        assertTrue(report.maxRelativeError() < 1e-7, report::toString);
    }

    @Test
    void weightDecayIsPartOfTheCheckedCost() {
        Network net = Network.builder().input(5).dense(5, Activation.TANH).dense(3, Activation.SOFTMAX)
                .dtype(DType.FLOAT64).seed(5).backend(new ReferenceBackend()).build();
        Dataset data = randomData(3, Loss.CATEGORICAL_CROSS_ENTROPY, 8, 4);
        GradientCheck.Report report = GradientCheck.builder().weightDecay(0.3).build().run(net, data);
        assertTrue(report.passed(), report::toString);
    }

    @Test
    void aBrokenBackwardPassFailsTheCheck() {
        // A check that cannot fail proves nothing: a backend whose activation backward does nothing
        // (derivative taken as 1) must be caught.
        Network net = Network.builder().input(5).dense(5, Activation.TANH).dense(3, Activation.SOFTMAX)
                .dtype(DType.FLOAT64).seed(5).backend(new ReferenceBackend()).build();
        Dataset data = randomData(3, Loss.CATEGORICAL_CROSS_ENTROPY, 8, 4);
        assertTrue(GradientCheck.builder().build().run(net, data).passed());

        Backend reference = new ReferenceBackend();
        Backend broken = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> method.getName().equals("dactivationBackward") ? null
                        : invoke(method, reference, args));
        GradientCheck.Report report = GradientCheck.builder().build().run(net.withBackend(broken), data);
        assertFalse(report.passed(), report::toString);
        assertTrue(report.layers().get(0).relativeError() > 1e-3, report::toString);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static void randomizeBiases(Network net, long seed) {
        Random rng = new Random(seed);
        double[] p = net.parameters();
        for (int l = 0; l < net.layers().size(); l++) {
            for (int u = 0; u < net.layers().get(l).units(); u++) {
                p[net.biasOffset(l) + u] = rng.nextGaussian() * 0.1;
            }
        }
        net.setParameters(p);
    }

    static Dataset randomData(int outputs, Loss loss, int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        int features = 5;
        if (loss == Loss.MEAN_SQUARED_ERROR || (loss == Loss.BINARY_CROSS_ENTROPY && outputs > 1)) {
            double[] t = new double[n * outputs];
            for (int i = 0; i < t.length; i++) {
                t[i] = loss == Loss.BINARY_CROSS_ENTROPY ? (rng.nextBoolean() ? 1 : 0) : rng.nextGaussian() * 0.5;
            }
            return Dataset.ofTargets(x, features, t, outputs, DType.FLOAT64);
        }
        int[] labels = new int[n];
        int k = outputs == 1 ? 2 : outputs;
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
        }
        return Dataset.ofClasses(x, features, labels, k, DType.FLOAT64);
    }
}
