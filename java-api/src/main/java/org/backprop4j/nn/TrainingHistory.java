package org.backprop4j.nn;

import java.util.Arrays;
import java.util.List;

/**
 * What happened during {@link Network#fit}: the cost after every iteration, the statistics of every
 * epoch, and why training stopped.
 */
public final class TrainingHistory {

    private final double[] iterationCosts;
    private final List<EpochStats> epochs;
    private final String stopReason;
    private final boolean diverged;

    TrainingHistory(double[] iterationCosts, List<EpochStats> epochs, String stopReason, boolean diverged) {
        this.iterationCosts = iterationCosts;
        this.epochs = List.copyOf(epochs);
        this.stopReason = stopReason;
        this.diverged = diverged;
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

    /** Why training stopped, e.g. {@code "completed 100 epochs"}. */
    public String stopReason() {
        return stopReason;
    }

    /** True if training stopped because the cost became NaN or infinite; the network then holds the last good weights. */
    public boolean diverged() {
        return diverged;
    }

    @Override
    public String toString() {
        return "TrainingHistory[" + iterationCosts.length + " iterations, " + epochs.size() + " epochs, cost "
                + firstCost() + " -> " + finalCost() + ", " + stopReason + "]";
    }

    static double[] truncate(double[] costs, int n) {
        return n == costs.length ? costs : Arrays.copyOf(costs, n);
    }
}
