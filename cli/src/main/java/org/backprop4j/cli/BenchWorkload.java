package org.backprop4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * The standard workloads of {@code shared/workloads.json} (layers, batch, dtype, learning rate),
 * as {@code bench} times them. The data is random with the right shapes (two moons for W4): a
 * step's speed does not depend on the values.
 */
enum BenchWorkload {
    W1("W1-mnist", new int[] {784, 128, 64, 10}, 128, DType.FLOAT32, 0.01, 16),
    W2("W2-cat", new int[] {12288, 20, 7, 5, 1}, 209, DType.FLOAT64, 0.0075, 1),
    W3("W3-wide", new int[] {1024, 1024, 1024, 10}, 256, DType.FLOAT32, 0.01, 16),
    W4("W4-moons", new int[] {2, 25, 50, 50, 25, 1}, 900, DType.FLOAT64, 0.01, 1);

    final String id;
    final int[] layers;
    final int batch;
    final DType dtype;
    final double learningRate;
    /**
     * Batches in the data set, so one epoch. W2 and W4 are full batch as in workloads.json; W1 and W3
     * use 16 batches instead of a full epoch (60,000 and 16,384 samples) to keep the memory small.
     */
    final int batches;

    BenchWorkload(String id, int[] layers, int batch, DType dtype, double learningRate, int batches) {
        this.id = id;
        this.layers = layers;
        this.batch = batch;
        this.dtype = dtype;
        this.learningRate = learningRate;
        this.batches = batches;
    }

    /** By short ({@code W1}) or full ({@code W1-mnist}) name, ignoring case. */
    static BenchWorkload parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (BenchWorkload w : values()) {
            if (w.name().equals(n) || w.id.toUpperCase(Locale.ROOT).equals(n)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name.trim() + "': use W1, W2, W3 or W4");
    }

    int outputs() {
        return layers[layers.length - 1];
    }

    long weights() {
        long w = 0;
        for (int i = 1; i < layers.length; i++) {
            w += (long) layers[i - 1] * layers[i];
        }
        return w;
    }

    /** Flops of one sample's training step as workloads.json counts them: 2 forward + 4 backward per weight. */
    long flopsPerSample() {
        return 6 * weights();
    }

    String shape() {
        StringBuilder s = new StringBuilder();
        for (int l : layers) {
            s.append(s.length() == 0 ? "" : "-").append(l);
        }
        return s.toString();
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

    Dataset data() {
        if (this == W4) {
            return Synthetic.twoMoons(batch, 0.2, 3, dtype);
        }
        int samples = batch * batches;
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = rng.doubles((long) samples * layers[0], 0, 1).toArray();
        int classes = outputs() == 1 ? 2 : outputs();
        int[] y = rng.ints(samples, 0, classes).toArray();
        return Dataset.ofClasses(x, layers[0], y, classes, dtype);
    }

    /** SGD, mini-batches shuffled every epoch (the default), for {@code iterations} steps. */
    TrainingConfig config(int iterations) {
        return TrainingConfig.builder().optimizer(Optimizer.sgd(learningRate)).batchSize(batch)
                .iterations(iterations).seed(7).build();
    }

    /**
     * The GEMMs of one SGD training step, in the order and shapes the network calls them: per layer
     * the forward {@code Z = A_prev·Wᵀ}; then backwards, except for the first layer, {@code dA_prev =
     * dZ·W}, and the weight update {@code W -= lr·dZᵀ·A_prev} (a dW GEMM with {@code beta = 1} whose
     * output is the weights themselves).
     */
    List<BenchGemm> stepGemms() {
        List<BenchGemm> out = new ArrayList<>();
        for (int l = 1; l < layers.length; l++) {
            int in = layers[l - 1];
            int units = layers[l];
            out.add(BenchGemm.forward("L" + l + " forward", batch, units, in));
        }
        for (int l = layers.length - 1; l >= 1; l--) {
            int in = layers[l - 1];
            int units = layers[l];
            if (l > 1) {
                out.add(BenchGemm.inputGradient("L" + l + " dX", batch, units, in));
            }
            out.add(BenchGemm.weightGradient("L" + l + " dW", batch, units, in));
        }
        return out;
    }
}
