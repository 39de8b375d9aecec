package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain SGD updates the weights inside the backward pass ({@link Network#backwardSgd}); it must give
 * the textbook step computed from the stored gradients ({@link Network#backward}):
 * {@code w -= lr·(dw + weightDecay·w)} for weights, {@code b -= lr·db} for biases.
 */
class FusedSgdTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.01})
    void oneFusedStepIsTheTextbookStep(double weightDecay) {
        Dataset data = Synthetic.twoMoons(50, 0.2, 4, DType.FLOAT64);
        Network net = Network.builder().input(2).dense(7, Activation.RELU).dense(5, Activation.TANH)
                .dense(1, Activation.SIGMOID).dtype(DType.FLOAT64).seed(9).backend(REFERENCE).build();
        double lr = 0.3;

        // The gradients of the starting weights, stored.
        Workspace ws = new Workspace(net.layers, DType.FLOAT64, data.size(), true);
        net.loadFeatures(data, null, 0, data.size(), ws);
        net.loadTargets(data, null, 0, data.size(), ws);
        net.forward(ws, data.size(), true);
        net.outputLoss(ws, data.size(), true);
        Storage grads = Storage.allocate(DType.FLOAT64, net.parameterCount());
        grads.fill(Double.NaN); // backward overwrites every gradient: nothing it leaves may stay NaN
        net.backward(ws, data.size(), grads);
        double[] before = net.parameters();
        double[] expected = new double[before.length];
        for (int i = 0; i < before.length; i++) {
            expected[i] = before[i] - lr * (grads.d[i] + (isWeight(net, i) ? weightDecay * before[i] : 0));
        }

        net.session(data, null, TrainingConfig.builder().optimizer(Optimizer.sgd(lr)).fullBatch().iterations(1)
                .weightDecay(weightDecay).build()).step();

        double[] after = net.parameters();
        for (int i = 0; i < after.length; i++) {
            // Rounding differs (the GEMM adds -lr times its unrounded sum to w): a few ulp of the step.
            assertEquals(expected[i], after[i], 1e-14 * (Math.abs(before[i]) + 1), "parameter " + i);
        }
    }

    private static boolean isWeight(Network net, int i) {
        for (int l = 0; l < net.layers.size(); l++) {
            int off = net.weightOffset(l);
            if (i >= off && i < off + net.layers.get(l).weightCount()) {
                return true;
            }
        }
        return false;
    }
}
