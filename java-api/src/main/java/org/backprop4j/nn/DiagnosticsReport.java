package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link Diagnostics} saw in one forward and backward pass: per-layer statistics of the
 * activations, gradients and weights, and the named {@link Finding findings} drawn from them (and
 * from a {@link TrainingHistory}, when one was given), each with its evidence and its fix.
 *
 * <pre>{@code
 * DiagnosticsReport r = Diagnostics.builder().optimizer(Optimizer.sgd(0.0075)).build().run(net, train);
 * System.out.println(r);                                   // the table, then the findings
 * if (r.has(DiagnosticsReport.Kind.VANISHING_GRADIENTS)) { ... }
 * }</pre>
 */
public final class DiagnosticsReport {

    /** How much a finding matters. */
    public enum Severity {
        /** Worth knowing; training may still work. */
        INFO,
        /** Likely slows or hurts training. */
        WARNING,
        /** Training cannot work well until this is fixed. */
        ERROR
    }

    /** The problems {@link Diagnostics} can name. */
    public enum Kind {
        /**
         * The signal dies out with depth: hidden activations shrink layer by layer, or the gradients
         * shrink by orders of magnitude towards the input. Typical cause: weights initialized too
         * small ({@code randn × 0.01}) in a deep network, or saturating sigmoid/tanh layers.
         */
        VANISHING_GRADIENTS,
        /** Activations or gradients grow by orders of magnitude with depth, or are not finite. */
        EXPLODING_GRADIENTS,
        /** One step changes the weights by a large share of their size, or the cost rose or diverged. */
        LEARNING_RATE_TOO_HIGH,
        /** Many relu units output 0 for every sample, so they get no gradient and never recover. */
        DEAD_RELUS,
        /** Sigmoid or tanh units sit at their asymptotes, where their derivative is almost 0. */
        SATURATED_OUTPUTS,
        /** The output activation and loss do not suit the labels (e.g. tanh with one-hot classes and MSE). */
        OUTPUT_LOSS_MISMATCH,
        /** The training cost fell by less than {@link Diagnostics#COST_DECREASE_MIN} over the run. */
        COST_NOT_DECREASING,
        /** The inputs, as the network sees them, are far from unit scale. */
        INPUTS_NOT_SCALED,
        /** Training accuracy far above validation accuracy, or validation cost rising while training cost falls. */
        OVERFITTING
    }

    /**
     * One named problem.
     *
     * @param kind     what it is
     * @param severity how much it matters
     * @param evidence the numbers that show it
     * @param fix      what to change, with the API call and the command-line option
     */
    public record Finding(Kind kind, Severity severity, String evidence, String fix) {
        @Override
        public String toString() {
            return severity + " " + kind + ": " + evidence + " Fix: " + fix;
        }
    }

    /**
     * Statistics of one dense layer over the diagnosed batch.
     *
     * @param layer             1-based layer number
     * @param description       e.g. {@code "dense 2 -> 25 relu"}
     * @param activation        the layer's activation
     * @param units             output units
     * @param activationMean    mean of the layer's outputs (probabilities for a softmax or sigmoid output)
     * @param activationStd     standard deviation of the layer's outputs
     * @param deadFraction      share of relu units that output 0 for every sample; NaN for other activations
     * @param saturatedFraction share of sigmoid/tanh units within {@link Diagnostics#SATURATION_MARGIN} of an
     *                          asymptote for most samples; NaN for other activations
     * @param weightNorm        {@code ‖W‖}, the Frobenius norm of the weights
     * @param gradientNorm      {@code ‖dW‖}, the Frobenius norm of the cost's gradient with respect to W
     * @param updateRatio       {@code ‖ΔW‖ / ‖W‖} of one optimizer step ({@code lr·‖dW‖/‖W‖} for SGD; healthy
     *                          around 1e-3); NaN when no optimizer or learning rate was given
     */
    public record LayerStats(int layer, String description, Activation activation, int units,
                             double activationMean, double activationStd, double deadFraction,
                             double saturatedFraction, double weightNorm, double gradientNorm, double updateRatio) {
        /** {@code ‖dW‖ / ‖W‖}. */
        public double gradientRatio() {
            return weightNorm == 0 ? Double.POSITIVE_INFINITY : gradientNorm / weightNorm;
        }

        /** Root mean square of the outputs, {@code √(mean² + std²)}. */
        public double activationRms() {
            return Math.sqrt(activationMean * activationMean + activationStd * activationStd);
        }
    }

    private final int samples;
    private final double cost;
    private final String optimizer;
    private final double inputMean;
    private final double inputStd;
    private final double inputMaxAbs;
    private final List<LayerStats> layers;
    private final List<Finding> findings;

    DiagnosticsReport(int samples, double cost, String optimizer, double inputMean, double inputStd,
                      double inputMaxAbs, List<LayerStats> layers, List<Finding> findings) {
        this.samples = samples;
        this.cost = cost;
        this.optimizer = optimizer;
        this.inputMean = inputMean;
        this.inputStd = inputStd;
        this.inputMaxAbs = inputMaxAbs;
        this.layers = List.copyOf(layers);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity).reversed());
        this.findings = List.copyOf(sorted);
    }

    /** Samples in the diagnosed batch. */
    public int samples() {
        return samples;
    }

    /** The data loss on the diagnosed batch (without an L2 penalty). */
    public double cost() {
        return cost;
    }

    /** The optimizer the update ratios were computed for, e.g. {@code "sgd(lr=0.0075)"}, or null. */
    public String optimizer() {
        return optimizer;
    }

    /** Mean of the inputs as the network sees them (after its input scaling). */
    public double inputMean() {
        return inputMean;
    }

    /** Standard deviation of the inputs as the network sees them. */
    public double inputStd() {
        return inputStd;
    }

    /** Largest absolute input as the network sees it. */
    public double inputMaxAbs() {
        return inputMaxAbs;
    }

    /** Per-layer statistics, input side first. */
    public List<LayerStats> layers() {
        return layers;
    }

    /** The findings, most severe first; empty if nothing looks wrong. */
    public List<Finding> findings() {
        return findings;
    }

    /** True if a finding of {@code kind} was made. */
    public boolean has(Kind kind) {
        return finding(kind).isPresent();
    }

    /** The finding of {@code kind}, if it was made. */
    public Optional<Finding> finding(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).findFirst();
    }

    /** The per-layer table alone. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        String format = "%-5s %-28s %9s %9s %6s %9s %9s %9s %9s %10s%n";
        sb.append(String.format(Locale.ROOT, format, "layer", "shape", "act mean", "act std", "dead", "saturated", "|W|",
                "|dW|", "|dW|/|W|", "update/|W|"));
        sb.append(String.format(Locale.ROOT, format, "input", "max |x| " + sci(inputMaxAbs), sci(inputMean),
                sci(inputStd), "", "", "", "", "", "").stripTrailing()).append(System.lineSeparator());
        for (LayerStats s : layers) {
            sb.append(String.format(Locale.ROOT, format, Integer.toString(s.layer()),
                    s.description(), sci(s.activationMean()), sci(s.activationStd()), percent(s.deadFraction()),
                    percent(s.saturatedFraction()), sci(s.weightNorm()), sci(s.gradientNorm()),
                    sci(s.gradientRatio()), sci(s.updateRatio())));
        }
        return sb.toString();
    }

    /** The findings alone, each with its evidence and fix, wrapped at 100 columns. */
    public String findingsText() {
        if (findings.isEmpty()) {
            return "findings: none; nothing in these statistics looks wrong";
        }
        StringBuilder sb = new StringBuilder("findings (most severe first):");
        for (Finding f : findings) {
            sb.append(System.lineSeparator()).append(String.format(Locale.ROOT, "%-7s %s", f.severity(), f.kind()));
            wrap(sb, "evidence: " + f.evidence());
            wrap(sb, "fix: " + f.fix());
        }
        return sb.toString();
    }

    /** One line for a trend over training: cost, smallest and largest update ratio, dead and saturated units. */
    public String summaryLine() {
        double minUpdate = Double.NaN;
        double maxUpdate = Double.NaN;
        double minGrad = Double.POSITIVE_INFINITY;
        double maxGrad = 0;
        for (LayerStats s : layers) {
            if (!Double.isNaN(s.updateRatio())) {
                minUpdate = Double.isNaN(minUpdate) ? s.updateRatio() : Math.min(minUpdate, s.updateRatio());
                maxUpdate = Double.isNaN(maxUpdate) ? s.updateRatio() : Math.max(maxUpdate, s.updateRatio());
            }
            minGrad = Math.min(minGrad, s.gradientRatio());
            maxGrad = Math.max(maxGrad, s.gradientRatio());
        }
        return String.format(Locale.ROOT, "cost %.6f  |dW|/|W| %s..%s  update/|W| %s..%s  findings %s", cost,
                sci(minGrad), sci(maxGrad), sci(minUpdate), sci(maxUpdate),
                findings.isEmpty() ? "none" : String.join(",", findings.stream().map(f -> f.kind().name()).toList()));
    }

    /** The table, then the findings. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "diagnostics on %d samples (float64 forward and backward pass), cost %.6f%s%n",
                samples, cost, optimizer == null ? "" : ", updates for " + optimizer) + table() + findingsText();
    }

    private static void wrap(StringBuilder sb, String text) {
        String indent = "        ";
        int width = 100 - indent.length();
        String nl = System.lineSeparator();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + width);
            if (end < text.length()) {
                int space = text.lastIndexOf(' ', end);
                if (space > start) {
                    end = space;
                }
            }
            sb.append(nl).append(indent).append(text, start, end);
            start = end;
            while (start < text.length() && text.charAt(start) == ' ') {
                start++;
            }
        }
    }

    static String sci(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
