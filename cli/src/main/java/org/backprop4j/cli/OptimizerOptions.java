package org.backprop4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.backprop4j.nn.LearningRateSchedule;
import org.backprop4j.nn.Optimizer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The optimizer, learning-rate schedule and weight-decay options shared by train and diagnose. */
final class OptimizerOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "sgd, momentum, nesterov, adam or rmsprop. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate. Default: 0.001 for adam and rmsprop, 0.01 otherwise.")
    Double learningRate;

    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0.9",
            description = "Momentum of momentum and nesterov, in [0, 1). Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--beta1", paramLabel = "X", defaultValue = "0.9",
            description = "Adam's first-moment decay. Default: ${DEFAULT-VALUE}.")
    double beta1;

    @Option(names = "--beta2", paramLabel = "X", defaultValue = "0.999",
            description = "Adam's second-moment decay. Default: ${DEFAULT-VALUE}.")
    double beta2;

    @Option(names = "--rho", paramLabel = "X", defaultValue = "0.9", description = "RMSProp's decay. Default: ${DEFAULT-VALUE}.")
    double rho;

    @Option(names = "--epsilon", paramLabel = "X", defaultValue = "1e-8",
            description = "Adam's and RMSProp's epsilon. Default: ${DEFAULT-VALUE}.")
    double epsilon;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "L2 regularization: the cost gains (LAMBDA/2) * sum of squared weights. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "SPEC", defaultValue = "constant",
            description = "Learning-rate schedule by epoch: constant, step:EPOCHS:GAMMA (times GAMMA every EPOCHS), "
                    + "exp:GAMMA (times GAMMA each epoch), cosine[:MIN] (down to MIN times the rate at the end). "
                    + "Default: ${DEFAULT-VALUE}.")
    String schedule;

    /**
     * Parses and checks every option, so that a typo fails before any data is read, and warns (on
     * {@code err}) about options the chosen optimizer does not use.
     *
     * @return the optimizer
     */
    Optimizer validate(PrintWriter err) {
        if (learningRate != null && (!(learningRate > 0) || Double.isInfinite(learningRate))) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate
                    + " (typical: 0.001 for adam and rmsprop, 0.01 for sgd and momentum)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        schedule(1);
        Optimizer opt = optimizer();
        warnUnused(err);
        return opt;
    }

    /** The schedule, a cosine one annealing over {@code totalEpochs}. */
    LearningRateSchedule schedule(int totalEpochs) {
        return parseSchedule(schedule, totalEpochs);
    }

    /** "weight decay 0.01, schedule cosine, " for the run's summary line; empty for the defaults. */
    String describeExtras() {
        return (weightDecay > 0 ? "weight decay " + weightDecay + ", " : "")
                + (schedule.trim().equalsIgnoreCase("constant") ? "" : "schedule " + schedule.trim() + ", ");
    }

    private Optimizer optimizer() {
        String name = name();
        boolean adaptive = name.equals("adam") || name.equals("rmsprop");
        double lr = learningRate != null ? learningRate : adaptive ? 0.001 : 0.01;
        switch (name) {
            case "sgd": return Optimizer.sgd(lr);
            case "momentum": return Optimizer.momentum(lr, momentum);
            case "nesterov": return Optimizer.nesterov(lr, momentum);
            case "adam": return Optimizer.adam(lr, beta1, beta2, epsilon);
            case "rmsprop": return Optimizer.rmsprop(lr, rho, epsilon);
            default:
                throw new IllegalArgumentException("unknown --optimizer '" + optimizer
                        + "': use sgd, momentum, nesterov, adam or rmsprop");
        }
    }

    private String name() {
        return optimizer.trim().toLowerCase(Locale.ROOT);
    }

    /** A warning, not an error: a script that sets --momentum for every run should still work with adam. */
    private void warnUnused(PrintWriter err) {
        String name = name();
        List<String> unused = new ArrayList<>();
        if (!name.equals("momentum") && !name.equals("nesterov") && given("--momentum")) {
            unused.add("--momentum");
        }
        if (!name.equals("adam")) {
            if (given("--beta1")) {
                unused.add("--beta1");
            }
            if (given("--beta2")) {
                unused.add("--beta2");
            }
        }
        if (!name.equals("rmsprop") && given("--rho")) {
            unused.add("--rho");
        }
        if (!name.equals("adam") && !name.equals("rmsprop") && given("--epsilon")) {
            unused.add("--epsilon");
        }
        for (String option : unused) {
            err.println("backprop4j: warning: " + option + " has no effect with --optimizer " + name);
        }
    }

    private boolean given(String option) {
        return command.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Parses {@code constant}, {@code step:EPOCHS:GAMMA}, {@code exp:GAMMA} or {@code cosine[:MIN]};
     * cosine anneals over {@code totalEpochs}.
     */
    static LearningRateSchedule parseSchedule(String value, int totalEpochs) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String[] parts = v.split(":", -1);
        try {
            switch (parts[0]) {
                case "constant":
                    if (parts.length == 1) {
                        return LearningRateSchedule.constant();
                    }
                    break;
                case "step":
                    if (parts.length == 3) {
                        return LearningRateSchedule.step(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
                    }
                    break;
                case "exp":
                    if (parts.length == 2) {
                        return LearningRateSchedule.exponential(Double.parseDouble(parts[1]));
                    }
                    break;
                case "cosine":
                    if (parts.length <= 2) {
                        return LearningRateSchedule.cosine(totalEpochs, parts.length == 2 ? Double.parseDouble(parts[1]) : 0);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted forms
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule " + value + ": " + e.getMessage());
        }
        throw new IllegalArgumentException("--schedule " + value + " is not a schedule: use constant, "
                + "step:EPOCHS:GAMMA (e.g. step:10:0.5), exp:GAMMA (e.g. exp:0.95) or cosine[:MIN] (e.g. cosine:0.01)");
    }
}
