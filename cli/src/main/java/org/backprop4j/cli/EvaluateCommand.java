package org.backprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop4j evaluate}: a saved model's quality on labelled data. */
@Command(name = "evaluate", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Evaluates a saved model on labelled data.",
            "Prints the accuracy, per-class precision, recall and F1, and the confusion matrix; for a regression "
                    + "model (an output that is neither softmax nor sigmoid) or with --regression, the cost.",
            "The data must have the model's features in the same order plus the label column; the model "
                    + "applies its own input scaling to the raw features."},
        footer = {"", "Example:", "  backprop4j evaluate --model digits.bp4j --data digits"})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model saved by train --save.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the synthetic built-in data sets (use the one given to train). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Network net = Network.load(model, backend.resolve());
        boolean regression = data.regression || !Models.isClassifier(net);
        Dataset ds = data.load(seed, net.dtype(), regression);
        Models.checkFits(String.valueOf(model.getFileName()), net, ds, data.displayName());
        out.println(Models.describe(String.valueOf(model.getFileName()), net));
        out.println("data " + data.displayName() + ": " + ds.size() + " samples, " + ds.featureCount() + " features, "
                + (ds.hasClasses() ? ds.classCount() + " classes" : "regression targets"));
        if (ds.hasClasses()) {
            out.print(net.evaluate(ds));
        } else {
            out.printf(Locale.ROOT, "cost %.6f (%s) on %d samples%n", net.cost(ds), net.loss(), ds.size());
        }
        out.flush();
        return 0;
    }
}
