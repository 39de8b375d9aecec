package org.backprop4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backprop4j.crosscheck.CrossCheck;
import org.backprop4j.crosscheck.Jvm;
import org.backprop4j.crosscheck.Machine;
import org.backprop4j.crosscheck.Report;
import org.backprop4j.crosscheck.Selection;
import org.backprop4j.nn.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop4j crosscheck}: every backend against the reference, kernel by kernel, then training. */
@Command(name = "crosscheck", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Checks backends against the pure-Java reference backend.",
            "For every available backend other than the reference (or the one named): each kernel (GEMM in the four "
                + "transpose pairs, activations forward and backward, softmax, the fused losses, column sums, "
                + "axpy/scal, the optimizer steps) over seeded random shapes, with the largest error absolutely and as "
                + "a fraction of its bound (DESIGN.md section 6); then short training runs of the workloads W1-W4 "
                + "from the same initial weights, comparing the cost at every step and the final weights.",
            "Exit code 0 if everything passes, 1 on any FAIL or if the named backend cannot run here."},
        footer = {"", "Examples:",
            "  backprop4j crosscheck                    # every available backend",
            "  backprop4j crosscheck --backend openblas --dtype float32 --json cc.json",
            "  backprop4j crosscheck --backend reference --quick   # against itself"})
final class CrossCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Check only this backend; it must be available. 'reference' compares the reference with "
                    + "itself. Default: every available backend other than the reference.")
    String backend;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "both",
            description = "float32, float64 or both: the kernels' dtype, and the workloads run in it. "
                    + "Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + CrossCheck.DEFAULT_SEED,
            description = "Seed of the random shapes, operands and training runs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the results (machine, JVM, backends, kernels, training, verdict) to FILE as JSON.")
    Path json;

    @Option(names = "--quick",
            description = "Fewer shapes and tiny training runs: a few seconds instead of half a minute.")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<DType> dtypes = dtypes(dtype);
        if (json != null) {
            AtomicFiles.checkTarget("--json", json);
        }
        CrossCheckTable table = new CrossCheckTable(out);
        CrossCheck cc = CrossCheck.builder()
                .seed(seed)
                .dtypes(dtypes.toArray(new DType[0]))
                .quick(quick)
                .listener(table)
                .build();
        Selection selection = cc.select(backend);
        table.header(Machine.current(), Jvm.current(), cc.reference(), selection, seed, dtypes, quick);
        Report report = cc.run(selection);
        table.summary(report);
        if (json != null) {
            AtomicFiles.writeText(json, w -> CrossCheckJson.write(report, VersionProvider.version(), w));
            out.println("wrote " + json);
        }
        out.flush();
        return report.passed() ? 0 : Main.EXIT_ERROR;
    }

    static List<DType> dtypes(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("both") || v.equals("all")) {
            return List.of(DType.FLOAT32, DType.FLOAT64);
        }
        try {
            return List.of(DType.parse(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dtype must be float32, float64 or both, got '" + value + "'");
        }
    }
}
