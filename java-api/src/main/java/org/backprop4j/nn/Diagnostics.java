package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.DiagnosticsReport.Finding;
import org.backprop4j.nn.DiagnosticsReport.Kind;
import org.backprop4j.nn.DiagnosticsReport.LayerStats;
import org.backprop4j.nn.DiagnosticsReport.Severity;

/**
 * Answers "why doesn't my cost go down?": one forward and backward pass over a sample of the data,
 * in float64, measures per layer the activations (mean, standard deviation, dead relus, saturated
 * sigmoid/tanh units), the gradient and weight norms and, given the optimizer, the size of one
 * update relative to the weights; then names what looks wrong, with the evidence and the fix.
 * Given a {@link TrainingHistory}, it also judges the cost curve (not decreasing, rising, diverged)
 * and the train-versus-validation gap (over-fitting).
 *
 * <pre>{@code
 * DiagnosticsReport report = Diagnostics.builder()
 *         .optimizer(Optimizer.sgd(0.0075))     // for the update/weight ratios
 *         .build()
 *         .run(net, train, history);            // history may be null
 * System.out.println(report);
 * }</pre>
 *
 * <p>The network is copied to float64 first; the original is not modified. To watch a network
 * while it trains, add a {@link DiagnosticsListener}.
 *
 * <p>The thresholds below are rules of thumb, not laws; each says why it was chosen.
 */
public final class Diagnostics {

    /** Default number of samples in the diagnosed batch: enough for stable statistics, cheap for any network. */
    public static final int DEFAULT_SAMPLES = 512;

    /**
     * Hidden activations whose root mean square shrinks on average by this factor or more per hidden
     * layer (and by {@link #ACTIVATION_SHRINK_TOTAL} over the hidden stack) mean the signal is dying
     * with depth. A relu layer of n inputs with weights of standard deviation σ scales the RMS by about
     * {@code σ·√(n/2)}: about 1 with He initialization, 0.6 to 0.9 with Xavier's or {@code randn/√n},
     * but 0.035 to 0.05 with {@code randn × 0.01} for n = 25 to 50.
     */
    public static final double ACTIVATION_SHRINK_PER_LAYER = 0.25;

    /** The hidden stack as a whole must lose an order of magnitude of signal to call it vanishing. */
    public static final double ACTIVATION_SHRINK_TOTAL = 0.1;

    /** The mirror image of {@link #ACTIVATION_SHRINK_PER_LAYER}: a four-fold growth per hidden layer is exploding. */
    public static final double ACTIVATION_GROWTH_PER_LAYER = 4;

    /** The mirror image of {@link #ACTIVATION_SHRINK_TOTAL}. */
    public static final double ACTIVATION_GROWTH_TOTAL = 10;

    /**
     * {@code ‖dW‖/‖W‖} of the first layer below this share (1%) of the last layer's means the
     * gradients vanish on their way back to the input (deep sigmoid networks: each layer multiplies
     * them by at most {@code 0.25·‖W‖}).
     */
    public static final double GRADIENT_SHRINK = 1e-2;

    /** {@code ‖dW‖/‖W‖} of the first layer above this multiple (100) of the last layer's: exploding. */
    public static final double GRADIENT_GROWTH = 1e2;

    /**
     * The update/weight ratio of a healthy step (Karpathy, CS231n "Babysitting the learning
     * process"): each step changes the weights by about a thousandth of their size.
     */
    public static final double HEALTHY_UPDATE_RATIO = 1e-3;

    /**
     * One step that changes a layer's weights by more than 10% of their norm overshoots: 100 times
     * the healthy ratio. (Adam's first steps move every weight by about the learning rate, which
     * stays well below this for the usual rates.)
     */
    public static final double UPDATE_RATIO_TOO_HIGH = 1e-1;

    /** Updates below this (a thousandth of the healthy ratio) are too small for training to move in any reasonable time. */
    public static final double UPDATE_RATIO_TOO_LOW = 1e-6;

    /**
     * A relu layer with this share (half) of its units dead has lost most of its capacity; a few
     * dead units (10-20%) are normal.
     */
    public static final double DEAD_FRACTION = 0.5;

    /** A sigmoid output within this distance of 0 or 1 (tanh: of ±1) is saturated: its derivative is below 0.02. */
    public static final double SATURATION_MARGIN = 0.01;

    /** A unit counts as saturated if it is saturated for at least this share (90%) of the samples, "most of them". */
    public static final double SATURATED_SAMPLE_SHARE = 0.9;

    /** A sigmoid/tanh layer with this share (half) of its units saturated learns mostly through the other half. */
    public static final double SATURATED_FRACTION = 0.5;

    /**
     * A run whose training cost fell by less than 10% from its first step to its end (the mean of
     * its last tenth of steps) is stuck: the course's 0.693 → 0.645 over 1000 iterations is 7%.
     */
    public static final double COST_DECREASE_MIN = 0.10;

    /** Runs shorter than this many steps are too short to call the cost stuck. */
    public static final int COST_MIN_ITERATIONS = 20;

    /** The cost rising by more than 10% over a run means the steps overshoot. */
    public static final double COST_RISE = 0.10;

    /**
     * A feature whose root mean square (as the network sees it) exceeds 5 is not scaled:
     * standardized features have RMS 1, pixels divided by 255 at most 1; raw pixels reach 100+.
     */
    public static final double INPUT_RMS_LIMIT = 5;

    private final int samples;
    private final Optimizer optimizer;
    private final long seed;

    private Diagnostics(int samples, Optimizer optimizer, long seed) {
        this.samples = samples;
        this.optimizer = optimizer;
        this.seed = seed;
    }

    /** Defaults: {@link #DEFAULT_SAMPLES} samples, no optimizer (no update ratios), seed 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The optimizer the update ratios are computed for, or null. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Samples in the diagnosed batch (fewer if the data has fewer). */
    public int samples() {
        return samples;
    }

    /**
     * Diagnoses {@code network} on a sample of {@code data}, without a training history.
     *
     * @throws IllegalArgumentException if the data does not fit the network (the usual messages)
     */
    public DiagnosticsReport run(Network network, Dataset data) {
        return run(network, data, null);
    }

    /**
     * Diagnoses {@code network} on a sample of {@code data}: the per-layer statistics and the
     * findings, including those drawn from {@code history}.
     *
     * @param data    a random sample of {@link #samples()} rows (seeded) is used; typically the training set
     * @param history the run so far, or null
     * @throws IllegalArgumentException if the data does not fit the network (the usual messages)
     */
    public DiagnosticsReport run(Network network, Dataset data, TrainingHistory history) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(data, "data");
        Network net = network.as(DType.FLOAT64);
        Dataset batch = sample(data);
        int rows = batch.size();
        net.cost(batch); // validates the data against the network, with the usual messages

        Workspace ws = new Workspace(net.layers, DType.FLOAT64, rows, true);
        net.loadFeatures(batch, null, 0, rows, ws);
        net.loadTargets(batch, null, 0, rows, ws);
        net.forward(ws, rows, true);
        double cost = net.outputLoss(ws, rows, true);
        Storage grads = Storage.allocate(DType.FLOAT64, net.parameterCount());
        net.backward(ws, rows, grads);

        Pass pass = new Pass(net, batch, ws, rows, grads.d);
        List<Finding> findings = new ArrayList<>();
        pass.outputLossMismatch(findings);
        pass.inputsNotScaled(findings);
        pass.vanishingOrExploding(findings);
        pass.deadRelus(findings);
        pass.saturated(findings);
        pass.learningRate(findings, history);
        if (history != null) {
            costNotDecreasing(history, pass, findings);
            history.overfitting().ifPresent(why -> findings.add(new Finding(Kind.OVERFITTING, Severity.WARNING,
                    why + ".", "stop at the best epoch with early stopping (TrainingConfig.Builder.earlyStopping(5), "
                    + "--early-stopping 5), add L2 weight decay (weightDecay(1e-4), --weight-decay 1e-4), or use a "
                    + "smaller network or more data.")));
        }
        return new DiagnosticsReport(rows, cost, optimizer == null ? null : optimizer.toString(), pass.inputMean,
                pass.inputStd, pass.inputMaxAbs, pass.stats, findings);
    }

    /** This diagnosis with the optimizer's learning rate replaced (for schedules); package-private for the listener. */
    Diagnostics withLearningRate(double lr) {
        if (optimizer == null || !(lr > 0) || lr == optimizer.learningRate()) {
            return this;
        }
        Optimizer o;
        if (optimizer instanceof Optimizer.Sgd) {
            o = new Optimizer.Sgd(lr);
        } else if (optimizer instanceof Optimizer.Momentum) {
            Optimizer.Momentum m = (Optimizer.Momentum) optimizer;
            o = new Optimizer.Momentum(lr, m.mu(), m.nesterov());
        } else if (optimizer instanceof Optimizer.Adam) {
            Optimizer.Adam a = (Optimizer.Adam) optimizer;
            o = new Optimizer.Adam(lr, a.beta1(), a.beta2(), a.epsilon());
        } else {
            Optimizer.RmsProp r = (Optimizer.RmsProp) optimizer;
            o = new Optimizer.RmsProp(lr, r.rho(), r.epsilon());
        }
        return new Diagnostics(samples, o, seed);
    }

    private Dataset sample(Dataset data) {
        int n = data.size();
        if (n <= samples) {
            return data;
        }
        // A seeded partial Fisher-Yates: data sets are often sorted by class, so the first rows would not do.
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < samples; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] picked = java.util.Arrays.copyOf(all, samples);
        java.util.Arrays.sort(picked);
        return data.select(picked);
    }

    private void costNotDecreasing(TrainingHistory history, Pass pass, List<Finding> findings) {
        double[] costs = history.iterationCosts();
        if (history.diverged() || costs.length < COST_MIN_ITERATIONS) {
            return;
        }
        double first = costs[0];
        int tail = Math.max(1, costs.length / 10);
        double last = 0;
        for (int i = costs.length - tail; i < costs.length; i++) {
            last += costs[i] / tail;
        }
        if (!(first > 0) || !Double.isFinite(last)) {
            return;
        }
        double decrease = (first - last) / first;
        if (decrease >= COST_DECREASE_MIN || last > first * (1 + COST_RISE)) {
            return; // learning, or rising (LEARNING_RATE_TOO_HIGH covers that)
        }
        String evidence = String.format(Locale.ROOT, "the training cost went from %.4f to %.4f (%.1f%% lower) over %d "
                        + "iterations; a learning network lowers it by far more than %.0f%%.", first, last, 100 * decrease,
                costs.length, 100 * COST_DECREASE_MIN);
        String fix;
        // The most severe finding so far (the first of equals, in the order causes were checked).
        Finding cause = findings.stream().max(java.util.Comparator.comparing(Finding::severity)).orElse(null);
        if (cause != null) {
            fix = "the cause is most likely " + cause.kind() + " (above): " + cause.fix();
        } else if (!Double.isNaN(pass.maxUpdate) && pass.maxUpdate < HEALTHY_UPDATE_RATIO / 10) {
            fix = String.format(Locale.ROOT, "the steps are small (update/|W| at most %.1e, healthy about %.0e): raise "
                    + "the learning rate about %.0f-fold, or use Adam (Optimizer.adam(1e-3), --optimizer adam).",
                    pass.maxUpdate, HEALTHY_UPDATE_RATIO, Math.min(1000, HEALTHY_UPDATE_RATIO / pass.maxUpdate));
        } else {
            fix = "raise the learning rate (try 10 times larger) or use Adam (Optimizer.adam(1e-3), --optimizer adam), "
                    + "train longer; if it still does not move, check back-propagation with GradientCheck "
                    + "(backprop4j gradcheck).";
        }
        findings.add(new Finding(Kind.COST_NOT_DECREASING, decrease < COST_DECREASE_MIN / 10 ? Severity.ERROR
                : Severity.WARNING, evidence, fix));
    }

    /** The statistics of one forward and backward pass, and the findings drawn from them alone. */
    private final class Pass {
        final Network net;
        final Dataset batch;
        final Workspace ws;
        final int rows;
        final double[] grads;
        final List<LayerStats> stats = new ArrayList<>();
        /** Per layer, the RMS of the outputs of live units (relu: not dead), or NaN if none is alive. */
        final double[] liveRms;
        final double[] gradientRatio;
        double inputMean;
        double inputStd;
        double inputMaxAbs;
        int worstFeature;
        double worstFeatureRms;
        double maxUpdate = Double.NaN;
        int maxUpdateLayer = -1;
        boolean nonFinite;

        Pass(Network net, Dataset batch, Workspace ws, int rows, double[] grads) {
            this.net = net;
            this.batch = batch;
            this.ws = ws;
            this.rows = rows;
            this.grads = grads;
            int layers = net.layers.size();
            this.liveRms = new double[layers];
            this.gradientRatio = new double[layers];
            measureInputs();
            for (int l = 0; l < layers; l++) {
                measureLayer(l);
            }
        }

        private void measureInputs() {
            int width = net.inputSize();
            double[] x = ws.x.d;
            double sum = 0;
            double sumSq = 0;
            worstFeature = 0;
            worstFeatureRms = -1;
            for (int j = 0; j < width; j++) {
                double fSq = 0;
                for (int r = 0; r < rows; r++) {
                    double v = x[r * width + j];
                    sum += v;
                    sumSq += v * v;
                    fSq += v * v;
                    inputMaxAbs = Math.max(inputMaxAbs, Math.abs(v));
                }
                double rms = Math.sqrt(fSq / rows);
                if (rms > worstFeatureRms) {
                    worstFeatureRms = rms;
                    worstFeature = j;
                }
            }
            double n = (double) rows * width;
            inputMean = sum / n;
            inputStd = Math.sqrt(Math.max(0, sumSq / n - inputMean * inputMean));
        }

        private void measureLayer(int l) {
            LayerSpec s = net.layers.get(l);
            int units = s.units();
            double[] a = ws.a[l].d;
            Activation act = s.activation();
            double sum = 0;
            double sumSq = 0;
            int dead = 0;
            int saturated = 0;
            double liveSq = 0;
            int live = 0;
            for (int u = 0; u < units; u++) {
                boolean allZero = true;
                int saturatedSamples = 0;
                double unitSq = 0;
                for (int r = 0; r < rows; r++) {
                    double v = a[r * units + u];
                    sum += v;
                    sumSq += v * v;
                    unitSq += v * v;
                    if (!Double.isFinite(v)) {
                        nonFinite = true;
                    }
                    if (v != 0) {
                        allZero = false;
                    }
                    if (act == Activation.SIGMOID ? v <= SATURATION_MARGIN || v >= 1 - SATURATION_MARGIN
                            : act == Activation.TANH && Math.abs(v) >= 1 - SATURATION_MARGIN) {
                        saturatedSamples++;
                    }
                }
                if (act == Activation.RELU && allZero) {
                    dead++;
                } else {
                    live++;
                    liveSq += unitSq;
                }
                if (saturatedSamples >= SATURATED_SAMPLE_SHARE * rows) {
                    saturated++;
                }
            }
            double n = (double) rows * units;
            double mean = sum / n;
            double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
            liveRms[l] = live == 0 ? Double.NaN : Math.sqrt(liveSq / ((double) rows * live));

            int wOff = net.layout.weightOffset(l);
            double w2 = 0;
            double g2 = 0;
            for (int i = wOff, end = wOff + s.weightCount(); i < end; i++) {
                double w = net.params.d[i];
                double g = grads[i];
                w2 += w * w;
                g2 += g * g;
                if (!Double.isFinite(g)) {
                    nonFinite = true;
                }
            }
            double wNorm = Math.sqrt(w2);
            double gNorm = Math.sqrt(g2);
            gradientRatio[l] = wNorm == 0 ? Double.POSITIVE_INFINITY : gNorm / wNorm;
            double update = updateNorm(wOff, s.weightCount(), gNorm);
            double updateRatio = Double.isNaN(update) ? Double.NaN : wNorm == 0 ? Double.POSITIVE_INFINITY : update / wNorm;
            if (!Double.isNaN(updateRatio) && (Double.isNaN(maxUpdate) || updateRatio > maxUpdate)) {
                maxUpdate = updateRatio;
                maxUpdateLayer = l;
            }
            boolean saturates = act == Activation.SIGMOID || act == Activation.TANH;
            stats.add(new LayerStats(l + 1, "dense " + s.inputs() + " -> " + units + " " + act, act, units, mean, std,
                    act == Activation.RELU ? (double) dead / units : Double.NaN,
                    saturates ? (double) saturated / units : Double.NaN, wNorm, gNorm, updateRatio));
        }

        /**
         * The norm of one optimizer step on these weights: SGD {@code lr·‖g‖}; momentum its steady
         * step for a constant gradient, {@code lr·‖g‖/(1−μ)}; Adam and RMSProp about {@code lr} per
         * weight with a non-zero gradient ({@code lr·g/(|g|+ε)}).
         */
        private double updateNorm(int off, int count, double gNorm) {
            if (optimizer == null) {
                return Double.NaN;
            }
            double lr = optimizer.learningRate();
            if (optimizer instanceof Optimizer.Sgd) {
                return lr * gNorm;
            }
            if (optimizer instanceof Optimizer.Momentum) {
                return lr * gNorm / (1 - ((Optimizer.Momentum) optimizer).mu());
            }
            double eps = optimizer instanceof Optimizer.Adam ? ((Optimizer.Adam) optimizer).epsilon()
                    : ((Optimizer.RmsProp) optimizer).epsilon();
            double sq = 0;
            for (int i = off, end = off + count; i < end; i++) {
                double step = lr * grads[i] / (Math.abs(grads[i]) + eps);
                sq += step * step;
            }
            return Math.sqrt(sq);
        }

        private int hiddenLayers() {
            return net.layers.size() - 1;
        }

        private Activation outputActivation() {
            return net.layers.get(net.layers.size() - 1).activation();
        }

        void outputLossMismatch(List<Finding> findings) {
            Activation out = outputActivation();
            int outputs = net.outputSize();
            Loss loss = net.loss;
            if (batch.hasClasses()) {
                int k = batch.classCount();
                boolean binary = k <= 2 && outputs == 1;
                String right = binary ? "use dense(1, SIGMOID) with binary cross-entropy (--output sigmoid without "
                        + "--loss: binary cross-entropy is its default): its output is the probability of class 1"
                        : "use dense(" + Math.max(k, outputs) + ", SOFTMAX) with categorical cross-entropy (--output "
                        + "softmax without --loss: categorical cross-entropy is its default): it outputs one probability "
                        + "per class and its gradient is simply P - Y";
                String labels = binary ? "the labels are 2 classes (targets 0 and 1)"
                        : "the labels are " + k + " classes (one-hot targets of 0s and a 1)";
                if (out == Activation.TANH || out == Activation.IDENTITY || out == Activation.RELU
                        || out == Activation.LEAKY_RELU) {
                    String why = out == Activation.TANH ? "tanh outputs lie in (-1, 1) and are not probabilities; with "
                            + "mean squared error the wrong classes' units get weak gradients that vanish as tanh saturates"
                            : out == Activation.IDENTITY ? "identity outputs are unbounded scores, not probabilities, and "
                            + "mean squared error wastes the gradient on pushing scores to exactly 0 and 1"
                            : "relu outputs are 0 for every negative score, so a unit stuck at 0 gets no gradient at all";
                    findings.add(new Finding(Kind.OUTPUT_LOSS_MISMATCH, Severity.ERROR, "the output layer is " + out
                            + " with " + loss + " but " + labels + ": " + why + ".", right + "."));
                } else if (out == Activation.SIGMOID && loss == Loss.MEAN_SQUARED_ERROR) {
                    findings.add(new Finding(Kind.OUTPUT_LOSS_MISMATCH, binary ? Severity.WARNING : Severity.ERROR,
                            "the output is sigmoid with mean squared error but " + labels + ": the squared error's "
                                    + "gradient is multiplied by p(1-p), which vanishes exactly when a prediction is "
                                    + "confidently wrong" + (binary ? "" : ", and independent sigmoids do not compete for "
                                    + "one class") + ".", right + "."));
                }
                return;
            }
            // Regression: can the output reach the targets at all?
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < outputs; c++) {
                    double t = batch.target(r, c);
                    lo = Math.min(lo, t);
                    hi = Math.max(hi, t);
                }
            }
            String range = null;
            if (out == Activation.SIGMOID && (lo < 0 || hi > 1)) {
                range = "(0, 1)";
            } else if (out == Activation.TANH && (lo < -1 || hi > 1)) {
                range = "(-1, 1)";
            } else if (out == Activation.RELU && lo < 0) {
                range = "[0, +inf)";
            } else if (out == Activation.SOFTMAX && (lo < 0 || hi > 1)) {
                range = "(0, 1), summing to 1 over the outputs";
            }
            if (range != null) {
                findings.add(new Finding(Kind.OUTPUT_LOSS_MISMATCH, Severity.ERROR, String.format(Locale.ROOT,
                        "the regression targets range over [%s, %s] but a %s output only reaches %s.", number(lo),
                        number(hi), out, range), "use an identity output for unbounded targets (dense(" + outputs + ", IDENTITY) with "
                        + "mean squared error, --output identity), or scale the targets into the output's range."));
            }
        }

        void inputsNotScaled(List<Finding> findings) {
            if (!(worstFeatureRms > INPUT_RMS_LIMIT)) {
                return;
            }
            String evidence = String.format(Locale.ROOT, "as the network sees them, the inputs have mean %.3g and "
                            + "standard deviation %.3g, values up to %.4g; feature %d has root mean square %.4g (scaled "
                            + "inputs have about 1)%s.", inputMean, inputStd, inputMaxAbs, worstFeature, worstFeatureRms,
                    net.hasInputScaling() ? ", even after the network's input scaling" : ", and the network does not scale "
                            + "them");
            String fix = net.hasInputScaling()
                    ? "check the input scaling: fit it on the training data (NetworkBuilder.inputScaling(Scaler"
                    + ".standardize(train)), --scale standard)."
                    : "standardize the inputs (NetworkBuilder.inputScaling(Scaler.standardize(train)), --scale standard), "
                    + "or divide pixels by 255 (Scaler.divideBy(255), --scale divide:255); large inputs make large "
                    + "first-layer gradients and saturate sigmoid/tanh units.";
            findings.add(new Finding(Kind.INPUTS_NOT_SCALED, worstFeatureRms > 100 * INPUT_RMS_LIMIT / 5
                    ? Severity.ERROR : Severity.WARNING, evidence, fix));
        }

        void vanishingOrExploding(List<Finding> findings) {
            int last = net.layers.size() - 1;
            if (nonFinite) {
                findings.add(new Finding(Kind.EXPLODING_GRADIENTS, Severity.ERROR, "some activations or gradients are "
                        + "NaN or infinite.", "lower the learning rate (10 times), scale the inputs (--scale standard), and "
                        + "initialize with He (relu) or Xavier (tanh/sigmoid) scale (--init he_normal)."));
                return;
            }
            if (hiddenLayers() < 2) {
                return;
            }
            // The signal through the hidden stack: the mean factor per hidden layer.
            int hidden = hiddenLayers();
            double firstRms = liveRms[0];
            double lastRms = liveRms[hidden - 1];
            double total = lastRms / firstRms;
            double perLayer = Math.pow(total, 1.0 / (hidden - 1));
            boolean shrinks = perLayer < ACTIVATION_SHRINK_PER_LAYER && total < ACTIVATION_SHRINK_TOTAL;
            boolean grows = perLayer > ACTIVATION_GROWTH_PER_LAYER && total > ACTIVATION_GROWTH_TOTAL;
            double gradShrink = gradientRatio[0] / gradientRatio[last];
            Activation hiddenAct = dominantHiddenActivation();
            boolean relu = hiddenAct == Activation.RELU || hiddenAct == Activation.LEAKY_RELU;
            String smallInit = weightScaleEvidence();

            if (shrinks || gradShrink < GRADIENT_SHRINK) {
                StringBuilder ev = new StringBuilder();
                if (shrinks) {
                    ev.append("the hidden activations collapse towards 0 layer by layer: root mean square ")
                            .append(rmsChain(hidden)).append(String.format(Locale.ROOT,
                                    " (layer %d's is %.1e of layer 1's, a factor %.2g per layer)",
                                    hidden, lastRms / firstRms, perLayer));
                }
                if (gradShrink < GRADIENT_SHRINK) {
                    ev.append(ev.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                            "the gradients shrink towards the input: |dW|/|W| is %.2e in layer 1 but %.2e in layer %d",
                            gradientRatio[0], gradientRatio[last], last + 1));
                }
                LayerStats out = stats.get(last);
                if (out.activationStd() < 1e-4 * Math.max(1e-3, Math.abs(out.activationMean()))) {
                    ev.append(String.format(Locale.ROOT, "; the output is practically the same for every sample "
                            + "(mean %.4g, standard deviation %.1e)", out.activationMean(), out.activationStd()));
                }
                ev.append(String.format(Locale.ROOT, ". Gradients |dW| range from %.2e to %.2e",
                        minGradient(), maxGradient()));
                if (!Double.isNaN(maxUpdate)) {
                    ev.append(String.format(Locale.ROOT, " and one step changes the weights by at most %.1e of their "
                            + "size (healthy: about %.0e)", maxUpdate, HEALTHY_UPDATE_RATIO));
                }
                ev.append(smallInit == null ? "." : "; " + smallInit + ".");
                String fix = relu
                        ? "use He initialization (Initializer.HE_NORMAL, --init he_normal): weights of scale "
                        + "sqrt(2/n_in) keep the activations' size from layer to layer in a relu network."
                        : "use relu hidden layers with He initialization (--activation relu --init he_normal), or "
                        + "Xavier initialization (Initializer.XAVIER_UNIFORM, --init xavier_uniform) for tanh/sigmoid "
                        + "layers; with sigmoid hidden layers, fewer layers or tanh also help.";
                double severityMeasure = Math.min(shrinks ? total : 1, gradShrink);
                findings.add(new Finding(Kind.VANISHING_GRADIENTS, severityMeasure < 1e-3 ? Severity.ERROR
                        : Severity.WARNING, ev.toString(), fix));
            } else if (grows || gradShrink > GRADIENT_GROWTH) {
                StringBuilder ev = new StringBuilder();
                if (grows) {
                    ev.append("the hidden activations grow layer by layer: root mean square ").append(rmsChain(hidden))
                            .append(String.format(Locale.ROOT, " (a factor %.2g per layer)", perLayer));
                }
                if (gradShrink > GRADIENT_GROWTH) {
                    ev.append(ev.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                            "the gradients grow towards the input: |dW|/|W| is %.2e in layer 1 but %.2e in layer %d",
                            gradientRatio[0], gradientRatio[last], last + 1));
                }
                ev.append('.');
                findings.add(new Finding(Kind.EXPLODING_GRADIENTS, Severity.ERROR, ev.toString(),
                        "initialize with He (relu, Initializer.HE_NORMAL, --init he_normal) or Xavier (tanh/sigmoid, "
                                + "--init xavier_uniform) scale rather than larger weights, lower the learning rate, "
                                + "and scale the inputs (--scale standard)."));
            }
        }

        void deadRelus(List<Finding> findings) {
            StringBuilder ev = new StringBuilder();
            double worst = 0;
            for (LayerStats s : stats) {
                if (s.layer() - 1 < hiddenLayers() && s.deadFraction() >= DEAD_FRACTION) {
                    ev.append(ev.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                            "layer %d: %d of %d relu units (%.0f%%) output 0 for every one of the %d samples",
                            s.layer(), Math.round(s.deadFraction() * s.units()), s.units(), 100 * s.deadFraction(), rows));
                    worst = Math.max(worst, s.deadFraction());
                }
            }
            if (ev.length() == 0) {
                return;
            }
            findings.add(new Finding(Kind.DEAD_RELUS, worst >= 0.9 ? Severity.ERROR : Severity.WARNING, ev
                    + "; a dead unit gets no gradient and never recovers.",
                    "lower the learning rate (one large step can push a unit's bias so negative that it never fires "
                            + "again), use leaky relu (Activation.LEAKY_RELU, --activation leaky_relu), and use He "
                            + "initialization (Initializer.HE_NORMAL, --init he_normal)."));
        }

        void saturated(List<Finding> findings) {
            StringBuilder ev = new StringBuilder();
            double worst = 0;
            for (LayerStats s : stats) {
                if (s.layer() - 1 < hiddenLayers() && s.saturatedFraction() >= SATURATED_FRACTION) {
                    ev.append(ev.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                            "layer %d: %d of %d %s units (%.0f%%) are within %.2f of %s for at least %.0f%% of the "
                                    + "samples", s.layer(), Math.round(s.saturatedFraction() * s.units()), s.units(),
                            s.activation(), 100 * s.saturatedFraction(), SATURATION_MARGIN,
                            s.activation() == Activation.TANH ? "-1 or 1" : "0 or 1", 100 * SATURATED_SAMPLE_SHARE));
                    worst = Math.max(worst, s.saturatedFraction());
                }
            }
            double stuck = stuckOutputs();
            if (stuck >= 0.1) {
                ev.append(ev.length() > 0 ? "; " : "").append(String.format(Locale.ROOT, "the %s output with mean "
                        + "squared error is saturated on the wrong side for %.0f%% of the outputs", outputActivation(),
                        100 * stuck));
                worst = Math.max(worst, stuck);
            }
            if (ev.length() == 0) {
                return;
            }
            findings.add(new Finding(Kind.SATURATED_OUTPUTS, worst >= 0.9 ? Severity.ERROR : Severity.WARNING, ev
                    + "; there the derivative is below 0.02, so these units barely learn.",
                    "scale the inputs (--scale standard), use a smaller initialization (Xavier: Initializer.XAVIER_UNIFORM, "
                            + "--init xavier_uniform) or a lower learning rate; relu hidden layers do not saturate."));
        }

        /** Share of outputs of a sigmoid/tanh output trained with MSE that are saturated and wrong by more than half the range. */
        private double stuckOutputs() {
            Activation out = outputActivation();
            if (net.loss != Loss.MEAN_SQUARED_ERROR || (out != Activation.SIGMOID && out != Activation.TANH)) {
                return 0;
            }
            int outputs = net.outputSize();
            double[] a = ws.a[net.layers.size() - 1].d;
            double[] y = ws.y.d;
            double halfRange = out == Activation.TANH ? 1 : 0.5;
            int stuck = 0;
            for (int i = 0; i < rows * outputs; i++) {
                boolean sat = out == Activation.SIGMOID ? a[i] <= SATURATION_MARGIN || a[i] >= 1 - SATURATION_MARGIN
                        : Math.abs(a[i]) >= 1 - SATURATION_MARGIN;
                if (sat && Math.abs(a[i] - y[i]) > halfRange) {
                    stuck++;
                }
            }
            return (double) stuck / (rows * outputs);
        }

        void learningRate(List<Finding> findings, TrainingHistory history) {
            if (history != null && history.diverged()) {
                findings.add(new Finding(Kind.LEARNING_RATE_TOO_HIGH, Severity.ERROR, "training diverged: "
                        + history.stopReason() + " (the cost became NaN or infinite).",
                        "lower the learning rate 10-fold" + (optimizer == null ? "" : String.format(Locale.ROOT,
                                " (from %s to %s)", optimizer.learningRate(), optimizer.learningRate() / 10))
                                + " and scale the inputs (--scale standard)."));
                return;
            }
            if (!Double.isNaN(maxUpdate) && maxUpdate > UPDATE_RATIO_TOO_HIGH) {
                double lr = optimizer.learningRate();
                double suggested = lr * HEALTHY_UPDATE_RATIO * 10 / maxUpdate;
                findings.add(new Finding(Kind.LEARNING_RATE_TOO_HIGH, maxUpdate >= 1 ? Severity.ERROR : Severity.WARNING,
                        String.format(Locale.ROOT, "one %s step changes the weights of layer %d by %.2g of their size "
                                        + "(update/|W|; healthy: about %.0e): the steps overshoot, so the cost jumps "
                                        + "around or diverges.", optimizer, maxUpdateLayer + 1, maxUpdate,
                                HEALTHY_UPDATE_RATIO),
                        String.format(Locale.ROOT, "lower the learning rate from %s to about %.1g (--lr %.1g).", lr,
                                suggested, suggested)));
                return;
            }
            if (history != null) {
                double[] costs = history.iterationCosts();
                if (costs.length >= COST_MIN_ITERATIONS) {
                    int tail = Math.max(1, costs.length / 10);
                    double first = 0;
                    double last = 0;
                    for (int i = 0; i < tail; i++) {
                        first += costs[i] / tail;
                        last += costs[costs.length - tail + i] / tail;
                    }
                    if (last > first * (1 + COST_RISE)) {
                        findings.add(new Finding(Kind.LEARNING_RATE_TOO_HIGH, Severity.ERROR, String.format(Locale.ROOT,
                                "the training cost rose from %.4g (mean of the first %d steps) to %.4g (the last %d).",
                                first, tail, last, tail), "lower the learning rate 10-fold."));
                    }
                }
            }
        }

        private Activation dominantHiddenActivation() {
            Activation first = net.layers.get(0).activation();
            for (int l = 0; l < hiddenLayers(); l++) {
                Activation a = net.layers.get(l).activation();
                if (a == Activation.SIGMOID || a == Activation.TANH) {
                    return a;
                }
            }
            return first;
        }

        private String rmsChain(int hidden) {
            StringBuilder sb = new StringBuilder();
            for (int l = 0; l < hidden; l++) {
                sb.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1e in layer %d", liveRms[l], l + 1));
            }
            return sb.toString();
        }

        /**
         * E.g. "in every layer the weights are 28 to 85 times smaller than He initialization's
         * sqrt(2/n_in) (layer 2: RMS 0.0100 vs 0.283)", or null if they are not much smaller.
         */
        private String weightScaleEvidence() {
            double smallest = Double.POSITIVE_INFINITY;
            double largest = 0;
            int smallestLayer = -1;
            for (int l = 0; l < net.layers.size(); l++) {
                LayerSpec s = net.layers.get(l);
                double ratio = stats.get(l).weightNorm() / Math.sqrt(s.weightCount()) / Math.sqrt(2.0 / s.inputs());
                if (ratio < smallest) {
                    smallest = ratio;
                    smallestLayer = l;
                }
                largest = Math.max(largest, ratio);
            }
            // A quarter of He's scale shrinks a relu layer's signal four-fold.
            if (smallestLayer < 0 || smallest > 0.25) {
                return null;
            }
            LayerSpec s = net.layers.get(smallestLayer);
            String example = String.format(Locale.ROOT, "(layer %d: RMS %.4f vs %.3f)", smallestLayer + 1,
                    stats.get(smallestLayer).weightNorm() / Math.sqrt(s.weightCount()), Math.sqrt(2.0 / s.inputs()));
            if (largest <= 0.25) {
                return String.format(Locale.ROOT, "in every layer the weights are %.0f to %.0f times smaller than He "
                        + "initialization's sqrt(2/n_in) %s", 1 / largest, 1 / smallest, example);
            }
            return String.format(Locale.ROOT, "the weights are up to %.0f times smaller than He initialization's "
                    + "sqrt(2/n_in) %s", 1 / smallest, example);
        }

        private double minGradient() {
            double m = Double.POSITIVE_INFINITY;
            for (LayerStats s : stats) {
                m = Math.min(m, s.gradientNorm());
            }
            return m;
        }

        private double maxGradient() {
            double m = 0;
            for (LayerStats s : stats) {
                m = Math.max(m, s.gradientNorm());
            }
            return m;
        }
    }

    /** Four significant digits without trailing zeros: 40, -5, 0.3333, 1.235e+05. */
    private static String number(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e") || !s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Builds a {@link Diagnostics}. */
    public static final class Builder {
        private int samples = DEFAULT_SAMPLES;
        private Optimizer optimizer;
        private long seed = 1;

        private Builder() {
        }

        /** Samples in the diagnosed batch, drawn at random (seeded) from the data; default {@link #DEFAULT_SAMPLES}. */
        public Builder samples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        /** The optimizer whose step sizes the update/weight ratios describe. */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** Shorthand for {@code optimizer(Optimizer.sgd(learningRate))}: update ratios {@code lr·‖dW‖/‖W‖}. */
        public Builder learningRate(double learningRate) {
            return optimizer(Optimizer.sgd(learningRate));
        }

        /** Seed of the choice of samples. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Creates a {@link Diagnostics} with these settings. */
        public Diagnostics build() {
            return new Diagnostics(samples, optimizer, seed);
        }
    }
}
