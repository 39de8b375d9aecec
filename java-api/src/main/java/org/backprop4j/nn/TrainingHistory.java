package org.backprop4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What happened during {@link Network#fit}: the cost after every iteration, the statistics of every
 * epoch, the epoch with the lowest validation cost, and why training stopped.
 */
public final class TrainingHistory {

    /**
     * Train accuracy above validation accuracy by more than this (5 percentage points) counts as
     * over-fitting. Smaller gaps are ordinary noise on validation sets of a few hundred samples.
     */
    public static final double OVERFITTING_ACCURACY_GAP = 0.05;

    /**
     * A validation cost this much (10%) above its lowest value, while the training cost kept falling,
     * counts as over-fitting: the network is fitting the training samples' noise.
     */
    public static final double OVERFITTING_COST_RISE = 0.10;

    private final double[] iterationCosts;
    private final List<EpochStats> epochs;
    private final String stopReason;
    private final boolean diverged;
    private final int bestEpoch;
    private final boolean stoppedEarly;
    private final boolean restoredBest;

    TrainingHistory(double[] iterationCosts, List<EpochStats> epochs, String stopReason, boolean diverged) {
        this(iterationCosts, epochs, stopReason, diverged, lowestValidationCost(epochs), false, false);
    }

    TrainingHistory(double[] iterationCosts, List<EpochStats> epochs, String stopReason, boolean diverged,
                    int bestEpoch, boolean stoppedEarly, boolean restoredBest) {
        this.iterationCosts = iterationCosts;
        this.epochs = List.copyOf(epochs);
        this.stopReason = stopReason;
        this.diverged = diverged;
        this.bestEpoch = bestEpoch;
        this.stoppedEarly = stoppedEarly;
        this.restoredBest = restoredBest;
    }

    /** The batch cost of each optimizer step, in order (a copy). */
    public double[] iterationCosts() {
        return iterationCosts.clone();
    }

    /** Number of optimizer steps taken. */
    public int iterations() {
        return iterationCosts.length;
    }

    /** Per-epoch statistics, in order. */
    public List<EpochStats> epochs() {
        return epochs;
    }

    /** The last epoch's statistics. */
    public EpochStats last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch completed: " + stopReason);
        }
        return epochs.get(epochs.size() - 1);
    }

    /** The cost of the first step. */
    public double firstCost() {
        return iterationCosts.length == 0 ? Double.NaN : iterationCosts[0];
    }

    /** The cost of the last step. */
    public double finalCost() {
        return iterationCosts.length == 0 ? Double.NaN : iterationCosts[iterationCosts.length - 1];
    }

    /**
     * Why training stopped, e.g. {@code "completed 100 epochs"} or {@code "early stopping at epoch 23:
     * validation cost has not improved for 5 epochs since epoch 18 (0.0412); restored the weights of
     * epoch 18"} (epochs counted from 1 in messages).
     */
    public String stopReason() {
        return stopReason;
    }

    /** True if training stopped because the cost became NaN or infinite; the network then holds the last good weights. */
    public boolean diverged() {
        return diverged;
    }

    /**
     * The 0-based epoch with the lowest validation cost (with early stopping: the last epoch that
     * improved on the best by more than {@link TrainingConfig#minDelta()}), or -1 without a
     * validation set.
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The statistics of {@link #bestEpoch()}, if there is one. */
    public Optional<EpochStats> best() {
        return bestEpoch >= 0 && bestEpoch < epochs.size() ? Optional.of(epochs.get(bestEpoch)) : Optional.empty();
    }

    /** True if early stopping ended the run before its configured length. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /**
     * True if the network was given back the weights of {@link #bestEpoch()} at the end (early
     * stopping on, and a later epoch was worse).
     */
    public boolean restoredBestWeights() {
        return restoredBest;
    }

    /**
     * Over-fitting seen in the train-versus-validation statistics, explained with the numbers (e.g.
     * {@code "train accuracy 1.0000 is 12.0 points above validation accuracy 0.8800"}): the
     * last epoch's train accuracy above the validation accuracy by more than
     * {@link #OVERFITTING_ACCURACY_GAP}, or the validation cost risen more than
     * {@link #OVERFITTING_COST_RISE} above its lowest value while the training cost kept falling.
     * Empty without a validation set or without such signs.
     */
    public Optional<String> overfitting() {
        if (epochs.isEmpty() || !last().hasValidation()) {
            return Optional.empty();
        }
        EpochStats last = last();
        StringBuilder sb = new StringBuilder();
        double gap = last.trainAccuracy() - last.validationAccuracy();
        if (gap > OVERFITTING_ACCURACY_GAP) {
            sb.append(String.format(Locale.ROOT, "train accuracy %.4f is %.1f points above validation accuracy %.4f",
                    last.trainAccuracy(), 100 * gap, last.validationAccuracy()));
        }
        int lowest = lowestValidationCost(epochs);
        EpochStats min = epochs.get(lowest);
        if (lowest < epochs.size() - 1 && last.validationCost() > min.validationCost() * (1 + OVERFITTING_COST_RISE)
                && last.trainCost() < min.trainCost()) {
            sb.append(sb.length() > 0 ? "; " : "").append(String.format(Locale.ROOT,
                    "the validation cost rose from %.4g at epoch %d to %.4g (+%.0f%%) while the training cost fell "
                            + "from %.4g to %.4g", min.validationCost(), lowest + 1, last.validationCost(),
                    100 * (last.validationCost() / min.validationCost() - 1), min.trainCost(), last.trainCost()));
        }
        if (sb.length() == 0) {
            return Optional.empty();
        }
        if (restoredBest) {
            sb.append(String.format(Locale.ROOT, " (early stopping gave the network back the weights of epoch %d, "
                    + "which had the lowest validation cost)", bestEpoch + 1));
        }
        return Optional.of(sb.toString());
    }

    /**
     * One line comparing the last epoch's training and validation cost and accuracy (the restored
     * best epoch's, after early stopping restored it), the best epoch, and the over-fitting verdict, e.g. {@code "train cost 0.0210, validation 0.0933 (gap
     * 0.0723); train accuracy 0.9980, validation 0.9630 (gap 3.5 points); lowest validation cost
     * 0.0841 at epoch 12; no sign of over-fitting"}.
     */
    public String gapReport() {
        if (epochs.isEmpty()) {
            return "no epoch completed";
        }
        // After early stopping gave back the best epoch's weights, that epoch is the network's state.
        EpochStats last = restoredBest ? best().orElse(last()) : last();
        if (!last.hasValidation()) {
            return String.format(Locale.ROOT, "train cost %.4f; no validation set, so no train-versus-validation gap",
                    last.trainCost());
        }
        StringBuilder sb = new StringBuilder(restoredBest ? "at the restored epoch " + (bestEpoch + 1) + ": " : "");
        sb.append(String.format(Locale.ROOT, "train cost %.4f, validation %.4f (gap %.4f)",
                last.trainCost(), last.validationCost(), last.validationCost() - last.trainCost()));
        if (!Double.isNaN(last.trainAccuracy()) && !Double.isNaN(last.validationAccuracy())) {
            sb.append(String.format(Locale.ROOT, "; train accuracy %.4f, validation %.4f (gap %.1f points)",
                    last.trainAccuracy(), last.validationAccuracy(),
                    100 * (last.trainAccuracy() - last.validationAccuracy())));
        }
        best().ifPresent(b -> sb.append(String.format(Locale.ROOT, "; lowest validation cost %.4f at epoch %d",
                b.validationCost(), bestEpoch + 1)));
        sb.append("; ").append(overfitting().map(why -> "over-fitting: " + why).orElse("no sign of over-fitting"));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "TrainingHistory[" + iterationCosts.length + " iterations, " + epochs.size() + " epochs, cost "
                + firstCost() + " -> " + finalCost() + ", " + stopReason + "]";
    }

    static double[] truncate(double[] costs, int n) {
        return n == costs.length ? costs : Arrays.copyOf(costs, n);
    }

    /** The first epoch with the lowest validation cost, or -1 without validation. */
    private static int lowestValidationCost(List<EpochStats> epochs) {
        int best = -1;
        for (int i = 0; i < epochs.size(); i++) {
            double c = epochs.get(i).validationCost();
            if (!Double.isNaN(c) && (best < 0 || c < epochs.get(best).validationCost())) {
                best = i;
            }
        }
        return best;
    }
}
