package org.backprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.GradientCheck;
import org.backprop4j.nn.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop4j gradcheck}: back-propagation against finite differences, in float64. */
@Command(name = "gradcheck", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Checks back-propagation against finite differences, in float64.",
            "Compares the gradients on the first --samples samples with centred finite differences and "
                    + "prints the relative error per layer.",
            "The network is built like train builds it (same data, layer, activation, loss, init and seed options), "
                    + "or loaded with --model. Exit code 0 on PASS, 1 on FAIL."},
        footer = {"", "Examples:",
            "  backprop4j gradcheck",
            "  backprop4j gradcheck --data spirals --hidden 16,16,16 --activation tanh"})
final class GradCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    NetworkOptions network;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Check a saved model instead of building one (its parameters, converted to float64).")
    Path model;

    @Option(names = "--scale", paramLabel = "SPEC", defaultValue = "standard",
            description = "Input scaling of a built network, fitted on the data: standard, minmax, none or divide:X. "
                    + "Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "16",
            description = "Samples in the checked batch (the first ones of the data). Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "Include the L2 penalty (LAMBDA/2) * sum of squared weights. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--threshold", paramLabel = "X", defaultValue = "1e-7",
            description = "Relative error above which the check fails. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the synthetic data, the initial weights and the checked weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples);
        }
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("--threshold must be a positive number, got " + threshold
                    + " (typical: 1e-7 in float64)");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        if (model == null) {
            network.validate();
            Scaling.validate(scale);
        }
        data.validate();
        Backend compute = backend.resolve();
        Network net;
        Dataset ds;
        String name;
        if (model != null) {
            Models.rejectArchitectureOptions(spec);
            net = Network.load(model, compute).as(DType.FLOAT64);
            ds = data.load(seed, DType.FLOAT64, data.regression || !Models.isClassifier(net));
            name = String.valueOf(model.getFileName());
            Models.checkFits(name, net, ds, data.displayName());
        } else {
            ds = data.load(seed, DType.FLOAT64, data.regression);
            Scaling.Fitted scaling = Scaling.fit(scale, ds);
            net = network.build(ds, DType.FLOAT64, seed, compute, scaling.offsets(), scaling.scales());
            name = "network";
        }
        out.println(Models.describe(name, net) + "; data " + data.displayName() + ", " + ds.size() + " samples");
        GradientCheck.Report report = GradientCheck.builder()
                .samples(samples)
                .weightDecay(weightDecay)
                .threshold(threshold)
                .seed(seed)
                .build()
                .run(net, ds);
        out.println(report);
        out.flush();
        return report.passed() ? 0 : Main.EXIT_ERROR;
    }
}
