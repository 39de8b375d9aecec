package org.backprop4j.nn;

/**
 * One dense layer: {@code units} outputs, each {@code activation(W·x + b)}, with {@code W} of shape
 * {@code (units, inputs)}.
 *
 * @param inputs     width of the layer's input
 * @param units      number of outputs
 * @param activation activation applied to {@code W·x + b}
 */
public record LayerSpec(int inputs, int units, Activation activation) {

    /** Number of weights, {@code units × inputs}. */
    public int weightCount() {
        return units * inputs;
    }

    /** Weights plus biases. */
    public int parameterCount() {
        return units * inputs + units;
    }

    @Override
    public String toString() {
        return "dense(" + inputs + " -> " + units + ", " + activation + ")";
    }
}
