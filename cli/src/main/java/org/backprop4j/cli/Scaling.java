package org.backprop4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Scaler;

/**
 * {@code --scale standard|minmax|none|divide:X}. The scaler is fitted on the training split only and
 * handed to the network as its input scaling, so the saved model takes raw features and the data
 * passed to fit stays raw (scaling it too would scale twice).
 */
final class Scaling {

    /** What {@link #fit} produced: per-feature offsets and scales, or both null for none. */
    record Fitted(String description, double[] offsets, double[] scales) {
        boolean none() {
            return offsets == null;
        }
    }

    private Scaling() {
    }

    /** Checks {@code spec} without data, so a typo fails before anything is loaded. */
    static void validate(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (!s.startsWith("divide:") && !List.of("standard", "standardize", "minmax", "min-max", "none").contains(s)) {
            throw unknown(spec);
        }
        if (s.startsWith("divide:")) {
            divisor(spec, s.substring("divide:".length()));
        }
    }

    /**
     * Fits {@code spec} on {@code train}.
     *
     * @throws IllegalArgumentException for an unknown spec, naming the accepted ones
     */
    static Fitted fit(String spec, Dataset train) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "standard":
            case "standardize":
                return of("standard (mean 0, std 1 on the training split)", Scaler.standardize(train), train);
            case "minmax":
            case "min-max":
                return of("minmax ([0, 1] on the training split)", Scaler.minMax(train), train);
            case "none":
                return new Fitted("none", null, null);
            default:
                break;
        }
        if (s.startsWith("divide:")) {
            String x = s.substring("divide:".length());
            return of("divide by " + x, Scaler.divideBy(divisor(spec, x)), train);
        }
        throw unknown(spec);
    }

    private static double divisor(String spec, String x) {
        double divisor;
        try {
            divisor = Double.parseDouble(x);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--scale " + spec + ": '" + x + "' is not a number; e.g. divide:16");
        }
        if (!(divisor > 0) || Double.isInfinite(divisor)) {
            throw new IllegalArgumentException("--scale " + spec + ": the divisor must be a positive number");
        }
        return divisor;
    }

    private static IllegalArgumentException unknown(String spec) {
        return new IllegalArgumentException("unknown --scale '" + spec + "': use standard, minmax, none or divide:X "
                + "(e.g. divide:16 for the digits' 0..16 pixels)");
    }

    private static Fitted of(String description, Scaler scaler, Dataset train) {
        int w = train.featureCount();
        double[] offsets = scaler.offsets();
        double[] scales = scaler.scales();
        if (scaler.isUniform()) {
            // The network wants one offset and scale per feature.
            offsets = filled(w, offsets[0]);
            scales = filled(w, scales[0]);
        }
        return new Fitted(description, offsets, scales);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }
}
