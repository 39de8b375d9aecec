package org.backprop4j.benchmarks;

import java.util.SplittableRandom;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Initializer;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.NetworkBuilder;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;

/**
 * The four standard workloads (the shapes of {@code workloads.json}): layers, activations, loss,
 * batch, dtype and learning rate. Data is random (or two moons for W4) with the right shapes:
 * the speed of a step does not depend on the values.
 */
enum Workload {
    W1(new int[] {784, 128, 64, 10}, 128, DType.FLOAT32, 0.01, 20),
    W2(new int[] {12288, 20, 7, 5, 1}, 209, DType.FLOAT64, 0.0075, 5),
    W3(new int[] {1024, 1024, 1024, 10}, 256, DType.FLOAT32, 0.01, 8),
    W4(new int[] {2, 25, 50, 50, 25, 1}, 900, DType.FLOAT64, 0.01, 50);

    final int[] layers;
    final int batch;
    final DType dtype;
    final double learningRate;
    /** Batches of random data to cycle through (W2 and W4 are full batch). */
    final int steps;

    Workload(int[] layers, int batch, DType dtype, double learningRate, int steps) {
        this.layers = layers;
        this.batch = batch;
        this.dtype = dtype;
        this.learningRate = learningRate;
        this.steps = steps;
    }

    int outputs() {
        return layers[layers.length - 1];
    }

    /** Multiply-adds of one sample's training step: 2 forward + 4 backward flops per weight. */
    long flopsPerSample() {
        long weights = 0;
        for (int i = 1; i < layers.length; i++) {
            weights += (long) layers[i - 1] * layers[i];
        }
        return 6 * weights;
    }

    Network network(Backend backend) {
        NetworkBuilder b = Network.builder().input(layers[0]).dtype(dtype).seed(2).initializer(Initializer.HE_NORMAL)
                .backend(backend);
        for (int i = 1; i < layers.length - 1; i++) {
            b.dense(layers[i], Activation.RELU);
        }
        b.dense(outputs(), outputs() == 1 ? Activation.SIGMOID : Activation.SOFTMAX);
        return b.build();
    }

    /** Enough samples for {@link #steps} batches per operation (full batch for W2 and W4). */
    Dataset data() {
        if (this == W4) {
            return Synthetic.twoMoons(batch, 0.2, 3, dtype);
        }
        int samples = this == W2 ? batch : batch * steps;
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = rng.doubles((long) samples * layers[0], 0, 1).toArray();
        int classes = outputs() == 1 ? 2 : outputs();
        int[] y = rng.ints(samples, 0, classes).toArray();
        return Dataset.ofClasses(x, layers[0], y, classes, dtype);
    }

    TrainingConfig config() {
        return TrainingConfig.builder().optimizer(Optimizer.sgd(learningRate)).batchSize(batch).iterations(steps)
                .shuffle(false).build();
    }
}
