package org.backprop4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Initializer;
import org.backprop4j.nn.Loss;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.NetworkBuilder;
import picocli.CommandLine.Option;

/**
 * The architecture options shared by train and gradcheck. Input and output sizes come from the
 * data: one input per feature; one output per class (one sigmoid unit for two classes), or one per
 * regression target.
 */
final class NetworkOptions {

    @Option(names = "--hidden", paramLabel = "N[,N...]", defaultValue = "32",
            description = "Hidden layer sizes, input side first, e.g. 64,32; 'none' for no hidden layer. "
                    + "Default: ${DEFAULT-VALUE}.")
    String hidden;

    @Option(names = "--activation", paramLabel = "ACT[,ACT...]", defaultValue = "relu",
            description = "Hidden activation: one for every hidden layer, or a comma list with one per layer. "
                    + "identity, relu, leaky_relu, sigmoid, tanh. Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--output", paramLabel = "ACT",
            description = "Output activation. Default: softmax for more than 2 classes, sigmoid for 2, "
                    + "identity for regression.")
    String output;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "categorical_cross_entropy (cce), binary_cross_entropy (bce) or mean_squared_error (mse). "
                    + "Default: the one matching the output (softmax: cce, sigmoid: bce, otherwise mse).")
    String loss;

    @Option(names = "--init", paramLabel = "INIT", defaultValue = "he_normal",
            description = "Weight initialization: he_normal, he_uniform, xavier_normal, xavier_uniform, "
                    + "randn_scaled, randn_0.01. Default: ${DEFAULT-VALUE}.")
    String init;

    /**
     * Parses every option, so that a typo fails before any data is read, and checks the pairing of
     * output and loss in terms of these options (the API's own check speaks of dense layers).
     */
    void validate() {
        hiddenActivations(hiddenSizes().length);
        Initializer.parse(init);
        Activation out = output != null ? Activation.parse(output) : null;
        Loss l = loss != null ? Loss.parse(loss) : null;
        if (out == null || l == null) {
            return;
        }
        String given = "--output " + out + " with --loss " + l + ": ";
        if (out == Activation.SOFTMAX && l != Loss.CATEGORICAL_CROSS_ENTROPY) {
            throw new IllegalArgumentException(given + "a softmax output needs categorical_cross_entropy (cce); "
                    + "for binary cross-entropy use --output sigmoid");
        }
        if (l == Loss.CATEGORICAL_CROSS_ENTROPY && out != Activation.SOFTMAX) {
            throw new IllegalArgumentException(given + "categorical cross-entropy needs --output softmax");
        }
        if (l == Loss.BINARY_CROSS_ENTROPY && out != Activation.SIGMOID) {
            throw new IllegalArgumentException(given + "binary cross-entropy needs --output sigmoid"
                    + (out == Activation.TANH ? " (tanh outputs lie in (-1, 1), not probabilities)" : ""));
        }
    }

    /** The hidden layer sizes. */
    int[] hiddenSizes() {
        String spec = hidden.trim();
        if (spec.isEmpty() || spec.equalsIgnoreCase("none")) {
            return new int[0];
        }
        String[] parts = spec.split(",", -1);
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                sizes[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--hidden " + hidden + ": '" + p + "' is not a layer size; "
                        + "give whole numbers separated by commas, e.g. --hidden 64,32");
            }
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("--hidden " + hidden + ": layer " + (i + 1) + " has " + sizes[i]
                        + " units; every layer needs at least 1");
            }
        }
        return sizes;
    }

    /** One activation per hidden layer. */
    Activation[] hiddenActivations(int layers) {
        String[] parts = activation.split(",", -1);
        if (parts.length != 1 && parts.length != layers) {
            throw new IllegalArgumentException("--activation lists " + parts.length + " activations but --hidden "
                    + "has " + layers + " layer" + (layers == 1 ? "" : "s") + ": give one for all layers or one per layer");
        }
        Activation[] out = new Activation[layers];
        for (int i = 0; i < layers; i++) {
            Activation a = Activation.parse(parts[parts.length == 1 ? 0 : i]);
            if (a == Activation.SOFTMAX) {
                throw new IllegalArgumentException("--activation softmax: softmax is allowed only on the output "
                        + "layer (--output softmax); use relu or tanh for hidden layers");
            }
            out[i] = a;
        }
        return out;
    }

    /** The output activation: --output, or the default for the data. */
    Activation outputActivation(Dataset data) {
        if (output != null) {
            return Activation.parse(output);
        }
        if (!data.hasClasses()) {
            return Activation.IDENTITY;
        }
        return data.classCount() > 2 ? Activation.SOFTMAX : Activation.SIGMOID;
    }

    /** Output units: one per class (one sigmoid unit for two classes), or the target width. */
    static int outputUnits(Dataset data, Activation outputActivation) {
        if (data.hasClasses() && data.classCount() == 2 && outputActivation != Activation.SOFTMAX) {
            return 1;
        }
        return data.targetWidth();
    }

    /**
     * A freshly initialized network for {@code data}.
     *
     * @param offsets input scaling offsets, one per feature, or null for none
     * @param scales  input scaling scales, one per feature, or null for none
     */
    Network build(Dataset data, DType dtype, long seed, Backend backend, double[] offsets, double[] scales) {
        int[] sizes = hiddenSizes();
        Activation[] acts = hiddenActivations(sizes.length);
        Activation out = outputActivation(data);
        NetworkBuilder b = Network.builder().input(data.featureCount());
        for (int i = 0; i < sizes.length; i++) {
            b.dense(sizes[i], acts[i]);
        }
        b.dense(outputUnits(data, out), out);
        if (loss != null) {
            b.loss(Loss.parse(loss));
        }
        b.initializer(Initializer.parse(init)).dtype(dtype).seed(seed).backend(backend);
        if (offsets != null) {
            b.inputScaling(offsets, scales);
        }
        return b.build();
    }

    /** E.g. "64-32-10 (relu, softmax)". */
    static String describe(Network net) {
        StringBuilder sb = new StringBuilder();
        int[] sizes = net.layerSizes();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        List<String> acts = new ArrayList<>();
        net.layers().forEach(l -> acts.add(l.activation().id()));
        return sb + " (" + String.join(", ", acts) + ")";
    }
}
