package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.backprop4j.data.Dataset;

/**
 * Checks back-propagation against centred finite differences, in float64:
 * {@code (J(θ + ε) - J(θ - ε)) / 2ε} for each checked parameter, compared with the analytic
 * gradient per layer by the relative error {@code ‖num − ana‖ / (‖num‖ + ‖ana‖)}.
 *
 * <p>A correct implementation gives errors around 1e-9 or below; above 1e-7 something is wrong (or
 * a relu sits exactly on its kink). The network is copied to float64 first; the original is not
 * modified.
 *
 * <pre>{@code
 * GradientCheck.Report r = GradientCheck.builder().samples(16).build().run(net, data);
 * System.out.println(r);          // relative error per layer
 * assert r.passed();
 * }</pre>
 */
public final class GradientCheck {

    /** Default pass threshold on the relative error. */
    public static final double DEFAULT_THRESHOLD = 1e-7;

    private final double epsilon;
    private final int samples;
    private final int maxParametersPerLayer;
    private final double weightDecay;
    private final double threshold;
    private final long seed;

    private GradientCheck(Builder b) {
        this.epsilon = b.epsilon;
        this.samples = b.samples;
        this.maxParametersPerLayer = b.maxParametersPerLayer;
        this.weightDecay = b.weightDecay;
        this.threshold = b.threshold;
        this.seed = b.seed;
    }

    /** Defaults: ε = 1e-6, the first 32 samples, at most 200 weights and all biases per layer, threshold 1e-7. */
    public static Builder builder() {
        return new Builder();
    }

    /** The result for one layer. */
    public record LayerResult(int layer, String description, int checked, double weightError, double biasError,
                              double maxAbsDifference) {
        /** The larger of the weight and bias relative errors. */
        public double relativeError() {
            return Math.max(weightError, biasError);
        }
    }

    /** The per-layer results and the verdict. */
    public record Report(List<LayerResult> layers, double threshold, double epsilon, int samples) {
        /** True if every layer's relative error is below the threshold. */
        public boolean passed() {
            return maxRelativeError() < threshold;
        }

        /** The largest relative error over all layers. */
        public double maxRelativeError() {
            double max = 0;
            for (LayerResult r : layers) {
                max = Math.max(max, r.relativeError());
            }
            return max;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format("gradient check (float64, eps %.0e, %d samples)%n",
                    epsilon, samples));
            sb.append(String.format("%-6s %-32s %8s %12s %12s %12s%n", "layer", "shape", "checked", "rel err W",
                    "rel err b", "max |diff|"));
            for (LayerResult r : layers) {
                sb.append(String.format("%-6d %-32s %8d %12.3e %12.3e %12.3e%n", r.layer(), r.description(), r.checked(),
                        r.weightError(), r.biasError(), r.maxAbsDifference()));
            }
            sb.append(passed() ? "PASS" : "FAIL").append(String.format(": max relative error %.3e (threshold %.0e)",
                    maxRelativeError(), threshold));
            return sb.toString();
        }
    }

    /**
     * Runs the check of {@code network}'s gradients on the first samples of {@code data}.
     *
     * @throws IllegalArgumentException if the data does not fit the network
     */
    public Report run(Network network, Dataset data) {
        Network net = network.as(DType.FLOAT64);
        int rows = Math.min(samples, data.size());
        Dataset batch = data.select(range(rows));
        net.cost(batch); // validates the data against the network, with the usual messages
        Workspace ws = new Workspace(net.layers, DType.FLOAT64, rows, true);
        net.loadFeatures(batch, null, 0, rows, ws);
        net.loadTargets(batch, null, 0, rows, ws);

        Storage grads = Storage.allocate(DType.FLOAT64, net.parameterCount());
        net.forward(ws, rows, true);
        net.outputLoss(ws, rows, true);
        net.backward(ws, rows, grads);
        for (int l = 0; l < net.layers.size(); l++) {
            for (int i = 0, off = net.layout.weightOffset(l); i < net.layers.get(l).weightCount(); i++) {
                grads.d[off + i] += weightDecay * net.params.d[off + i];
            }
        }

        Random rng = new Random(seed);
        List<LayerResult> results = new ArrayList<>();
        for (int l = 0; l < net.layers.size(); l++) {
            LayerSpec s = net.layers.get(l);
            int[] weights = pick(s.weightCount(), rng);
            double[] wErr = compare(net, ws, rows, grads, net.layout.weightOffset(l), weights);
            double[] bErr = compare(net, ws, rows, grads, net.layout.biasOffset(l), range(s.units()));
            results.add(new LayerResult(l + 1, "dense " + s.inputs() + " -> " + s.units() + " " + s.activation(),
                    weights.length + s.units(), wErr[0], bErr[0], Math.max(wErr[1], bErr[1])));
        }
        return new Report(results, threshold, epsilon, rows);
    }

    /** Returns {relative error, max abs difference} over parameters {@code base + idx[i]}. */
    private double[] compare(Network net, Workspace ws, int rows, Storage grads, int base, int[] idx) {
        double diff2 = 0;
        double num2 = 0;
        double ana2 = 0;
        double maxAbs = 0;
        for (int i : idx) {
            int p = base + i;
            double saved = net.params.d[p];
            net.params.d[p] = saved + epsilon;
            double plus = cost(net, ws, rows);
            net.params.d[p] = saved - epsilon;
            double minus = cost(net, ws, rows);
            net.params.d[p] = saved;
            double numeric = (plus - minus) / (2 * epsilon);
            double analytic = grads.d[p];
            diff2 += (numeric - analytic) * (numeric - analytic);
            num2 += numeric * numeric;
            ana2 += analytic * analytic;
            maxAbs = Math.max(maxAbs, Math.abs(numeric - analytic));
        }
        double denominator = Math.sqrt(num2) + Math.sqrt(ana2);
        return new double[] {denominator == 0 ? 0 : Math.sqrt(diff2) / denominator, maxAbs};
    }

    private double cost(Network net, Workspace ws, int rows) {
        net.forward(ws, rows, true);
        double c = net.outputLoss(ws, rows, false);
        if (weightDecay > 0) {
            double sum = 0;
            for (int l = 0; l < net.layers.size(); l++) {
                for (int i = 0, off = net.layout.weightOffset(l); i < net.layers.get(l).weightCount(); i++) {
                    sum += net.params.d[off + i] * net.params.d[off + i];
                }
            }
            c += 0.5 * weightDecay * sum;
        }
        return c;
    }

    private int[] pick(int count, Random rng) {
        if (count <= maxParametersPerLayer) {
            return range(count);
        }
        int[] all = range(count);
        for (int i = 0; i < maxParametersPerLayer; i++) {
            int j = i + rng.nextInt(count - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, maxParametersPerLayer);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Builds a {@link GradientCheck}. */
    public static final class Builder {
        private double epsilon = 1e-6;
        private int samples = 32;
        private int maxParametersPerLayer = 200;
        private double weightDecay;
        private double threshold = DEFAULT_THRESHOLD;
        private long seed = 7;

        private Builder() {
        }

        /** The finite-difference step ε (default 1e-6). */
        public Builder epsilon(double epsilon) {
            if (!(epsilon > 0 && epsilon < 1)) {
                throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /** How many samples (the first ones of the data) form the batch (default 32). */
        public Builder samples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        /** Weights checked per layer, chosen at random with a fixed seed (default 200); biases are all checked. */
        public Builder maxParametersPerLayer(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxParametersPerLayer must be >= 1, got " + max);
            }
            this.maxParametersPerLayer = max;
            return this;
        }

        /** Checks the gradient of the cost including the L2 penalty {@code (λ/2)·ΣW²}. */
        public Builder weightDecay(double lambda) {
            if (!(lambda >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + lambda);
            }
            this.weightDecay = lambda;
            return this;
        }

        /** The relative error that fails the check (default 1e-7). */
        public Builder threshold(double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be a positive number, got " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /** Seed of the random choice of the weights checked in each layer (default 7). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Creates a {@link GradientCheck} with these settings. */
        public GradientCheck build() {
            return new GradientCheck(this);
        }
    }
}
