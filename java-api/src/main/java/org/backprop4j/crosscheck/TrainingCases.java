package org.backprop4j.crosscheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.NetworkBuilder;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;

/**
 * Short training runs of the workload shapes of {@code workloads.json}, on the candidate and on the
 * reference from the same initial weights (built on the reference, copied with
 * {@link Network#withBackend}); the cost of every step and every final weight must agree within
 * {@link ErrorBounds#training}. The horizon is short on purpose: over hundreds of steps rounding
 * differences are amplified (a relu unit flips), and a correct backend would drift apart.
 */
final class TrainingCases {

    /**
     * One workload as run here.
     *
     * @param batch   samples per step, 0 for full batch
     * @param samples training set size: random features in [0, 1) and random labels, or two moons
     * @param scaled  what workloads.json says where this run is smaller, or null
     */
    record Workload(String id, int[] layers, Activation hidden, Activation output, DType dtype, int batch, int samples,
                    int steps, double lr, boolean moons, String scaled) {

        /** E.g. {@code "relu/softmax, sgd lr 0.01, batch 128 of 512 random samples, 12 steps"}. */
        String setup() {
            return String.format(Locale.ROOT, "%s/%s, sgd lr %s, %s %d %s samples, %d steps", hidden.id(), output.id(),
                    lr, batch == 0 ? "full batch of" : "batch " + batch + " of", samples, moons ? "two-moons" : "random",
                    steps);
        }

        /** E.g. {@code "784-128-64-10"}. */
        String shape() {
            StringJoiner s = new StringJoiner("-");
            for (int l : layers) {
                s.add(Integer.toString(l));
            }
            return s.toString();
        }

        /** A result of this workload with the sizes filled in. */
        TrainingResult result(int steps, double costError, double weightError, double ratio, String worst) {
            return new TrainingResult(id, shape(), dtype, setup(), scaled, steps, costError, weightError,
                    ErrorBounds.trainingTolerance(dtype), ratio, worst);
        }
    }

    private TrainingCases() {
    }

    /**
     * The four workloads, scaled to take a few seconds on the reference backend (a second or less
     * when quick): fewer samples and steps, and W3's 1024-wide layers at 256.
     */
    static List<Workload> workloads(boolean quick) {
        Activation relu = Activation.RELU;
        List<Workload> w = new ArrayList<>();
        w.add(new Workload("W1", new int[] {784, 128, 64, 10}, relu, Activation.SOFTMAX, DType.FLOAT32,
                quick ? 32 : 128, quick ? 64 : 512, quick ? 3 : 12, 0.01, false, "workloads.json: 60000 samples"));
        w.add(new Workload("W2", new int[] {12288, 20, 7, 5, 1}, relu, Activation.SIGMOID, DType.FLOAT64,
                0, quick ? 16 : 209, quick ? 2 : 10, 0.0075, false, quick ? "workloads.json: 209 samples, 300 "
                + "iterations" : "workloads.json: 300 iterations"));
        w.add(new Workload("W3", new int[] {256, 256, 256, 10}, relu,
                Activation.SOFTMAX, DType.FLOAT32, quick ? 32 : 256, quick ? 64 : 1024, quick ? 3 : 8, 0.01, false,
                "workloads.json: 1024-1024-1024-10, 16384 samples"));
        w.add(new Workload("W4", new int[] {2, 25, 50, 50, 25, 1}, relu, Activation.SIGMOID, DType.FLOAT64,
                0, quick ? 100 : 900, quick ? 10 : 100, 0.01, true, quick ? "workloads.json: 900 samples, 2000 "
                + "iterations" : "workloads.json: 2000 iterations"));
        return w;
    }

    /** Trains {@code w} on both backends and compares; a run that throws on the candidate fails. */
    static TrainingResult run(Workload w, Backend reference, Backend candidate, long seed) {
        Dataset data = data(w, seed);
        NetworkBuilder nb = Network.builder().input(w.layers[0]);
        for (int i = 1; i < w.layers.length; i++) {
            nb.dense(w.layers[i], i == w.layers.length - 1 ? w.output : w.hidden);
        }
        Network base = nb.dtype(w.dtype).seed(seed).backend(reference).build();
        TrainingConfig.Builder cb = TrainingConfig.builder().optimizer(Optimizer.sgd(w.lr)).iterations(w.steps)
                .seed(seed);
        TrainingConfig config = (w.batch == 0 ? cb.fullBatch() : cb.batchSize(w.batch)).build();

        Network onReference = base.withBackend(reference);
        Network onCandidate = base.withBackend(candidate);
        double[] costsRef = onReference.fit(data, config).iterationCosts();
        TrainingHistory history;
        try {
            history = onCandidate.fit(data, config);
        } catch (RuntimeException e) {
            return w.result(costsRef.length, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY,
                    candidate.name() + " failed: " + e);
        }
        double[] costs = history.iterationCosts();
        if (costs.length != costsRef.length) {
            String why = String.format(Locale.ROOT, "%s took %d steps, the reference %d (%s)", candidate.name(),
                    costs.length, costsRef.length, history.stopReason());
            return w.result(costsRef.length, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, why);
        }

        double[] costBound = new double[costsRef.length];
        double costError = 0;
        for (int i = 0; i < costsRef.length; i++) {
            costBound[i] = ErrorBounds.training(w.dtype, costsRef[i]);
            costError = Math.max(costError, relative(costs[i], costsRef[i], Math.abs(costsRef[i])));
        }
        ErrorBounds.Result cost = ErrorBounds.check(costs, costsRef, costBound);

        double[] weightsRef = onReference.parameters();
        double[] weights = onCandidate.parameters();
        double largest = 0;
        for (double v : weightsRef) {
            largest = Math.max(largest, Math.abs(v));
        }
        double[] weightBound = CaseContext.filled(weightsRef.length, ErrorBounds.training(w.dtype, largest));
        double weightError = 0;
        for (int i = 0; i < weightsRef.length; i++) {
            weightError = Math.max(weightError, relative(weights[i], weightsRef[i], largest));
        }
        ErrorBounds.Result weight = ErrorBounds.check(weights, weightsRef, weightBound);

        boolean costWorse = cost.ratio() >= weight.ratio();
        ErrorBounds.Result worst = costWorse ? cost : weight;
        String where = worst.ratio() == 0 ? null : String.format(Locale.ROOT, "%s %s %s, %s %d of %d: %s gives "
                        + "%s, reference %s, |diff| %.3g, bound %.3g, ratio %.3g", w.id, w.shape(), w.dtype.id(),
                costWorse ? "cost of step" : "final parameter", worst.worstIndex() + 1, costWorse ? costs.length
                        : weights.length, candidate.name(), worst.actual(), worst.expected(),
                Math.abs(worst.actual() - worst.expected()), worst.bound(), worst.ratio());
        return w.result(costsRef.length, costError, weightError, worst.ratio(), where);
    }

    private static double relative(double actual, double expected, double scale) {
        double diff = Math.abs(actual - expected);
        return diff == 0 ? 0 : scale == 0 || Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / scale;
    }

    /** Two moons (W4), or features uniform in [0, 1) (pixel intensities) with random labels. */
    private static Dataset data(Workload w, long seed) {
        if (w.moons) {
            return Synthetic.twoMoons(w.samples, 0.2, seed, w.dtype);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int features = w.layers[0];
        int outputs = w.layers[w.layers.length - 1];
        int classes = outputs == 1 ? 2 : outputs;
        double[] x = new double[w.samples * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble();
        }
        int[] labels = new int[w.samples];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        return Dataset.ofClasses(x, features, labels, classes, w.dtype);
    }
}
