package org.backprop4j.nn;

/**
 * Element-wise activation functions of a dense layer.
 *
 * <p>Derivatives are taken from the forward <em>output</em> {@code a = g(z)}, so a layer only keeps
 * its activations, never its pre-activations. That is possible for every function here because
 * each one is monotonic: relu and leaky relu have {@code a > 0} exactly when {@code z > 0}, and
 * sigmoid and tanh have derivatives that are polynomials of their output.
 *
 * <p>{@link #SOFTMAX} is not element-wise: it is allowed only as the output activation and only
 * together with {@link Loss#CATEGORICAL_CROSS_ENTROPY}, whose fused backward pass never forms the
 * softmax Jacobian.
 */
public enum Activation {
    /** {@code g(z) = z}. */
    IDENTITY("identity"),
    /** {@code g(z) = max(0, z)}; derivative 0 at and below zero. */
    RELU("relu"),
    /** {@code g(z) = z} for {@code z > 0}, else {@link #LEAKY_RELU_SLOPE}{@code · z}. */
    LEAKY_RELU("leaky_relu"),
    /** {@code g(z) = 1 / (1 + e^-z)}. */
    SIGMOID("sigmoid"),
    /** {@code g(z) = tanh(z)}. */
    TANH("tanh"),
    /** Row-wise {@code g(z)_j = e^{z_j} / Σ_k e^{z_k}}; output layer with categorical cross-entropy only. */
    SOFTMAX("softmax");

    /** The negative-side slope of {@link #LEAKY_RELU} (PyTorch's default). */
    public static final double LEAKY_RELU_SLOPE = 0.01;

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** The lower-case name used on the command line and in model files, e.g. {@code "leaky_relu"}. */
    public String id() {
        return id;
    }

    /** True for the functions that act on each element alone (all but {@link #SOFTMAX}). */
    public boolean isElementwise() {
        return this != SOFTMAX;
    }

    /**
     * Parses a name as written by {@link #id()}, case-insensitive; {@code "leakyrelu"} and
     * {@code "linear"} are accepted too.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Activation parse(String name) {
        String key = name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        switch (key) {
            case "leakyrelu": return LEAKY_RELU;
            case "linear": case "none": return IDENTITY;
            default: break;
        }
        for (Activation a : values()) {
            if (a.id.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "': use one of identity, relu, leaky_relu, sigmoid, tanh, softmax");
    }

    @Override
    public String toString() {
        return id;
    }
}
