package org.backprop4j.crosscheck;

import org.backprop4j.nn.DType;

/**
 * How a short training run on a backend compared with the same run on the reference backend, from
 * the same initial weights: the cost of every step, and every weight at the end.
 *
 * @param workload       the workload's id in {@code workloads.json}, e.g. {@code "W1"}
 * @param layers         the layer sizes run, e.g. {@code "784-128-64-10"}
 * @param dtype          the dtype of the run
 * @param setup          activations, optimizer, batch, data and steps, e.g.
 *                       {@code "relu/softmax, sgd lr 0.01, batch 128 of 512 random samples, 12 steps"}
 * @param scaledDown     what {@code workloads.json} says where this run is smaller, or null
 * @param steps          optimizer steps taken on the reference
 * @param maxCostError   the largest {@code |cost − cost_ref| / |cost_ref|} over the steps
 * @param maxWeightError the largest {@code |w − w_ref|} at the end, relative to the largest
 *                       {@code |w_ref|} (a weight near zero cannot keep its own relative precision
 *                       through rounding differences upstream)
 * @param tolerance      the relative tolerance, {@link ErrorBounds#trainingTolerance}
 * @param maxRatio       the largest error as a fraction of its {@link ErrorBounds#training} bound;
 *                       passes when at most 1 (infinite if the run failed on the backend)
 * @param worst          the step or weight where {@code maxRatio} was reached, or why the run
 *                       failed; null if every error was 0
 */
public record TrainingResult(String workload, String layers, DType dtype, String setup, String scaledDown, int steps,
                             double maxCostError, double maxWeightError, double tolerance, double maxRatio,
                             String worst) {

    /** True when every cost and every final weight was within tolerance. */
    public boolean passed() {
        return maxRatio <= 1;
    }
}
