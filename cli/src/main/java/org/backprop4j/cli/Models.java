package org.backprop4j.cli;

import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.LayerSpec;
import org.backprop4j.nn.Network;

/** What the commands need to know about a trained network beyond its API. */
final class Models {

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
        LayerSpec first = net.layers().get(0);
        LayerSpec last = net.layers().get(net.layers().size() - 1);
        String advice = ": give data shaped like the data the model was trained on";
        if (data.featureCount() != first.inputs()) {
            throw new IllegalArgumentException(modelName + " takes " + first.inputs() + " features per sample but --data "
                    + dataName + " has " + data.featureCount() + advice);
        }
        if (isClassifier(net) && data.hasClasses()) {
            int classes = last.activation() == Activation.SIGMOID && last.units() == 1 ? 2 : last.units();
            if (data.classCount() > classes) {
                throw new IllegalArgumentException(modelName + " tells apart " + classes + " classes (0 to " + (classes - 1)
                        + ") but --data " + dataName + " has " + data.classCount() + " classes" + advice);
            }
        } else if (!data.hasClasses() && data.targetWidth() != last.units()) {
            throw new IllegalArgumentException(modelName + " outputs " + last.units() + " value(s) per sample but --data "
                    + dataName + " has " + data.targetWidth() + " target(s)" + advice);
        }
    }
}
