package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The statistics of every epoch of a run, in primitive arrays sized for the whole run when the
 * session is created. A full-batch run ends an epoch at every step; keeping an {@link EpochStats}
 * object per epoch in a growing list would allocate on every one of those steps (about 80 bytes).
 * The arrays take less memory than those objects would by the end of the run; the records are made
 * only when asked for ({@link #toList}, a listener).
 */
final class EpochLog {

    private final int[] iterations;
    private final double[] learningRate;
    private final double[] trainCost;
    private final double[] trainAccuracy;
    private final double[] validationCost;
    private final double[] validationAccuracy;
    private final long[] elapsedMillis;
    private int size;

    EpochLog(int capacity) {
        iterations = new int[capacity];
        learningRate = new double[capacity];
        trainCost = new double[capacity];
        trainAccuracy = new double[capacity];
        validationCost = new double[capacity];
        validationAccuracy = new double[capacity];
        elapsedMillis = new long[capacity];
    }

    /** Bytes a log of {@code capacity} epochs takes, for early out-of-memory messages. */
    static long bytesNeeded(long capacity) {
        return capacity * (4 + 5 * 8 + 8);
    }

    int size() {
        return size;
    }

    /** Records the next epoch (its number is {@link #size()}). */
    void add(int iterationsSoFar, double lr, double trainCostValue, double trainAccuracyValue, double valCost,
             double valAccuracy, long millis) {
        int i = size++;
        iterations[i] = iterationsSoFar;
        learningRate[i] = lr;
        trainCost[i] = trainCostValue;
        trainAccuracy[i] = trainAccuracyValue;
        validationCost[i] = valCost;
        validationAccuracy[i] = valAccuracy;
        elapsedMillis[i] = millis;
    }

    void add(EpochStats e) {
        add(e.iterations(), e.learningRate(), e.trainCost(), e.trainAccuracy(), e.validationCost(),
                e.validationAccuracy(), e.elapsedMillis());
    }

    EpochStats get(int epoch) {
        return new EpochStats(epoch, iterations[epoch], learningRate[epoch], trainCost[epoch], trainAccuracy[epoch],
                validationCost[epoch], validationAccuracy[epoch], elapsedMillis[epoch]);
    }

    void clear() {
        size = 0;
    }

    /** The epochs so far as records, in order (a new list). */
    List<EpochStats> toList() {
        List<EpochStats> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(get(i));
        }
        return out;
    }
}
