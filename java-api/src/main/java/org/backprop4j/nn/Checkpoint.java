package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The training state stored in a checkpoint file after the network (see {@link ModelFile}): what a
 * {@link TrainingSession} needs to continue exactly where it was saved, and the settings it was
 * trained with, to check a resumed run against its configuration. Plain data, package-private.
 */
final class Checkpoint {

    // Settings, compared with the configuration of the resumed run.
    String optimizer;
    long seed;
    int configBatchSize;
    int trainSize;
    int configEpochs;
    int configIterations;
    int totalIterations;
    int totalEpochs;
    boolean shuffle;
    double weightDecay;
    int patience;
    double minDelta;
    boolean hasValidation;

    // Position and running state.
    Storage state1;
    Storage state2;
    int iteration;
    int epoch;
    int batchInEpoch;
    double learningRate;
    double costSum;
    int seen;
    int correct;
    long elapsedMillis;
    int lastGoodEpoch;
    Storage lastGood;
    int bestEpoch;
    double bestValidationCost;
    /** Null without early stopping. */
    Storage best;
    boolean stoppedEarly;
    boolean restoredBest;
    /** Null while the run goes on normally. */
    String stopReason;
    double[] costs;
    List<EpochStats> epochs = new ArrayList<>();

    int stateArrays() {
        return state2 != null ? 2 : state1 != null ? 1 : 0;
    }
}
