package org.backprop4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backprop4j bench compare A.json B.json}: two saved runs side by side. */
@Command(name = "compare", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Prints two runs saved with 'bench --json' side by side, with B/A ratios.",
            "Runs are paired by backend and thread count; if the files have none in common (say openblas "
                    + "in A, panama in B), they are paired in order. Two CPUs, two backends or two versions: the "
                    + "ratios say which is faster, by how much; noise of a few percent is normal."},
        footer = {"", "Example:", "  backprop4j bench compare before.json after.json"})
final class BenchCompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The baseline run.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The run compared with it.")
    Path b;

    @Override
    public Integer call() throws Exception {
        BenchReport ra = BenchReport.read(a);
        BenchReport rb = BenchReport.read(b);
        BenchTable.printCompare(spec.commandLine().getOut(), a.toString(), ra, b.toString(), rb);
        return 0;
    }
}
