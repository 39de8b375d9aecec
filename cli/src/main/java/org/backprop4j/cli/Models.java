package org.backprop4j.cli;

import org.backprop4j.nn.Activation;
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
}
