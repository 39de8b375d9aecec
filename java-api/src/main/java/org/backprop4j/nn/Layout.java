package org.backprop4j.nn;

import java.util.List;

/**
 * Where each layer's parameters sit in the one flat parameter array: layer by layer, the weights
 * {@code W (units, inputs)} row-major, then the biases {@code b (units)}. Gradients and optimizer
 * state use the same layout in parallel arrays.
 */
final class Layout {

    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int total;

    Layout(List<LayerSpec> layers) {
        weightOffsets = new int[layers.size()];
        biasOffsets = new int[layers.size()];
        long offset = 0;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            weightOffsets[i] = (int) offset;
            offset += (long) s.units() * s.inputs();
            biasOffsets[i] = (int) offset;
            offset += s.units();
            if (offset > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("the network has more than " + (Integer.MAX_VALUE - 16)
                        + " parameters (at layer " + (i + 1) + ": " + s + "); make the layers smaller");
            }
        }
        total = (int) offset;
    }

    int weightOffset(int layer) {
        return weightOffsets[layer];
    }

    int biasOffset(int layer) {
        return biasOffsets[layer];
    }

    int parameterCount() {
        return total;
    }
}
