package org.backprop4j.nn;

import java.util.Locale;

/**
 * Training losses. Each is fused with the output activation it belongs to, so the backward pass
 * starts from {@code dZ = P - Y} (scaled) without forming a Jacobian.
 */
public enum Loss {
    /**
     * {@code -mean(y log p + (1 - y) log(1 - p))} over every output; requires a {@link Activation#SIGMOID}
     * output. For two classes use one sigmoid unit; for independent yes/no outputs, one unit each.
     */
    BINARY_CROSS_ENTROPY("binary_cross_entropy", "bce"),
    /** {@code -(1/m) Σ Σ y log p}; requires a {@link Activation#SOFTMAX} output with one unit per class. */
    CATEGORICAL_CROSS_ENTROPY("categorical_cross_entropy", "cce"),
    /** {@code mean((a - y)²)} over every output; any element-wise output activation. */
    MEAN_SQUARED_ERROR("mean_squared_error", "mse");

    private final String id;
    private final String shortName;

    Loss(String id, String shortName) {
        this.id = id;
        this.shortName = shortName;
    }

    /** The lower-case name used on the command line and in model files. */
    public String id() {
        return id;
    }

    /**
     * Parses {@link #id()} or the short names {@code bce}, {@code cce}, {@code mse}
     * ({@code cross_entropy} means categorical).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Loss parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (key.equals("cross_entropy") || key.equals("ce")) {
            return CATEGORICAL_CROSS_ENTROPY;
        }
        for (Loss l : values()) {
            if (l.id.equals(key) || l.shortName.equals(key)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name
                + "': use binary_cross_entropy (bce), categorical_cross_entropy (cce) or mean_squared_error (mse)");
    }

    /** The natural loss for an output activation: softmax → CCE, sigmoid → BCE, anything else → MSE. */
    public static Loss defaultFor(Activation output) {
        switch (output) {
            case SOFTMAX: return CATEGORICAL_CROSS_ENTROPY;
            case SIGMOID: return BINARY_CROSS_ENTROPY;
            default: return MEAN_SQUARED_ERROR;
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
