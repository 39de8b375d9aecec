package org.backprop4j.cli;

import java.util.List;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.LayerSpec;
import org.backprop4j.nn.Network;
import picocli.CommandLine.Model.CommandSpec;

/** What the commands need to know about a trained network beyond its API. */
final class Models {

    private static final String ADVICE = ": give data shaped like the data the model was trained on";
    /** The options that describe a network to build, which a saved model fixes instead. */
    private static final List<String> ARCHITECTURE_OPTIONS =
            List.of("--hidden", "--activation", "--output", "--loss", "--init", "--scale");

    private Models() {
    }

    /**
     * True if the network classifies: its output is softmax (one unit per class) or sigmoid (one unit
     * for two classes, or independent yes/no outputs). Any other output is read as regression.
     */
    static boolean isClassifier(Network net) {
        Activation out = net.layers().get(net.layers().size() - 1).activation();
        return out == Activation.SOFTMAX || out == Activation.SIGMOID;
    }

    /** E.g. "model.bp4j: 64-32-10 (relu, softmax), categorical_cross_entropy, float32, input scaling". */
    static String describe(String name, Network net) {
        return name + ": " + NetworkOptions.describe(net) + ", " + net.loss() + ", " + net.dtype()
                + (net.hasInputScaling() ? ", scales its inputs" : ", no input scaling") + ", backend "
                + net.backend().name();
    }

    /**
     * Checks that a saved model can be applied to the data, in the command line's words: the number
     * of features, and the classes (a label the model cannot output) or regression targets.
     */
    static void checkFits(String modelName, Network net, Dataset data, String dataName) {
        checkFeatures(modelName, net, data, dataName);
        LayerSpec last = net.layers().get(net.layers().size() - 1);
        if (isClassifier(net) && data.hasClasses()) {
            int classes = last.activation() == Activation.SIGMOID && last.units() == 1 ? 2 : last.units();
            if (data.classCount() > classes) {
                throw new IllegalArgumentException(modelName + " tells apart " + classes + " classes (0 to " + (classes - 1)
                        + ") but --data " + dataName + " has " + data.classCount() + " classes" + ADVICE);
            }
        } else if (!data.hasClasses() && data.targetWidth() != last.units()) {
            throw new IllegalArgumentException(modelName + " outputs " + last.units() + " value(s) per sample but --data "
                    + dataName + " has " + data.targetWidth() + " target(s)" + ADVICE);
        }
    }

    /** Checks that the data has as many features per sample as the model's input layer takes. */
    static void checkFeatures(String modelName, Network net, Dataset data, String dataName) {
        if (data.featureCount() != net.inputSize()) {
            throw new IllegalArgumentException(modelName + " takes " + net.inputSize() + " features per sample but --data "
                    + dataName + " has " + data.featureCount() + ADVICE);
        }
    }

    /**
     * Refuses the options that describe a network to build when a saved model is given instead
     * (diagnose and gradcheck take either).
     */
    static void rejectArchitectureOptions(CommandSpec spec) {
        for (String option : ARCHITECTURE_OPTIONS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " cannot be combined with --model: the model file "
                        + "fixes the architecture and the input scaling");
            }
        }
    }
}
