package org.backprop4j.nn;

/**
 * A factor applied to the optimizer's learning rate at each epoch (epoch 0 is the first). In
 * full-batch training an epoch is one iteration.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The multiplier of the base learning rate during {@code epoch}. */
    double factor(int epoch);

    /** The same learning rate throughout. */
    static LearningRateSchedule constant() {
        return epoch -> 1.0;
    }

    /** Multiply by {@code gamma} every {@code stepEpochs} epochs: {@code gamma^(epoch / stepEpochs)}. */
    static LearningRateSchedule step(int stepEpochs, double gamma) {
        if (stepEpochs < 1) {
            throw new IllegalArgumentException("step schedule: stepEpochs must be >= 1, got " + stepEpochs);
        }
        checkGamma(gamma);
        return epoch -> Math.pow(gamma, epoch / stepEpochs);
    }

    /** {@code gamma^epoch}. */
    static LearningRateSchedule exponential(double gamma) {
        checkGamma(gamma);
        return epoch -> Math.pow(gamma, epoch);
    }

    /**
     * Cosine annealing (Loshchilov and Hutter 2017) without restarts, from 1 down to {@code minFactor}
     * at {@code totalEpochs}: {@code min + (1 - min) · (1 + cos(π · epoch / totalEpochs)) / 2}.
     */
    static LearningRateSchedule cosine(int totalEpochs, double minFactor) {
        if (totalEpochs < 1) {
            throw new IllegalArgumentException("cosine schedule: totalEpochs must be >= 1, got " + totalEpochs);
        }
        if (!(minFactor >= 0 && minFactor <= 1)) {
            throw new IllegalArgumentException("cosine schedule: minFactor must be in [0, 1], got " + minFactor);
        }
        return epoch -> {
            double progress = Math.min(1.0, (double) epoch / totalEpochs);
            return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("schedule gamma must be in (0, 1], got " + gamma);
        }
    }
}
