package org.backprop4j.nn;

/**
 * Receives progress during {@link Network#fit}. Methods are called on the training thread; keep them
 * cheap. {@link #onIteration} is called after every optimizer step and takes only primitives, so
 * listening costs no allocation.
 */
public interface TrainingListener {

    /** Before the first step. */
    default void onStart(int totalEpochs, int totalIterations) {
    }

    /** After optimizer step {@code iteration} (1-based) of {@code epoch} (0-based) with its batch cost. */
    default void onIteration(int iteration, int epoch, double cost) {
    }

    /** After each epoch, with its statistics. */
    default void onEpochEnd(EpochStats stats) {
    }

    /** After training ended, normally or not. */
    default void onFinish(TrainingHistory history) {
    }
}
