package org.backprop4j.nn;

import java.util.List;

/**
 * The activation and gradient buffers of one forward/backward pass over at most {@link #capacity}
 * samples. Sized once, so a training step allocates nothing.
 */
final class Workspace {

    final int capacity;
    /** Input batch {@code (capacity, inputs)}. */
    final Storage x;
    /** Targets {@code (capacity, outputs)}. */
    final Storage y;
    /** Per layer, its output {@code A (capacity, units)}; the output layer holds probabilities after a fused loss. */
    final Storage[] a;
    /** Per layer, the gradient of the cost with respect to its pre-activation {@code dZ (capacity, units)}. */
    final Storage[] dz;

    Workspace(List<LayerSpec> layers, DType dtype, int capacity, boolean withGradients) {
        this.capacity = capacity;
        this.x = Storage.allocate(dtype, Math.multiplyExact(capacity, layers.get(0).inputs()));
        int outputs = layers.get(layers.size() - 1).units();
        this.y = Storage.allocate(dtype, Math.multiplyExact(capacity, outputs));
        this.a = new Storage[layers.size()];
        this.dz = new Storage[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            int n = Math.multiplyExact(capacity, layers.get(i).units());
            a[i] = Storage.allocate(dtype, n);
            dz[i] = withGradients ? Storage.allocate(dtype, n) : null;
        }
    }

    /** Bytes a workspace of {@code capacity} rows needs, for early out-of-memory messages. */
    static long bytesNeeded(List<LayerSpec> layers, DType dtype, long capacity, boolean withGradients) {
        long elements = capacity * (layers.get(0).inputs() + layers.get(layers.size() - 1).units());
        for (LayerSpec s : layers) {
            elements += capacity * s.units() * (withGradients ? 2 : 1);
        }
        return elements * dtype.bytes();
    }
}
