package org.backprop4j.nn;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.backprop4j.data.Dataset;

/**
 * One training run, step by step: mini-batch loop, optimizer state, statistics.
 * {@link Network#fit} is {@code network.session(...).run()}; a session lets the caller drive the
 * steps itself (custom stopping, timing one step). Everything a step needs is allocated when the
 * session is created, so the steps themselves allocate nothing (the epoch statistics are kept in
 * arrays sized for the run, and the validation set is evaluated in a workspace of the session's own;
 * only listeners receive objects made at each epoch's end).
 *
 * <p>Plain SGD ({@link Optimizer#sgd}) is fused with the backward pass: each layer's weight gradient
 * GEMM writes {@code W - lr·dW} straight into the weights, so no gradient buffer is stored, zeroed or
 * read by a separate optimizer pass. The other optimizers get the gradients in a buffer that the
 * backward pass overwrites (no zeroing either) and then update the parameters in one call.
 *
 * <p>With {@link TrainingConfig.Builder#earlyStopping(int, double) early stopping}, the validation
 * cost is compared with the best one after every epoch; the parameters of the best epoch are copied
 * into a buffer allocated once, when the session is created, and copied back when the run stops
 * early or ends.
 *
 * <p>Checkpoints: {@link #saveCheckpoint(Path)} (or {@link TrainingConfig.Builder#checkpointEvery}
 * during the run) writes the network together with the whole training state; {@link Network#resume}
 * continues from it, and the resumed run ends with exactly the weights and history of an
 * uninterrupted one. Each epoch's sample order is derived from the seed and the epoch number alone,
 * which is what makes the shuffling resumable.
 *
 * <p>Not thread-safe; while a session runs, the network must not be used for anything else.
 */
public final class TrainingSession {

    private final Network net;
    private final Kernels k;
    private final Dataset train;
    private final Dataset validation;
    private final TrainingConfig config;
    private final Optimizer optimizer;
    private final int n;
    private final int batch;
    private final int batchesPerEpoch;
    private final int totalEpochs;
    private final int totalIterations;
    private final Workspace ws;
    /** Parameter gradients; null for plain SGD, whose update is fused into the backward pass. */
    private final Storage grads;
    /** The bias gradient of one layer at a time, for the fused SGD update; null otherwise. */
    private final Storage biasScratch;
    /** Evaluates the validation set after each epoch; null without one. */
    private final Workspace validationWs;
    private final Storage state1;
    private final Storage state2;
    /**
     * Full-batch runs with plain SGD take a snapshot every this many epochs (steps) rather than every
     * one: see {@link #lazySnapshots}.
     */
    static final int SNAPSHOT_EVERY = 16;

    /**
     * Weights at the start of epoch {@link #lastGoodEpoch}, the latest epoch whose first step had a
     * finite cost and that began with a snapshot.
     */
    private Storage lastGood;
    /** Weights at the start of the current epoch, not yet known to be good (when {@link #snapshotTaken}). */
    private Storage epochStart;
    private int lastGoodEpoch = -1;
    /**
     * Full batch with plain SGD: every step is an epoch, and copying every parameter at every step, to
     * be able to restore the last good weights, would add a pass over the parameters to each step (4%
     * of W2's). Snapshots are taken every {@value #SNAPSHOT_EVERY} epochs instead; on divergence the
     * steps from the snapshot to the last good epoch are taken again. A full-batch step depends on the
     * weights alone (same data, no shuffling, no optimizer state), so this reproduces the weights bit
     * for bit, which each repeated step's cost confirms against the recorded one.
     */
    private final boolean lazySnapshots;
    /** Whether the current epoch began with a snapshot into {@link #epochStart}. */
    private boolean snapshotTaken;
    /** Weights of the epoch with the lowest validation cost; null without early stopping. */
    private final Storage best;
    private double bestValidationCost = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private boolean stoppedEarly;
    private boolean restoredBest;
    private String stopReason;
    private final int[] order;
    /** Re-seeded from (seed, epoch) at every epoch, so any epoch's order can be rebuilt on resume. */
    private final Random shuffleRng = new Random(0);
    /** Batch costs above this end the run as diverged; +Inf until the first step sets it (or when off). */
    private double divergenceBound = Double.POSITIVE_INFINITY;
    private long elapsedBeforeResume;
    private final double[] costs;
    private final TrainingListener[] listeners;
    /** True once a full-batch run has gathered the whole training set into the workspace. */
    private boolean wholeSetLoaded;

    private final EpochLog epochs;
    private int iteration;
    private int epoch;
    private int batchInEpoch;
    private double learningRate;
    private double costSum;
    private int seen;
    private int correct;
    private long startNanos;

    TrainingSession(Network net, Dataset train, Dataset validation, TrainingConfig config) {
        if (config.earlyStopping() && validation == null) {
            throw new IllegalArgumentException("early stopping (patience " + config.patience() + ") watches the "
                    + "validation cost, but no validation set was given: call fit(train, validation, config) with a "
                    + "held-out part of the training data, e.g. Split.trainTest(train, 0.1, seed, true), or drop "
                    + "earlyStopping from the configuration");
        }
        checkTargets(net.loss, train, "training");
        if (validation != null) {
            checkTargets(net.loss, validation, "validation");
        }
        checkCheckpointTarget(config);
        this.net = net;
        this.k = net.kernels;
        this.train = train;
        this.validation = validation;
        this.config = config;
        this.optimizer = config.optimizer();
        this.n = train.size();
        this.batch = config.batchSize() == TrainingConfig.FULL_BATCH ? n : Math.min(config.batchSize(), n);
        this.batchesPerEpoch = (n + batch - 1) / batch;
        if (config.iterations() > 0) {
            this.totalIterations = config.iterations();
            this.totalEpochs = (totalIterations + batchesPerEpoch - 1) / batchesPerEpoch;
        } else {
            this.totalEpochs = config.epochs();
            long iterations = (long) totalEpochs * batchesPerEpoch;
            if (iterations > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(totalEpochs + " epochs of " + batchesPerEpoch
                        + " batches is too many steps; use fewer epochs or a larger batch");
            }
            this.totalIterations = (int) iterations;
        }
        checkMemory();
        int p = net.parameterCount();
        this.ws = new Workspace(net.layers, net.dtype, batch, true);
        this.grads = fusedSgd() ? null : Storage.allocate(net.dtype, p);
        this.biasScratch = fusedSgd() ? Storage.allocate(net.dtype, widestLayer(net)) : null;
        this.validationWs = validation == null ? null
                : new Workspace(net.layers, net.dtype, Math.min(validation.size(), Network.INFERENCE_CHUNK), false);
        this.epochs = new EpochLog(totalEpochs);
        this.state1 = optimizer.stateArrays() >= 1 ? Storage.allocate(net.dtype, p) : null;
        this.state2 = optimizer.stateArrays() >= 2 ? Storage.allocate(net.dtype, p) : null;
        this.lastGood = Storage.allocate(net.dtype, p);
        this.epochStart = Storage.allocate(net.dtype, p);
        this.lazySnapshots = batchesPerEpoch == 1 && fusedSgd();
        this.best = config.earlyStopping() ? Storage.allocate(net.dtype, p) : null;
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.costs = new double[totalIterations];
        // An array, not the List: iterating a List allocates an Iterator on every step.
        this.listeners = config.listeners().toArray(new TrainingListener[0]);
    }

    /**
     * Trains to the end ({@link TrainingConfig#epochs()} or {@link TrainingConfig#iterations()}), or
     * until early stopping ends the run.
     *
     * @return the history of the whole run
     * @throws TrainingDivergedException if the cost becomes NaN or infinite
     */
    public TrainingHistory run() {
        net.beginTraining();
        try {
            while (!isComplete()) {
                step();
            }
        } finally {
            net.endTraining();
        }
        return history();
    }

    /**
     * One optimizer step on the next mini-batch: at the start of an epoch the samples are shuffled
     * (seeded) and the schedule's learning rate is applied; after its last batch the epoch's
     * statistics are computed and the listeners told. Allocates nothing except at epoch ends.
     *
     * @return the batch cost (data loss plus the L2 penalty) before the update
     * @throws IllegalStateException if the run is already complete (or stopped early), or another
     *         thread is training the same network
     * @throws TrainingDivergedException if the cost becomes NaN or infinite, or exceeds
     *         {@link TrainingConfig#divergenceFactor()} times the first step's cost; the network then
     *         holds the last good weights
     * @throws java.io.UncheckedIOException if a checkpoint due after this step cannot be written
     */
    public double step() {
        net.beginTraining();
        try {
            return stepOwned();
        } finally {
            net.endTraining();
        }
    }

    private double stepOwned() {
        if (stoppedEarly) {
            throw new IllegalStateException("training is complete: " + stopReason);
        }
        if (iteration >= totalIterations) {
            throw new IllegalStateException("training is complete: all " + totalIterations + " iterations were taken");
        }
        if (startNanos == 0) {
            startNanos = System.nanoTime() - elapsedBeforeResume * 1_000_000;
            for (TrainingListener l : listeners) {
                l.onStart(totalEpochs, totalIterations);
            }
        }
        if (batchInEpoch == 0) {
            beginEpoch();
        }
        int start = batchInEpoch * batch;
        int rows = Math.min(batch, n - start);
        double cost = step(start, rows, learningRate, iteration + 1);
        costs[iteration++] = cost;
        if (!Double.isFinite(cost) || cost > divergenceBound) {
            throw diverged(iteration, epoch, cost, learningRate, batchInEpoch == 0);
        }
        if (iteration == 1) {
            setDivergenceBound();
        }
        if (batchInEpoch == 0 && snapshotTaken) {
            // The cost of the first step was computed with the epoch's starting weights: they are good.
            Storage t = lastGood;
            lastGood = epochStart;
            epochStart = t;
            lastGoodEpoch = epoch;
        }
        costSum += cost * rows;
        seen += rows;
        if (train.hasClasses()) {
            correct += countCorrect(start, rows);
        }
        for (TrainingListener l : listeners) {
            l.onIteration(iteration, epoch, cost);
        }
        batchInEpoch++;
        if (batchInEpoch == batchesPerEpoch || iteration == totalIterations) {
            endEpoch();
        }
        if (stoppedEarly) {
            finish(history());
        } else if (iteration == totalIterations) {
            if (!allFinite(net.params)) {
                // The last update produced non-finite weights after a finite cost.
                throw diverged(iteration, epoch - 1, Double.NaN, learningRate, false);
            }
            restoreBestAtEnd();
            finish(history());
        }
        int every = config.checkpointEvery();
        if (every > 0 && iteration % every == 0) {
            try {
                saveCheckpoint(config.checkpointFile());
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the checkpoint " + config.checkpointFile() + " after "
                        + "iteration " + iteration + ": " + e.getMessage(), e);
            }
        }
        return cost;
    }

    /**
     * Regression targets must be what the loss can score: probabilities in [0, 1] for binary
     * cross-entropy, rows of non-negative values summing to 1 for categorical cross-entropy; anything
     * else trains to a meaningless (even negative) cost without complaint.
     */
    private static void checkTargets(Loss loss, Dataset data, String which) {
        if (data.hasClasses() || loss == Loss.MEAN_SQUARED_ERROR) {
            return;
        }
        int width = data.targetWidth();
        for (int i = 0; i < data.size(); i++) {
            double sum = 0;
            for (int j = 0; j < width; j++) {
                double t = data.target(i, j);
                if (t < 0 || (loss == Loss.BINARY_CROSS_ENTROPY && t > 1)) {
                    throw new IllegalArgumentException(which + " target " + t + " (row " + i + ", column " + j + ") is "
                            + "outside [0, 1]: " + loss + " scores probabilities; use mean squared error for other "
                            + "targets");
                }
                sum += t;
            }
            if (loss == Loss.CATEGORICAL_CROSS_ENTROPY && Math.abs(sum - 1) > 1e-6 * width) {
                throw new IllegalArgumentException(which + " targets of row " + i + " sum to " + sum + ", not 1: "
                        + loss + " scores probability rows (one-hot labels, say)");
            }
        }
    }

    /** A checkpoint that cannot be written is found now, not hours into the run when the first is due. */
    private static void checkCheckpointTarget(TrainingConfig config) {
        if (config.checkpointEvery() <= 0) {
            return;
        }
        Path file = config.checkpointFile().toAbsolutePath();
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("checkpoint file " + file + " is a directory; give a file name");
        }
        // Missing directories are created when the first checkpoint is written: check the deepest one there is.
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IllegalArgumentException("checkpoint file " + file + ": " + existing + " is a file, not a directory");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new IllegalArgumentException("checkpoint file " + file + ": directory " + existing + " is not writable");
        }
    }

    private void setDivergenceBound() {
        double factor = config.divergenceFactor();
        divergenceBound = factor > 0 && costs[0] > 0 ? factor * costs[0] : Double.POSITIVE_INFINITY;
    }

    /** The network being trained. */
    public Network network() {
        return net;
    }

    /**
     * Writes a checkpoint: the network (a checkpoint loads as a model with {@link Network#load}) plus
     * the optimizer state, position, early-stopping state and history so far, atomically (temporary
     * file, forced to disk, renamed) in model format version 2. Call it between steps; continue with
     * {@link Network#resume}.
     */
    public void saveCheckpoint(Path file) throws IOException {
        ModelFile.writeCheckpoint(net, snapshot(), file);
    }

    /** The training state as it is now; shares the session's arrays (written out at once, never kept). */
    private Checkpoint snapshot() {
        Checkpoint c = new Checkpoint();
        c.optimizer = optimizer.toString();
        c.seed = config.seed();
        c.configBatchSize = config.batchSize();
        c.trainSize = n;
        c.configEpochs = config.epochs();
        c.configIterations = config.iterations();
        c.totalIterations = totalIterations;
        c.totalEpochs = totalEpochs;
        c.shuffle = config.shuffle();
        c.weightDecay = config.weightDecay();
        c.patience = config.patience();
        c.minDelta = config.minDelta();
        c.hasValidation = validation != null;
        c.state1 = state1;
        c.state2 = state2;
        c.iteration = iteration;
        c.epoch = epoch;
        c.batchInEpoch = batchInEpoch;
        c.learningRate = learningRate;
        c.costSum = costSum;
        c.seen = seen;
        c.correct = correct;
        c.elapsedMillis = elapsedMillis();
        c.lastGoodEpoch = lastGoodEpoch;
        c.lastGood = lastGood;
        c.bestEpoch = bestEpoch;
        c.bestValidationCost = bestValidationCost;
        c.best = best;
        c.stoppedEarly = stoppedEarly;
        c.restoredBest = restoredBest;
        c.stopReason = stopReason;
        c.costs = costs;
        c.epochs = epochs.toList();
        return c;
    }

    private long elapsedMillis() {
        return startNanos == 0 ? elapsedBeforeResume : (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * A session continuing the checkpoint {@code c} of {@code net}: checks that the configuration and
     * data are those of the checkpointed run, then restores every piece of state.
     */
    static TrainingSession resume(Network net, Checkpoint c, String name, Dataset train, Dataset validation,
                                  TrainingConfig config) {
        String what = "the checkpoint " + name + " does not match this run: ";
        String tail = "; resume with the same configuration and data as the interrupted run";
        check(what, "optimizer", c.optimizer, config.optimizer().toString(), tail);
        check(what, "batch size", batchName(c.configBatchSize), batchName(config.batchSize()), tail);
        check(what, "seed", c.seed, config.seed(), tail);
        check(what, "epochs", c.configEpochs, config.epochs(), tail);
        check(what, "iterations", c.configIterations, config.iterations(), tail);
        check(what, "shuffle", c.shuffle, config.shuffle(), tail);
        check(what, "weight decay", c.weightDecay, config.weightDecay(), tail);
        check(what, "early stopping patience", c.patience, config.patience(), tail);
        check(what, "early stopping minDelta", c.minDelta, config.minDelta(), tail);
        check(what, "validation set", c.hasValidation ? "present" : "absent", validation != null ? "present" : "absent",
                tail);
        for (EpochStats e : c.epochs) {
            double lr = config.optimizer().learningRate() * config.schedule().factor(e.epoch());
            if (Double.compare(lr, e.learningRate()) != 0) {
                check(what, "learning rate of epoch " + (e.epoch() + 1) + " (schedule)", e.learningRate(), lr, tail);
            }
        }
        TrainingSession s = net.session(train, validation, config);
        check(what, "training samples", c.trainSize, train.size(), tail);
        check(what, "total iterations", c.totalIterations, s.totalIterations, tail);
        check(what, "total epochs", c.totalEpochs, s.totalEpochs, tail);
        check(what, "optimizer state arrays", c.stateArrays(), s.optimizer.stateArrays(), tail);
        check(what, "early-stopping weights", c.best != null ? "present" : "absent",
                s.best != null ? "present" : "absent", tail);
        if (c.epochs.size() > s.totalEpochs) {
            check(what, "epochs completed", c.epochs.size(), "at most " + s.totalEpochs, tail);
        }
        s.restore(c);
        return s;
    }

    private static String batchName(int batchSize) {
        return batchSize == TrainingConfig.FULL_BATCH ? "full" : Integer.toString(batchSize);
    }

    private static void check(String what, String field, Object inFile, Object inConfig, String tail) {
        if (!inFile.equals(inConfig)) {
            throw new IllegalArgumentException(what + field + " is " + inFile + " in the checkpoint but " + inConfig
                    + " in the configuration" + tail);
        }
    }

    private void restore(Checkpoint c) {
        if (state1 != null) {
            state1.copyFrom(c.state1);
        }
        if (state2 != null) {
            state2.copyFrom(c.state2);
        }
        iteration = c.iteration;
        epoch = c.epoch;
        batchInEpoch = c.batchInEpoch;
        learningRate = c.learningRate;
        costSum = c.costSum;
        seen = c.seen;
        correct = c.correct;
        elapsedBeforeResume = c.elapsedMillis;
        lastGoodEpoch = c.lastGoodEpoch;
        lastGood.copyFrom(c.lastGood);
        epochStart.copyFrom(net.params);
        bestEpoch = c.bestEpoch;
        bestValidationCost = c.bestValidationCost;
        if (best != null) {
            best.copyFrom(c.best);
        }
        stoppedEarly = c.stoppedEarly;
        restoredBest = c.restoredBest;
        stopReason = c.stopReason;
        System.arraycopy(c.costs, 0, costs, 0, c.iteration);
        epochs.clear();
        for (EpochStats e : c.epochs) {
            epochs.add(e);
        }
        if (iteration > 0) {
            setDivergenceBound();
        }
        if (batchInEpoch > 0) {
            // Mid-epoch: rebuild this epoch's sample order, which depends on (seed, epoch) only.
            orderEpoch();
        }
    }

    /** What happened so far. */
    public TrainingHistory history() {
        String reason = stopReason != null ? stopReason
                : iteration < totalIterations ? "stopped after " + iteration + " of " + totalIterations + " iterations"
                : config.iterations() > 0 ? "completed " + totalIterations + " iterations"
                : "completed " + totalEpochs + " epochs";
        return new TrainingHistory(TrainingHistory.truncate(costs, iteration), epochs.toList(), reason, false, bestEpoch,
                stoppedEarly, restoredBest);
    }

    /** Optimizer steps taken so far. */
    public int iteration() {
        return iteration;
    }

    /** Steps the whole run takes. */
    public int totalIterations() {
        return totalIterations;
    }

    /** Epochs the whole run takes. */
    public int totalEpochs() {
        return totalEpochs;
    }

    /** Samples per step (the whole training set for full-batch training). */
    public int batchSize() {
        return batch;
    }

    /** True when every step has been taken, or early stopping ended the run. */
    public boolean isComplete() {
        return stoppedEarly || iteration >= totalIterations;
    }

    private void beginEpoch() {
        snapshotTaken = !lazySnapshots || epoch % SNAPSHOT_EVERY == 0 || lastGoodEpoch < 0;
        if (snapshotTaken) {
            epochStart.copyFrom(net.params);
        }
        orderEpoch();
        double factor = config.schedule().factor(epoch);
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("the learning-rate schedule gives the factor " + factor + " for epoch "
                    + epoch + ": a factor must be finite and >= 0");
        }
        learningRate = optimizer.learningRate() * factor;
        costSum = 0;
        seen = 0;
        correct = 0;
    }

    private void endEpoch() {
        double valCost = Double.NaN;
        double valAccuracy = Double.NaN;
        if (validation != null) {
            // The session's own workspace: the same numbers as net.cost and net.predictClasses, without
            // allocating a workspace and output arrays every epoch.
            valCost = net.cost(validation, validationWs);
            if (validation.hasClasses()) {
                valAccuracy = (double) net.countCorrect(validation, validationWs) / validation.size();
            }
        }
        epochs.add(iteration, learningRate, costSum / seen, train.hasClasses() ? (double) correct / seen : Double.NaN,
                valCost, valAccuracy, (System.nanoTime() - startNanos) / 1_000_000);
        if (listeners.length > 0) {
            EpochStats stats = epochs.get(epoch);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(stats);
            }
        }
        if (validation != null) {
            trackBest(valCost);
        }
        epoch++;
        batchInEpoch = 0;
    }

    /**
     * Keeps the epoch with the lowest validation cost and, with early stopping, its weights; stops
     * the run once {@code patience} epochs in a row failed to improve on it by more than minDelta.
     */
    private void trackBest(double valCost) {
        double margin = best != null ? config.minDelta() : 0;
        // NaN never improves: a diverging validation cost counts as no improvement.
        if (valCost < bestValidationCost - margin) {
            bestValidationCost = valCost;
            bestEpoch = epoch;
            if (best != null) {
                best.copyFrom(net.params);
            }
            return;
        }
        int patience = config.patience();
        // On the very last step the normal end of the run restores the best weights instead.
        if (best == null || epoch - bestEpoch < patience || iteration == totalIterations) {
            return;
        }
        stoppedEarly = true;
        if (bestEpoch >= 0) {
            net.params.copyFrom(best);
            restoredBest = true;
            stopReason = String.format(Locale.ROOT, "early stopping at epoch %d: validation cost has not improved for "
                            + "%d epochs since epoch %d (%s); restored the weights of epoch %d", epoch + 1, patience,
                    bestEpoch + 1, format(bestValidationCost), bestEpoch + 1);
        } else {
            stopReason = String.format(Locale.ROOT, "early stopping at epoch %d: the validation cost was not finite in "
                    + "any of the %d epochs; the network keeps its last weights", epoch + 1, epoch + 1);
        }
    }

    /** At the normal end of a run with early stopping, gives the network the best epoch's weights. */
    private void restoreBestAtEnd() {
        int lastEpoch = epochs.size() - 1;
        if (best == null || bestEpoch < 0 || bestEpoch == lastEpoch) {
            return;
        }
        net.params.copyFrom(best);
        restoredBest = true;
        stopReason = String.format(Locale.ROOT, "%s; restored the weights of epoch %d (lowest validation cost %s)",
                config.iterations() > 0 ? "completed " + totalIterations + " iterations" : "completed " + totalEpochs
                        + " epochs", bestEpoch + 1, format(bestValidationCost));
    }

    private static String format(double cost) {
        return Math.abs(cost) >= 1e-3 ? String.format(Locale.ROOT, "%.4f", cost) : String.format(Locale.ROOT, "%.3e", cost);
    }

    /**
     * Restores the last good weights and builds the exception. When the very first step of an epoch
     * fails, the epoch's starting weights are bad too, so the previous good snapshot is used.
     */
    private TrainingDivergedException diverged(int iteration, int epoch, double cost, double lr, boolean firstStepOfEpoch) {
        int keptEpoch;
        if (lazySnapshots && lastGoodEpoch >= 0) {
            // Every epoch before the failing one started from good weights (the last one included when
            // only the final update went wrong); take the steps after the snapshot again to get them.
            keptEpoch = replayTo(firstStepOfEpoch ? epoch - 1 : epoch);
        } else if (!firstStepOfEpoch && lastGoodEpoch == epoch) {
            net.params.copyFrom(lastGood);
            keptEpoch = epoch;
        } else if (lastGoodEpoch >= 0) {
            net.params.copyFrom(lastGood);
            keptEpoch = lastGoodEpoch;
        } else {
            net.params.copyFrom(epochStart);
            keptEpoch = 0;
        }
        TrainingHistory h = new TrainingHistory(TrainingHistory.truncate(costs, iteration), epochs.toList(),
                "diverged at iteration " + iteration, true);
        finish(h);
        return new TrainingDivergedException(divergenceMessage(iteration, epoch, cost, lr, keptEpoch), h);
    }

    /**
     * Full batch, lazy snapshots: sets the weights to those at the start of epoch {@code target} by
     * taking the steps of epochs {@code lastGoodEpoch .. target - 1} again from the snapshot. Each step
     * must give the cost it gave the first time; if one does not (another thread count, a BLAS whose
     * results vary from call to call), the snapshot's own weights are kept instead.
     *
     * @return the epoch whose starting weights the network now holds
     */
    private int replayTo(int target) {
        net.params.copyFrom(lastGood);
        for (int e = lastGoodEpoch; e < target; e++) {
            double cost = step(0, n, optimizer.learningRate() * config.schedule().factor(e), e + 1);
            if (Double.doubleToRawLongBits(cost) != Double.doubleToRawLongBits(costs[e])) {
                net.params.copyFrom(lastGood);
                return lastGoodEpoch;
            }
        }
        return target;
    }

    private static boolean allFinite(Storage s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (!Double.isFinite(s.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** One optimizer step on samples {@code order[start .. start+rows)}; returns the batch cost. */
    private double step(int start, int rows, double lr, int t) {
        // Full batch: the order never changes and nothing writes to the batch buffers, so gathering
        // the whole set again each step would only copy the same bytes (20 MB per step for W2).
        if (!wholeSetLoaded) {
            net.loadFeatures(train, order, start, rows, ws);
            net.loadTargets(train, order, start, rows, ws);
            wholeSetLoaded = batch >= n;
        }
        net.forward(ws, rows, true);
        double cost = net.outputLoss(ws, rows, true);
        double lambda = config.weightDecay();
        if (lambda > 0) {
            // The penalty of the weights this step started from, before any update.
            cost += 0.5 * lambda * sumOfSquaredWeights();
        }
        if (grads == null) {
            net.backwardSgd(ws, rows, lr, lambda, biasScratch);
            return cost;
        }
        net.backward(ws, rows, grads);
        if (lambda > 0) {
            for (int l = 0; l < net.layers.size(); l++) {
                // dW += lambda W
                k.axpy(net.layers.get(l).weightCount(), lambda, net.params, net.layout.weightOffset(l),
                        grads, net.layout.weightOffset(l));
            }
        }
        applyOptimizer(lr, t);
        return cost;
    }

    /** Plain SGD needs no gradient buffer: {@link Network#backwardSgd} updates the weights as it goes. */
    private boolean fusedSgd() {
        return optimizer instanceof Optimizer.Sgd;
    }

    private static int widestLayer(Network net) {
        int widest = 1;
        for (LayerSpec s : net.layers) {
            widest = Math.max(widest, s.units());
        }
        return widest;
    }

    /** The optimizers other than plain SGD, from the gradients in {@link #grads}. */
    private void applyOptimizer(double lr, int t) {
        int p = grads.length();
        if (optimizer instanceof Optimizer.Momentum) {
            Optimizer.Momentum m = (Optimizer.Momentum) optimizer;
            k.momentumStep(p, lr, m.mu(), m.nesterov(), net.params, grads, state1);
        } else if (optimizer instanceof Optimizer.Adam) {
            Optimizer.Adam a = (Optimizer.Adam) optimizer;
            k.adamStep(p, lr, a.beta1(), a.beta2(), a.epsilon(), t, net.params, grads, state1, state2);
        } else if (optimizer instanceof Optimizer.RmsProp) {
            Optimizer.RmsProp r = (Optimizer.RmsProp) optimizer;
            k.rmspropStep(p, lr, r.rho(), r.epsilon(), net.params, grads, state1);
        } else {
            throw new AssertionError(optimizer);
        }
    }

    private double sumOfSquaredWeights() {
        double sum = 0;
        for (int l = 0; l < net.layers.size(); l++) {
            int off = net.layout.weightOffset(l);
            for (int i = off, end = off + net.layers.get(l).weightCount(); i < end; i++) {
                double w = net.params.get(i);
                sum += w * w;
            }
        }
        return sum;
    }

    /** Counts right predictions in the batch just computed, from the output activations left by the loss. */
    private int countCorrect(int start, int rows) {
        Storage out = ws.a[net.layers.size() - 1];
        int right = 0;
        for (int r = 0; r < rows; r++) {
            if (net.classOf(out, r) == train.label(order[start + r])) {
                right++;
            }
        }
        return right;
    }

    /**
     * The sample order of the current epoch: the identity, shuffled (Fisher-Yates) by a generator
     * seeded from (seed, epoch) alone, so the same seed gives the same batches and a resumed run can
     * rebuild any epoch's order. Allocates nothing.
     */
    private void orderEpoch() {
        if (!config.shuffle() || batch >= n) {
            return;
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffleRng.setSeed(config.seed() * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = shuffleRng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    private void finish(TrainingHistory h) {
        for (TrainingListener l : listeners) {
            l.onFinish(h);
        }
    }

    /**
     * Fails before anything is allocated when the run cannot fit in the heap: the batch workspace
     * (activations and their gradients), the parameter-sized arrays (gradient unless SGD, two
     * divergence snapshots, optimizer state, the early-stopping copy), the cost of every step, the
     * statistics of every epoch, and the chunked workspace that evaluates the validation set.
     * Checkpoints are streamed to disk through a 64 KB buffer and need no copy of the parameters.
     */
    private void checkMemory() {
        int paramArrays = (fusedSgd() ? 2 : 3) + optimizer.stateArrays() + (config.earlyStopping() ? 1 : 0);
        long workspace = Workspace.bytesNeeded(net.layers, net.dtype, batch, true);
        long parameters = (long) net.parameterCount() * net.dtype.bytes() * paramArrays;
        long bookkeeping = 8L * totalIterations + EpochLog.bytesNeeded(totalEpochs) + 4L * n
                + (validation == null ? 0 : Workspace.bytesNeeded(net.layers, net.dtype,
                Math.min(validation.size(), Network.INFERENCE_CHUNK), false));
        long bytes = workspace + parameters + bookkeeping;
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > available) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "training needs about %,d MB (%,d bytes: "
                            + "%,d for the activations and gradients of batch %d, %,d for %d parameter-sized arrays of "
                            + "%,d parameters, %,d for bookkeeping) but only %,d MB of the %,d MB heap are free: use %s, "
                            + "or raise the heap limit with the JVM option -Xmx (e.g. java -Xmx%dg ...)",
                    (bytes + (1 << 20) - 1) >> 20, bytes, workspace, batch, parameters, paramArrays,
                    net.parameterCount(), bookkeeping, available >> 20, rt.maxMemory() >> 20,
                    bookkeeping > workspace + parameters
                            ? "fewer iterations or epochs (the cost of every step and the statistics of every epoch are kept)"
                            : "a smaller batch size or network",
                    Math.max(2, (bytes * 2 >> 30) + 1)));
        }
    }

    private String divergenceMessage(int iteration, int epoch, double cost, double lr, int keptEpoch) {
        double maxAbs = 0;
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < train.featureCount(); j++) {
                maxAbs = Math.max(maxAbs, Math.abs(train.feature(i, j)));
            }
        }
        String cause = maxAbs > 10 && !net.hasInputScaling()
                ? "the inputs are not scaled (the largest |feature| is " + maxAbs + "): standardize them or divide by "
                        + "their range, and/or lower the learning rate " + lr
                : "the learning rate " + lr + " is too high for this network and data: try 10 times smaller";
        String what = Double.isNaN(cost) && iteration == totalIterations ? "the weights became non-finite"
                : Double.isFinite(cost) ? String.format(Locale.ROOT, "the cost grew to %.6g, more than %s times the "
                        + "first step's cost %.6g (TrainingConfig.Builder.divergenceFactor)", cost,
                        BigDecimal.valueOf(config.divergenceFactor()).stripTrailingZeros().toPlainString(), costs[0])
                : "the cost became " + cost;
        return "training diverged at iteration " + iteration + " (epoch " + (epoch + 1) + "): " + what
                + ". Likely cause: " + cause + ". The network keeps the weights it had "
                + (keptEpoch == 0 ? "before training" : "at the start of epoch " + (keptEpoch + 1)) + ".";
    }
}
