package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.backprop4j.backend.Backend;
import org.backprop4j.data.BuiltinDatasets;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Scaler;
import org.backprop4j.data.Split;
import org.backprop4j.data.Synthetic;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Initializer;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The networks a user would try first learn what they should, on every available backend. */
class TrainingAcceptanceTest {

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Backend>> backends() {
        return Backends4Test.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoMoonsReachNinetySevenPercent(Backend backend) {
        Dataset moons = Synthetic.twoMoons(1000, 0.1, 3, DType.FLOAT64);
        Split.TrainTest split = Split.trainTest(moons, 0.2, 42, true);
        // The course's [2, 25, 50, 50, 25, 1] moons network.
        Network net = Network.builder().input(2).dense(25, Activation.RELU).dense(50, Activation.RELU)
                .dense(50, Activation.RELU).dense(25, Activation.RELU).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).seed(1).backend(backend).build();
        net.fit(split.train(), TrainingConfig.builder().optimizer(Optimizer.adam(0.005)).batchSize(64).epochs(60)
                .seed(2).build());
        double accuracy = net.evaluate(split.test()).accuracy();
        assertTrue(accuracy >= 0.97, "test accuracy " + accuracy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void xorIsLearnedByATwoFourOneNetwork(Backend backend) {
        Dataset xor = Synthetic.xorTruthTable(DType.FLOAT32);
        Network net = Network.builder().input(2).dense(4, Activation.TANH).dense(1, Activation.SIGMOID)
                .initializer(Initializer.XAVIER_NORMAL).seed(4).backend(backend).build();
        TrainingHistory h = net.fit(xor, TrainingConfig.builder().optimizer(Optimizer.sgd(0.5)).fullBatch()
                .iterations(3000).build());
        int[] expected = new int[xor.size()];
        for (int i = 0; i < xor.size(); i++) {
            expected[i] = xor.label(i);
        }
        assertArrayEquals(expected, net.predictClasses(xor), h::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void digitsWithASoftmaxOutputReachNinetyFivePercent(Backend backend) {
        Dataset digits = BuiltinDatasets.digits(DType.FLOAT32);
        Split.TrainTest split = Split.trainTest(digits, 0.2, 42, true);
        Network net = Network.builder().input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX)
                .inputScaling(Scaler.standardize(split.train())).seed(1).backend(backend).build();
        net.fit(split.train(), TrainingConfig.builder().optimizer(Optimizer.adam(1e-3)).batchSize(32).epochs(30)
                .seed(7).build());
        double accuracy = net.evaluate(split.test()).accuracy();
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
    }
}
