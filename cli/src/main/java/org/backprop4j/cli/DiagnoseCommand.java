package org.backprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Split;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Diagnostics;
import org.backprop4j.nn.DiagnosticsListener;
import org.backprop4j.nn.DiagnosticsReport;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingDivergedException;
import org.backprop4j.nn.TrainingHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backprop4j diagnose}: trains briefly while watching the network, then prints per-layer
 * statistics and the named findings with their fixes ("why doesn't my cost go down?").
 */
@Command(name = "diagnose", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Answers \"why doesn't my cost go down?\": trains a network briefly and diagnoses it.",
            "The network is built like train builds it (same data, layer, activation, loss, init, scale and seed "
                    + "options, the same seeded split), or loaded with --model. During a short run it measures, per "
                    + "layer, the activations' mean and spread, dead relus, saturated sigmoid/tanh units, the gradient "
                    + "and weight norms and the size of one update relative to the weights; then it names what looks "
                    + "wrong (vanishing or exploding gradients, a learning rate too high, dead relus, saturated units, "
                    + "an output/loss that does not suit the labels, a cost that does not decrease, unscaled inputs, "
                    + "over-fitting), each with the evidence and the fix.",
            "Exit code 0 whatever is found; 1 only for bad input."},
        footer = {"", "Examples:",
            "  backprop4j diagnose --data moons --hidden 25,50,50,25 --init randn_0.01 \\",
            "      --optimizer sgd --lr 0.0075 --batch-size full --iterations 300",
            "  backprop4j diagnose --data spirals --output tanh --loss mse",
            "  backprop4j diagnose --model digits.bp4j --data digits --epochs 0"})
final class DiagnoseCommand implements Callable<Integer> {

    /** Default length of the diagnostic run: enough steps for the cost to move, short enough to wait for. */
    private static final int DEFAULT_EPOCHS = 10;
    private static final int DEFAULT_FULL_BATCH_ITERATIONS = 300;

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    NetworkOptions network;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Diagnose (and briefly train, in memory only) a saved model instead of building one.")
    Path model;

    @Option(names = "--scale", paramLabel = "SPEC", defaultValue = "standard",
            description = "Input scaling of a built network, fitted on the training split: standard, minmax, none or "
                    + "divide:X. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Mixin
    OptimizerOptions optimization;

    @Option(names = "--batch-size", paramLabel = "N|full", defaultValue = "32",
            description = "Samples per step, or 'full' for full-batch gradient descent. Default: ${DEFAULT-VALUE}.")
    String batchSize;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training split; 0 diagnoses the network as it is, without training. "
                    + "Default: " + DEFAULT_EPOCHS + ", or " + DEFAULT_FULL_BATCH_ITERATIONS
                    + " iterations with --batch-size full.")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Optimizer steps to take, instead of --epochs.")
    Integer iterations;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of the samples held out (seeded, stratified; the same split as train's "
                    + "--test-fraction, so diagnose trains on the samples train would) to judge over-fitting; "
                    + "0 for none. Default: ${DEFAULT-VALUE}.")
    double validationFraction;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "512",
            description = "Samples in each diagnosed batch, drawn from the training split. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--every", paramLabel = "N",
            description = "Diagnose after the first epoch and every N epochs. Default: about 5 times per run.")
    Integer every;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
            description = "Also draw the run's learning curves to a PNG or SVG file.")
    Path plot;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the synthetic data, the split, the initial weights, the shuffling and the "
                    + "diagnosed samples. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "float32 or float64 for training (diagnostics are computed in float64). Default: "
                    + "${DEFAULT-VALUE}, or the model's.")
    String dtype;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DType type = DType.parse(dtype);
        int batch = TrainCommand.parseBatchSize(batchSize);
        checkOptions();
        Optimizer opt = optimization.validate(spec.commandLine().getErr());
        if (model == null) {
            network.validate();
            Scaling.validate(scale);
        } else {
            Models.rejectArchitectureOptions(spec);
        }
        data.validate();
        if (plot != null) {
            LearningCurves.isSvg(plot);
            AtomicFiles.checkTarget("--plot", plot);
            if (epochs != null && epochs == 0) {
                throw new IllegalArgumentException("--plot draws the learning curves of a run: it needs training "
                        + "(--epochs 0 diagnoses without training)");
            }
        }

        Backend compute = backend.resolve();
        Network net = null;
        if (model != null) {
            net = Network.load(model, compute);
            // The model's own dtype unless --dtype asks for another.
            type = spec.commandLine().getParseResult().hasMatchedOption("--dtype") ? type : net.dtype();
            net = net.as(type);
        }
        boolean regression = data.regression || (net != null && !Models.isClassifier(net));
        Dataset all = data.load(seed, type, regression);
        if (model != null) {
            Models.checkFits(String.valueOf(model.getFileName()), net, all, data.displayName());
        }
        Dataset train = all;
        Dataset validation = null;
        if (validationFraction > 0) {
            Split.TrainTest split = Split.trainTest(all, validationFraction, seed, all.hasClasses());
            train = split.train();
            validation = split.test();
        }
        String scaling = "the model's own";
        if (net == null) {
            Scaling.Fitted fitted = Scaling.fit(scale, train);
            net = network.build(train, type, seed, compute, fitted.offsets(), fitted.scales());
            scaling = fitted.description();
        }

        int n = train.size();
        int rows = batch == TrainingConfig.FULL_BATCH ? n : Math.min(batch, n);
        int batchesPerEpoch = (n + rows - 1) / rows;
        int totalIterations;
        if (iterations != null) {
            totalIterations = iterations;
        } else if (epochs != null) {
            totalIterations = epochs * batchesPerEpoch;
        } else {
            totalIterations = batch == TrainingConfig.FULL_BATCH ? DEFAULT_FULL_BATCH_ITERATIONS
                    : DEFAULT_EPOCHS * batchesPerEpoch;
        }
        int totalEpochs = (totalIterations + batchesPerEpoch - 1) / batchesPerEpoch;
        int everyEpochs = every != null ? every : Math.max(1, totalEpochs / 5);

        out.println((model != null ? Models.describe(String.valueOf(model.getFileName()), net)
                : "network " + NetworkOptions.describe(net) + ", " + net.loss()) + "; data " + data.displayName() + ": "
                + all.size() + " samples, train " + train.size()
                + (validation != null ? " / validation " + validation.size() : "") + "; scaling " + scaling);

        Diagnostics diagnostics = Diagnostics.builder().optimizer(opt).samples(samples).seed(seed).build();
        DiagnosticsReport report;
        if (totalIterations == 0) {
            out.println("no training (--epochs 0): diagnosing the network as it is");
            report = diagnostics.run(net, train);
        } else {
            out.printf(Locale.ROOT, "training %s, batch %s, %d iteration%s (%d epoch%s), %sseed %d; diagnosing after "
                            + "epoch 1 and every %d epoch%s%n", opt, batch == TrainingConfig.FULL_BATCH ? "full (" + n + ")"
                            : Integer.toString(rows), totalIterations, totalIterations == 1 ? "" : "s", totalEpochs,
                    totalEpochs == 1 ? "" : "s", optimization.describeExtras(), seed, everyEpochs,
                    everyEpochs == 1 ? "" : "s");
            DiagnosticsListener listener = new DiagnosticsListener(net, train, diagnostics, everyEpochs);
            TrainingConfig config = TrainingConfig.builder().optimizer(opt).batchSize(batch).iterations(totalIterations)
                    .weightDecay(optimization.weightDecay).schedule(optimization.schedule(totalEpochs)).seed(seed)
                    .listener(listener).build();
            TrainingHistory history;
            try {
                history = net.fit(train, validation, config);
            } catch (TrainingDivergedException e) {
                out.println(e.getMessage());
                history = e.history();
            }
            for (DiagnosticsListener.Snapshot s : listener.snapshots()) {
                out.printf(Locale.ROOT, "epoch %" + Integer.toString(totalEpochs).length() + "d  %s%n", s.epoch() + 1,
                        s.report().summaryLine());
            }
            out.printf(Locale.ROOT, "training cost %.6f -> %.6f over %d iterations%s%n", history.firstCost(),
                    history.finalCost(), history.iterations(), history.diverged() ? " (diverged)" : "");
            if (validation != null && !history.epochs().isEmpty()) {
                out.println("train vs validation: " + history.gapReport());
            }
            report = listener.report();
            if (plot != null && !history.epochs().isEmpty()) {
                LearningCurves.of(history).title(data.displayName() + " " + NetworkOptions.describe(net)).write(plot);
                out.println("learning curves written to " + plot);
            }
        }
        out.println();
        out.println(report);
        out.flush();
        return 0;
    }

    private void checkOptions() {
        if (epochs != null && iterations != null) {
            throw new IllegalArgumentException("give --epochs or --iterations, not both");
        }
        if (epochs != null && epochs < 0) {
            throw new IllegalArgumentException("--epochs must be >= 0 (0: no training), got " + epochs);
        }
        if (iterations != null && iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must be in [0, 1), got " + validationFraction);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples);
        }
        if (every != null && every < 1) {
            throw new IllegalArgumentException("--every must be at least 1, got " + every);
        }
    }
}
