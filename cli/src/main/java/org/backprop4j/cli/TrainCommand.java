package org.backprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Split;
import org.backprop4j.metrics.Evaluation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;
import org.backprop4j.nn.TrainingSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code backprop4j train}: builds a network for the data, trains it, reports train/test quality, saves it. */
@Command(name = "train", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Trains a fully connected network on a built-in data set or a CSV file.",
            "The input size and the output size come from the data. A seeded, stratified share of the "
                    + "samples (--test-fraction) is held out for testing; the input scaling is fitted on the "
                    + "training split only and saved inside the model, so a saved model takes raw features.",
            "Prints iteration/epoch/cost lines (the cost is the mean batch cost since the previous line), "
                    + "a progress bar on stderr when it is a terminal, then the train and test accuracy "
                    + "(train and test cost for regression).",
            "With --early-stopping, a seeded share of the training split (--validation-fraction, default 0.1) is "
                    + "held out as a validation set; training stops when its cost has not improved for PATIENCE epochs "
                    + "and the network keeps the weights of its best epoch. --plot draws the learning curves.",
            "With --checkpoint-every N, a checkpoint (weights, optimizer state, position, history) replaces the previous "
                    + "one every N iterations; after an interruption, --resume FILE with the same options as the "
                    + "original run continues it and ends with exactly the weights of an uninterrupted run."},
        footer = {"", "Examples:",
            "  backprop4j train",
            "  backprop4j train --hidden 64,32 --epochs 50 --schedule cosine --save d.bp4j",
            "  backprop4j train --data spirals --hidden 32,32 --activation tanh --lr 0.01 \\",
            "      --epochs 200",
            "  backprop4j train --epochs 200 --early-stopping 10 --plot curves.png",
            "  backprop4j train --epochs 500 --save m.bp4j --checkpoint-every 1000",
            "  backprop4j train --epochs 500 --save m.bp4j --checkpoint-every 1000 --resume m.bp4j.ckpt",
            "  backprop4j train --data houses.csv --regression --label-column price"})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    DataOptions data;

    @Mixin
    NetworkOptions network;

    @Mixin
    OptimizerOptions optimization;

    @Option(names = "--batch-size", paramLabel = "N|full", defaultValue = "32",
            description = "Samples per step, or 'full' for full-batch gradient descent. Default: ${DEFAULT-VALUE}.")
    String batchSize;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training split. Default: 30 (unless --iterations is given).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Optimizer steps to take, instead of --epochs.")
    Integer iterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the synthetic data, the train/test split, the initial weights and the shuffling. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "float32 or float64. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Mixin
    BackendOption backend;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of samples held out for testing (stratified by class); 0 trains on everything. "
                    + "Default: ${DEFAULT-VALUE}.")
    double testFraction;

    @Option(names = "--scale", paramLabel = "SPEC", defaultValue = "standard",
            description = "Input scaling, fitted on the training split and stored in the model: standard, minmax, "
                    + "none or divide:X. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when the validation cost has not improved for PATIENCE epochs and keep the weights of "
                    + "the best epoch. Needs a validation split (--validation-fraction).")
    Integer patience;

    @Option(names = "--min-delta", paramLabel = "X", defaultValue = "0",
            description = "With --early-stopping: the decrease of the validation cost that counts as an improvement. "
                    + "Default: ${DEFAULT-VALUE}.")
    double minDelta;

    @Option(names = "--validation-fraction", paramLabel = "F",
            description = "Share of the training split held out as a validation set (seeded by --seed, stratified by "
                    + "class), evaluated after every epoch. Default: 0.1 with --early-stopping, otherwise 0 (none).")
    Double validationFraction;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
            description = "Draw the learning curves (cost and accuracy per epoch, training and validation; the test "
                    + "split when there is no validation split) to a PNG or SVG file, written atomically.")
    Path plot;

    @Option(names = "--print-every", paramLabel = "N",
            description = "Print a cost line every N iterations; 0 for none. Default: about 10 lines per run.")
    Integer printEvery;

    @Option(names = "--save", paramLabel = "FILE", description = "Save the trained model to FILE (written atomically).")
    Path save;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Write a checkpoint (weights, optimizer state, position in the run, history) every N "
                    + "iterations, replacing the previous one atomically. Continue an interrupted run with --resume.")
    Integer checkpointEvery;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Where --checkpoint-every writes. Default: the --save file plus .ckpt (e.g. model.bp4j.ckpt), "
                    + "or checkpoint.bp4j without --save.")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue an interrupted run from a checkpoint. Give exactly the same options as the original "
                    + "run (data, network, optimizer, batch size, epochs or iterations, seed, ...); a different one is "
                    + "an error naming it. The resumed run ends with the weights of an uninterrupted one.")
    Path resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (cost lines still print).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        // Check every option before the slow parts, so a typo fails in milliseconds.
        DType type = DType.parse(dtype);
        int batch = parseBatchSize(batchSize);
        checkLength();
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
        }
        if (printEvery != null && printEvery < 0) {
            throw new IllegalArgumentException("--print-every must be >= 0 (0 prints no cost lines), got " + printEvery);
        }
        data.validate();
        network.validate();
        Optimizer opt = optimization.validate(err);
        Scaling.validate(scale);
        checkSaveTarget();
        checkCheckpointOptions();
        double valFraction = checkEarlyStoppingAndPlot();

        Dataset all = data.load(seed, type, data.regression);
        Backend compute = backend.resolve();
        Dataset train = all;
        Dataset test = null;
        if (testFraction > 0) {
            Split.TrainTest split = Split.trainTest(all, testFraction, seed, all.hasClasses());
            train = split.train();
            test = split.test();
        }
        Dataset validation = null;
        if (valFraction > 0) {
            Split.TrainTest split = Split.trainTest(train, valFraction, seed, train.hasClasses());
            train = split.train();
            validation = split.test();
        }
        // Watched after every epoch: the validation split; for a plot without one, the test split (only drawn).
        Dataset heldOut = validation != null ? validation : plot != null ? test : null;
        Scaling.Fitted scaling = Scaling.fit(scale, train);
        Network net = network.build(train, type, seed, compute, scaling.offsets(), scaling.scales());

        int n = train.size();
        int rows = batch == TrainingConfig.FULL_BATCH ? n : Math.min(batch, n);
        int batchesPerEpoch = (n + rows - 1) / rows;
        int totalIterations = iterations != null ? iterations : epochsOrDefault() * batchesPerEpoch;
        int totalEpochs = iterations != null ? (iterations + batchesPerEpoch - 1) / batchesPerEpoch : epochsOrDefault();
        int every = printEvery != null ? printEvery : TrainingProgress.defaultPrintEvery(totalIterations);
        boolean showBar = !quiet && main != null && main.interactive;

        out.println(describeData(all, train, validation, test, scaling) + "; network " + NetworkOptions.describe(net));
        out.println(net.summary());
        out.printf(Locale.ROOT, "%s, batch %s, %d epoch%s (%d iterations), %sseed %d%n", opt,
                batch == TrainingConfig.FULL_BATCH ? "full (" + n + ")" : Integer.toString(rows), totalEpochs,
                totalEpochs == 1 ? "" : "s", totalIterations,
                optimization.describeExtras()
                        + (patience != null ? "early stopping after " + patience + " epochs without improvement, " : ""),
                seed);
        out.flush();

        TrainingHistory history;
        long started = System.nanoTime();
        try (TrainingProgress progress = new TrainingProgress(out, showBar ? err : null, every)) {
            TrainingConfig.Builder config = TrainingConfig.builder()
                    .optimizer(opt)
                    .batchSize(batch)
                    .seed(seed)
                    .weightDecay(optimization.weightDecay)
                    .schedule(optimization.schedule(totalEpochs))
                    .listener(progress);
            if (iterations != null) {
                config.iterations(iterations);
            } else {
                config.epochs(epochsOrDefault());
            }
            if (patience != null) {
                config.earlyStopping(patience, minDelta);
            }
            if (checkpointEvery != null) {
                config.checkpointEvery(checkpointEvery, checkpointFile());
            }
            if (resume != null) {
                checkResumable(Network.load(resume, compute), net, scaling);
                TrainingSession session = Network.resume(resume, compute, train, heldOut, config.build());
                net = session.network();
                out.printf(Locale.ROOT, "resuming from %s at iteration %d of %d%n", resume, session.iteration(),
                        session.totalIterations());
                out.flush();
                history = session.run();
            } else {
                history = net.fit(train, heldOut, config.build());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        if (history.stoppedEarly() || history.restoredBestWeights()) {
            out.println(history.stopReason());
        }
        if (train.hasClasses()) {
            out.println(accuracyLine("train accuracy", net.evaluate(train)));
            if (validation != null) {
                out.println(accuracyLine("valid accuracy", net.evaluate(validation)));
            }
            if (test != null) {
                out.println(accuracyLine("test accuracy ", net.evaluate(test)));
            }
        } else {
            out.printf(Locale.ROOT, "train cost %.6f (%s)%n", net.cost(train), net.loss());
            if (validation != null) {
                out.printf(Locale.ROOT, "valid cost %.6f (%s)%n", net.cost(validation), net.loss());
            }
            if (test != null) {
                out.printf(Locale.ROOT, "test cost  %.6f (%s)%n", net.cost(test), net.loss());
            }
        }
        if (validation != null) {
            out.println("train vs validation: " + history.gapReport());
        }
        out.printf(Locale.ROOT, "wall time %.2f s, %d epoch%s, %d iterations%n", seconds, history.epochs().size(),
                history.epochs().size() == 1 ? "" : "s", history.iterations());
        if (save != null) {
            net.save(save);
            out.println("saved to " + save);
        }
        if (plot != null) {
            LearningCurves.of(history).title(data.displayName() + " " + NetworkOptions.describe(net))
                    .heldOutName(validation != null ? "validation" : "test").write(plot);
            out.println("learning curves written to " + plot);
        }
        out.flush();
        return 0;
    }

    private static String accuracyLine(String label, Evaluation e) {
        return String.format(Locale.ROOT, "%s %.4f (%d of %d)", label, e.accuracy(),
                Math.round(e.accuracy() * e.total()), e.total());
    }

    private String describeData(Dataset all, Dataset train, Dataset validation, Dataset test, Scaling.Fitted scaling) {
        StringBuilder sb = new StringBuilder();
        sb.append(data.displayName()).append(": ").append(all.size()).append(" samples, ")
                .append(all.featureCount()).append(" features, ")
                .append(all.hasClasses() ? all.classCount() + " classes" : "regression");
        if (test != null || validation != null) {
            sb.append("; train ").append(train.size())
                    .append(validation != null ? " / validation " + validation.size() : "")
                    .append(test != null ? " / test " + test.size() : "")
                    .append(all.hasClasses() ? " (stratified)" : "");
            if (test == null) {
                sb.append("; no test split");
            }
        } else {
            sb.append("; no test split");
        }
        sb.append("; scaling ").append(scaling.description());
        return sb.toString();
    }

    private int epochsOrDefault() {
        return epochs != null ? epochs : 30;
    }

    private void checkLength() {
        if (epochs != null && iterations != null) {
            throw new IllegalArgumentException("give --epochs or --iterations, not both");
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (iterations != null && iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
    }

    /**
     * Checks --early-stopping, --min-delta, --validation-fraction and --plot before anything slow.
     *
     * @return the validation fraction to use (0 for none)
     */
    private double checkEarlyStoppingAndPlot() {
        if (patience != null && patience < 1) {
            throw new IllegalArgumentException("--early-stopping must be at least 1 epoch, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("--min-delta must be >= 0, got " + minDelta);
        }
        if (given("--min-delta") && patience == null) {
            throw new IllegalArgumentException("--min-delta applies to early stopping: add --early-stopping PATIENCE");
        }
        double fraction = validationFraction != null ? validationFraction : patience != null ? 0.1 : 0;
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must be in [0, 1), got " + fraction);
        }
        if (patience != null && fraction == 0) {
            throw new IllegalArgumentException("--early-stopping watches the validation cost, but --validation-fraction "
                    + "is 0: hold out part of the training split, e.g. --validation-fraction 0.1");
        }
        if (plot != null) {
            LearningCurves.isSvg(plot);
            AtomicFiles.checkTarget("--plot", plot);
            Path dir = plot.toAbsolutePath().getParent();
            if (Files.isDirectory(plot)) {
                throw new IllegalArgumentException("--plot " + plot + " is a directory; give a file name, e.g. "
                        + plot.resolve("curves.png"));
            }
            if (dir != null && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--plot " + plot + ": directory " + dir + " does not exist");
            }
        }
        return fraction;
    }

    private Path checkpointFile() {
        return checkpoint != null ? checkpoint
                : save != null ? save.resolveSibling(save.getFileName() + ".ckpt") : Path.of("checkpoint.bp4j");
    }

    private void checkCheckpointOptions() {
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be at least 1 iteration, got " + checkpointEvery);
        }
        if (checkpoint != null && checkpointEvery == null) {
            throw new IllegalArgumentException("--checkpoint sets where checkpoints go: add --checkpoint-every N");
        }
        if (checkpointEvery != null) {
            AtomicFiles.checkTarget("--checkpoint", checkpointFile());
        }
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new IllegalArgumentException("--resume " + resume + (Files.isDirectory(resume)
                    ? " is a directory; give the checkpoint file" : ": no such file"));
        }
    }

    /** Fails before training, not after it, if the model could not be saved where asked. */
    /**
     * The checkpoint's network must be the one the options describe (layers, dtype, loss, input
     * scaling), or the run would silently continue another one; checked before the data is matched
     * against it, so that the message speaks of options, not of the API.
     */
    private void checkResumable(Network saved, Network described, Scaling.Fitted scaling) {
        String what = null;
        if (!saved.layers().equals(described.layers())) {
            what = "the network " + NetworkOptions.describe(saved) + " but the options (and --data) describe "
                    + NetworkOptions.describe(described);
        } else if (saved.dtype() != described.dtype()) {
            what = saved.dtype() + " parameters but --dtype is " + described.dtype();
        } else if (saved.loss() != described.loss()) {
            what = "a network trained with " + saved.loss() + " but the options give " + described.loss();
        } else if (saved.hasInputScaling() != described.hasInputScaling()) {
            what = (saved.hasInputScaling() ? "a network that scales its inputs" : "a network without input scaling")
                    + " but --scale is " + scaling.description();
        }
        if (what != null) {
            throw new IllegalArgumentException("--resume " + resume + ": the checkpoint holds " + what
                    + ": give the options of the original run");
        }
    }

    private void checkSaveTarget() {
        if (save != null) {
            AtomicFiles.checkTarget("--save", save);
        }
    }

    static int parseBatchSize(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("full")) {
            return TrainingConfig.FULL_BATCH;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--batch-size must be a positive whole number or 'full', got '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException("--batch-size must be a positive whole number or 'full', got " + n);
        }
        return n;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
