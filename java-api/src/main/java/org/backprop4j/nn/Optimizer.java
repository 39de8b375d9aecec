package org.backprop4j.nn;

/**
 * How parameters move given their gradient. Whether descent is full-batch or mini-batch is set by
 * {@link TrainingConfig.Builder#batchSize(int)}, not here.
 *
 * <p>Create with the static factories, e.g. {@code Optimizer.adam(1e-3)}.
 */
public sealed interface Optimizer
        permits Optimizer.Sgd, Optimizer.Momentum, Optimizer.Adam, Optimizer.RmsProp {

    /** The base learning rate (before any {@link LearningRateSchedule}). */
    double learningRate();

    /** Number of parameter-sized state arrays the optimizer keeps (velocities, moments). */
    int stateArrays();

    /** Plain gradient descent: {@code w -= lr · g}. */
    static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate);
    }

    /** Heavy-ball momentum: {@code v = mu · v + g; w -= lr · v}. */
    static Optimizer momentum(double learningRate, double mu) {
        return new Momentum(learningRate, mu, false);
    }

    /** Nesterov momentum (Sutskever et al. 2013): {@code v = mu · v + g; w -= lr · (g + mu · v)}. */
    static Optimizer nesterov(double learningRate, double mu) {
        return new Momentum(learningRate, mu, true);
    }

    /** Adam (Kingma and Ba 2015) with the paper's defaults {@code beta1 = 0.9, beta2 = 0.999, eps = 1e-8}. */
    static Optimizer adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam with every setting given. */
    static Optimizer adam(double learningRate, double beta1, double beta2, double epsilon) {
        return new Adam(learningRate, beta1, beta2, epsilon);
    }

    /** RMSProp (Hinton, lecture 6e) with {@code rho = 0.9, eps = 1e-8}. */
    static Optimizer rmsprop(double learningRate) {
        return new RmsProp(learningRate, 0.9, 1e-8);
    }

    /** RMSProp with every setting given. */
    static Optimizer rmsprop(double learningRate, double rho, double epsilon) {
        return new RmsProp(learningRate, rho, epsilon);
    }

    /** {@code w -= lr · g}. */
    record Sgd(double learningRate) implements Optimizer {
        /** Rejects a learning rate that is not a positive finite number. */
        public Sgd {
            checkLearningRate(learningRate);
        }

        @Override
        public int stateArrays() {
            return 0;
        }

        @Override
        public String toString() {
            return "sgd(lr=" + learningRate + ")";
        }
    }

    /** Momentum, or Nesterov momentum when {@code nesterov}; {@code mu} in [0, 1). */
    record Momentum(double learningRate, double mu, boolean nesterov) implements Optimizer {
        /** Rejects a learning rate that is not a positive finite number and a {@code mu} outside [0, 1). */
        public Momentum {
            checkLearningRate(learningRate);
            checkFraction("momentum", mu);
        }

        @Override
        public int stateArrays() {
            return 1;
        }

        @Override
        public String toString() {
            return (nesterov ? "nesterov" : "momentum") + "(lr=" + learningRate + ", mu=" + mu + ")";
        }
    }

    /** Adam; {@code beta1}, {@code beta2} in [0, 1), {@code epsilon > 0}. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
        /** Rejects a learning rate or {@code epsilon} that is not a positive finite number and betas outside [0, 1). */
        public Adam {
            checkLearningRate(learningRate);
            checkFraction("beta1", beta1);
            checkFraction("beta2", beta2);
            checkEpsilon(epsilon);
        }

        @Override
        public int stateArrays() {
            return 2;
        }

        @Override
        public String toString() {
            return "adam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ")";
        }
    }

    /** RMSProp; {@code rho} in [0, 1), {@code epsilon > 0}. */
    record RmsProp(double learningRate, double rho, double epsilon) implements Optimizer {
        /**
         * Rejects a learning rate or {@code epsilon} that is not a positive finite number and a
         * {@code rho} outside [0, 1).
         */
        public RmsProp {
            checkLearningRate(learningRate);
            checkFraction("rho", rho);
            checkEpsilon(epsilon);
        }

        @Override
        public int stateArrays() {
            return 1;
        }

        @Override
        public String toString() {
            return "rmsprop(lr=" + learningRate + ", rho=" + rho + ", eps=" + epsilon + ")";
        }
    }

    private static void checkLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr
                    + " (typical values: 0.01 for sgd, 0.001 for adam)");
        }
    }

    private static void checkFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }

    private static void checkEpsilon(double eps) {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("epsilon must be a small positive number, got " + eps);
        }
    }
}
