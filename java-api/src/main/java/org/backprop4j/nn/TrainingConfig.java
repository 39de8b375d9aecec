package org.backprop4j.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Network#fit} trains: optimizer, batch size, length, seed, regularization, schedule,
 * early stopping and listeners. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *         .optimizer(Optimizer.adam(1e-3))
 *         .batchSize(32)
 *         .epochs(20)
 *         .seed(42)
 *         .build();
 * }</pre>
 */
public final class TrainingConfig {

    /** Batch size meaning "the whole training set in one batch" (full-batch gradient descent). */
    public static final int FULL_BATCH = 0;

    /** Default of {@link Builder#divergenceFactor(double)}. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 1e3;

    private final Optimizer optimizer;
    private final int batchSize;
    private final int epochs;
    private final int iterations;
    private final long seed;
    private final boolean shuffle;
    private final double weightDecay;
    private final LearningRateSchedule schedule;
    private final int patience;
    private final double minDelta;
    private final List<TrainingListener> listeners;
    private final int checkpointEvery;
    private final Path checkpointFile;
    private final double divergenceFactor;

    private TrainingConfig(Builder b) {
        this.optimizer = b.optimizer;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.iterations = b.iterations;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.weightDecay = b.weightDecay;
        this.schedule = b.schedule;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointFile = b.checkpointFile;
        this.divergenceFactor = b.divergenceFactor;
    }

    /** A builder with defaults: SGD with learning rate 0.01, batch 32, 10 epochs, seed 0, shuffling on. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.optimizer = optimizer;
        b.batchSize = batchSize;
        b.epochs = epochs;
        b.iterations = iterations;
        b.seed = seed;
        b.shuffle = shuffle;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.patience = patience;
        b.minDelta = minDelta;
        b.listeners.addAll(listeners);
        b.checkpointEvery = checkpointEvery;
        b.checkpointFile = checkpointFile;
        b.divergenceFactor = divergenceFactor;
        return b;
    }

    /** The optimizer that updates the parameters at each step. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Samples per optimizer step, or {@link #FULL_BATCH}. */
    public int batchSize() {
        return batchSize;
    }

    /** Passes over the training set; 0 when {@link #iterations()} sets the length instead. */
    public int epochs() {
        return epochs;
    }

    /** Optimizer steps to take; 0 when {@link #epochs()} sets the length instead. */
    public int iterations() {
        return iterations;
    }

    /** Seed of the per-epoch shuffle. */
    public long seed() {
        return seed;
    }

    /** Whether mini-batches are drawn from a fresh seeded permutation each epoch. */
    public boolean shuffle() {
        return shuffle;
    }

    /** L2 coefficient λ: the cost gains {@code (λ/2)·Σ W²} over all weights (not biases), the gradient {@code λ·W}. */
    public double weightDecay() {
        return weightDecay;
    }

    /** The factor applied to the optimizer's learning rate at each epoch. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** True if training stops early on the validation cost (see {@link Builder#earlyStopping(int, double)}). */
    public boolean earlyStopping() {
        return patience > 0;
    }

    /** Epochs without improvement of the validation cost after which training stops; 0 when early stopping is off. */
    public int patience() {
        return patience;
    }

    /** The decrease of the validation cost that counts as an improvement (0: any decrease). */
    public double minDelta() {
        return minDelta;
    }

    /** The listeners told about training progress, in the order they were added. */
    public List<TrainingListener> listeners() {
        return listeners;
    }

    /** Steps between two checkpoints written during training; 0 when none are written. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** Where checkpoints are written (see {@link Builder#checkpointEvery(int, Path)}), or null. */
    public Path checkpointFile() {
        return checkpointFile;
    }

    /**
     * Training stops as diverged when a batch cost exceeds this many times the cost of the very first
     * step (besides becoming NaN or infinite); 0 turns the bound off. Default
     * {@link #DEFAULT_DIVERGENCE_FACTOR}.
     */
    public double divergenceFactor() {
        return divergenceFactor;
    }

    /** Builds a {@link TrainingConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private Optimizer optimizer = Optimizer.sgd(0.01);
        private int batchSize = 32;
        private int epochs = 10;
        private int iterations;
        private long seed;
        private boolean shuffle = true;
        private double weightDecay;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private int patience;
        private double minDelta;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int checkpointEvery;
        private Path checkpointFile;
        private double divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;

        private Builder() {
        }

        /** The optimizer (default SGD with learning rate 0.01). */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** Samples per step, at least 1; or {@link #FULL_BATCH} for the whole set in one step. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("batch size must be >= 1 (or 0 for full batch), got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Full-batch gradient descent: every step sees the whole training set. */
        public Builder fullBatch() {
            return batchSize(FULL_BATCH);
        }

        /** Train for this many passes over the data (clears {@link #iterations(int)}). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            this.iterations = 0;
            return this;
        }

        /** Train for this many optimizer steps (clears {@link #epochs(int)}). */
        public Builder iterations(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
            }
            this.iterations = iterations;
            this.epochs = 0;
            return this;
        }

        /** Seed of the per-epoch shuffle (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether mini-batches are drawn from a fresh seeded permutation each epoch (default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** L2 regularization strength λ ≥ 0 (see {@link TrainingConfig#weightDecay()}). */
        public Builder weightDecay(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + lambda);
            }
            this.weightDecay = lambda;
            return this;
        }

        /** The learning-rate schedule (default {@link LearningRateSchedule#constant()}). */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** {@link #earlyStopping(int, double)} with {@code minDelta = 0}: any decrease is an improvement. */
        public Builder earlyStopping(int patience) {
            return earlyStopping(patience, 0);
        }

        /**
         * Stops training when the validation cost has not improved for {@code patience} epochs, and
         * gives the network back the weights of the epoch with the lowest validation cost. The same
         * restore happens when the run ends without stopping early. Needs a validation set:
         * {@link Network#fit(org.backprop4j.data.Dataset, org.backprop4j.data.Dataset, TrainingConfig)}.
         *
         * @param patience epochs without improvement before stopping, at least 1
         * @param minDelta an epoch improves on the best one if its validation cost is lower by more
         *                 than this (absolute, {@code >= 0})
         */
        public Builder earlyStopping(int patience, double minDelta) {
            if (patience < 1) {
                throw new IllegalArgumentException("early stopping patience must be >= 1 epoch, got " + patience);
            }
            if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
                throw new IllegalArgumentException("early stopping minDelta must be >= 0, got " + minDelta);
            }
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** Turns early stopping off again (the default). */
        public Builder noEarlyStopping() {
            this.patience = 0;
            this.minDelta = 0;
            return this;
        }

        /** Adds a listener told about training progress. */
        public Builder listener(TrainingListener listener) {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Writes a checkpoint (the network plus everything needed to continue exactly: optimizer
         * state, position, early-stopping state, history so far) to {@code file} after every
         * {@code iterations} steps, replacing the previous one atomically. Continue an interrupted
         * run with {@link Network#resume(Path, org.backprop4j.data.Dataset, org.backprop4j.data.Dataset,
         * TrainingConfig)}. The steps that do not write allocate nothing.
         */
        public Builder checkpointEvery(int iterations, Path file) {
            if (iterations < 1) {
                throw new IllegalArgumentException("checkpoint interval must be >= 1 iteration, got " + iterations);
            }
            this.checkpointFile = java.util.Objects.requireNonNull(file, "checkpoint file");
            this.checkpointEvery = iterations;
            return this;
        }

        /** Writes no checkpoints (the default). */
        public Builder noCheckpoints() {
            this.checkpointEvery = 0;
            this.checkpointFile = null;
            return this;
        }

        /**
         * Stops training as diverged once a batch cost exceeds {@code factor} times the first step's
         * cost, not only when it becomes NaN or infinite (which can take hundreds of exploding steps);
         * 0 turns the bound off. Default {@link TrainingConfig#DEFAULT_DIVERGENCE_FACTOR}.
         */
        public Builder divergenceFactor(double factor) {
            if (!(factor == 0 || factor > 1) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("divergence factor must be > 1 (or 0 to turn the bound off), got "
                        + factor);
            }
            this.divergenceFactor = factor;
            return this;
        }

        /** Creates the {@link TrainingConfig}. */
        public TrainingConfig build() {
            return new TrainingConfig(this);
        }
    }
}
