package org.backprop4j.nn;

/**
 * Statistics of one training epoch.
 *
 * @param epoch              0-based epoch number
 * @param iterations         optimizer steps taken so far (all epochs)
 * @param learningRate       the learning rate used in this epoch
 * @param trainCost          mean batch cost over the epoch (data loss plus the L2 penalty, if any)
 * @param trainAccuracy      fraction of training samples classified right during the epoch, or NaN for regression
 * @param validationCost     cost on the validation set after the epoch, or NaN without one
 * @param validationAccuracy accuracy on the validation set, or NaN without one (or for regression)
 * @param elapsedMillis      wall time since training started
 */
public record EpochStats(int epoch, int iterations, double learningRate, double trainCost, double trainAccuracy,
                         double validationCost, double validationAccuracy, long elapsedMillis) {

    /** True if a validation set was evaluated. */
    public boolean hasValidation() {
        return !Double.isNaN(validationCost);
    }
}
