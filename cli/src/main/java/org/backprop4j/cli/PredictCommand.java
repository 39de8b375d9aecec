package org.backprop4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.backprop4j.data.BuiltinDatasets;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop4j predict}: a saved model's outputs for every row of a CSV file, written as CSV. */
@Command(name = "predict", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Writes a saved model's predictions for the samples of a CSV file to a CSV file.",
            "",
            "Output: a header row, then one line per input sample, in input order:",
            "  classifier  predicted,p_0,p_1,...  (the class, then each class's",
            "              probability; a one-unit sigmoid model writes p_0 = 1 - p, p_1 = p)",
            "  regression  predicted  (predicted_0,predicted_1,... for several outputs)",
            "It is written atomically (a temporary file, then a rename); '-' is stdout.",
            "",
            "The input may or may not have a label column:",
            "  --no-labels       every column is a feature",
            "  --label-column C  column C (a header name, or an index: 0 first, -1 last)",
            "                    is the label; it is left out of the features",
            "  neither           decided by the width: as many columns as the model has",
            "                    inputs means no labels, one more means the last column",
            "                    is the label",
            "With numeric labels, the accuracy (or mean squared error) against them is",
            "printed as well.",
            ""},
        footer = {"", "Example:",
            "  backprop4j predict --model digits.bp4j --data new.csv --output out.csv"})
final class PredictCommand implements Callable<Integer> {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model saved by train --save.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE.csv|NAME", required = true,
            description = "The samples: a CSV file (.csv or .csv.gz) or a built-in data set name.")
    String data;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.csv", required = true,
            description = "Where to write the predictions; '-' for stdout.")
    String output;

    @Option(names = "--label-column", paramLabel = "NAME|INDEX",
            description = "The input's label column, left out of the features (see above).")
    String labelColumn;

    @Option(names = "--no-labels", description = "The input has no label column: every column is a feature.")
    boolean noLabels;

    @Option(names = "--header", negatable = true,
            description = "Whether the first row is column names. Default: detected (a first row that is not all "
                    + "numbers is a header).")
    Boolean header;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the synthetic built-in data sets. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    BackendOption backend;

    /** The samples and, when the input had them, their labels as text. */
    private record Input(Dataset features, List<String> labels, List<String> classNames) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (noLabels && labelColumn != null) {
            throw new IllegalArgumentException("give --no-labels or --label-column, not both");
        }
        boolean toStdout = output.equals("-");
        if (!toStdout && DataOptions.isFile(data) && Files.exists(Path.of(output))
                && Files.isSameFile(Path.of(output), Path.of(data))) {
            throw new IllegalArgumentException("--output " + output + " is the input file; writing it would destroy the input");
        }
        Network net = Network.load(model, backend.resolve());
        Input in = DataOptions.isFile(data) ? readCsv(net) : readBuiltin(net);
        double[] predictions = net.predict(in.features());
        int n = in.features().size();
        int outputs = net.outputSize();
        int[] classes = Models.isClassifier(net) ? classesOf(predictions, n, outputs) : null;

        if (toStdout) {
            write(out, net, predictions, classes, in.classNames(), n, outputs);
            out.flush();
        } else {
            AtomicFiles.writeText(Path.of(output), w -> write(w, net, predictions, classes, in.classNames(), n, outputs));
            out.println("wrote " + n + " prediction" + (n == 1 ? "" : "s") + " to " + output);
        }
        if (in.labels() != null) {
            String check = compare(net, in.labels(), predictions, classes);
            if (check != null) {
                (toStdout ? spec.commandLine().getErr() : out).println(check);
            }
        }
        out.flush();
        return 0;
    }

    private Input readBuiltin(Network net) {
        if (labelColumn != null || noLabels || header != null) {
            throw new IllegalArgumentException("--label-column, --no-labels and --header apply to CSV files, but --data "
                    + data + " is a built-in data set");
        }
        Dataset ds = BuiltinDatasets.byName(data, seed, DType.FLOAT64);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            labels.add(Integer.toString(ds.label(i)));
        }
        List<String> names = ds.classNames().size() == classCount(net) ? ds.classNames() : null;
        return new Input(ds, labels, names);
    }

    private Input readCsv(Network net) throws IOException {
        FeatureCsv.Table table = FeatureCsv.read(Path.of(data), header);
        int width = table.width();
        int label = labelIndex(table, net.inputSize());
        double[] x = FeatureCsv.features(table, label);
        int featureCount = label >= 0 ? width - 1 : width;
        if (featureCount != net.inputSize()) {
            throw new IllegalArgumentException(table.source() + " has " + width + " columns, so " + featureCount
                    + " features" + (label >= 0 ? " besides the label column" : "") + ", but the model takes "
                    + net.inputSize() + " features");
        }
        List<String> labels = null;
        if (label >= 0) {
            labels = new ArrayList<>();
            for (String[] row : table.rows()) {
                labels.add(row[label]);
            }
        }
        // Dummy targets: predict reads only the features.
        Dataset ds = Dataset.ofTargets(x, featureCount, new double[table.rows().size()], 1, DType.FLOAT64);
        return new Input(ds, labels, null);
    }

    /** The 0-based label column, or -1 for none, following the rules in the help. */
    private int labelIndex(FeatureCsv.Table table, int inputs) {
        int width = table.width();
        if (noLabels) {
            return -1;
        }
        if (labelColumn != null) {
            String c = labelColumn.trim();
            if (INTEGER.matcher(c).matches()) {
                long i = Long.parseLong(c);
                long index = i < 0 ? width + i : i;
                if (index < 0 || index >= width) {
                    throw new IllegalArgumentException("--label-column " + c + " is outside the " + width + " columns of "
                            + table.source() + " (use 0.." + (width - 1) + ", or -1..-" + width + " counting from the end)");
                }
                return (int) index;
            }
            if (table.names() == null) {
                throw new IllegalArgumentException("--label-column " + c + " names a column, but " + table.source()
                        + " has no header row of column names: give the column's index instead");
            }
            int found = table.names().indexOf(c);
            if (found < 0) {
                throw new IllegalArgumentException(table.source() + ": label column '" + c
                        + "' not found; the header has: " + String.join(", ", table.names()));
            }
            return found;
        }
        if (width == inputs) {
            return -1;
        }
        if (width == inputs + 1) {
            return width - 1;
        }
        throw new IllegalArgumentException(table.source() + " has " + width + " columns, but the model takes " + inputs
                + " features: give a file with " + inputs + " columns (features only) or " + (inputs + 1)
                + " (features and a label), or say which column is the label with --label-column");
    }

    /** The arg-max output of each row, or p >= 0.5 for one output: what Network.predictClasses gives. */
    private static int[] classesOf(double[] predictions, int n, int outputs) {
        int[] classes = new int[n];
        for (int r = 0; r < n; r++) {
            if (outputs == 1) {
                classes[r] = predictions[r] >= 0.5 ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int c = 1; c < outputs; c++) {
                if (predictions[r * outputs + c] > predictions[r * outputs + best]) {
                    best = c;
                }
            }
            classes[r] = best;
        }
        return classes;
    }

    private static int classCount(Network net) {
        return net.outputSize() == 1 ? 2 : net.outputSize();
    }

    private static void write(Writer w, Network net, double[] predictions, int[] classes, List<String> classNames,
                              int n, int outputs) throws IOException {
        boolean binary = classes != null && outputs == 1;
        StringBuilder line = new StringBuilder();
        if (classes != null) {
            line.append("predicted");
            for (int c = 0; c < classCount(net); c++) {
                line.append(",p_").append(classNames != null ? csvName(classNames.get(c)) : Integer.toString(c));
            }
        } else if (outputs == 1) {
            line.append("predicted");
        } else {
            for (int c = 0; c < outputs; c++) {
                line.append(c == 0 ? "" : ",").append("predicted_").append(c);
            }
        }
        w.write(line.append('\n').toString());
        boolean float32 = net.dtype() == DType.FLOAT32;
        for (int r = 0; r < n; r++) {
            line.setLength(0);
            if (classes != null) {
                line.append(classNames != null ? csvName(classNames.get(classes[r])) : Integer.toString(classes[r]));
                if (binary) {
                    double p = predictions[r];
                    line.append(',').append(probability(1 - p)).append(',').append(probability(p));
                } else {
                    for (int c = 0; c < outputs; c++) {
                        line.append(',').append(probability(predictions[r * outputs + c]));
                    }
                }
            } else {
                for (int c = 0; c < outputs; c++) {
                    double v = predictions[r * outputs + c];
                    line.append(c == 0 ? "" : ",").append(float32 ? Float.toString((float) v) : Double.toString(v));
                }
            }
            w.write(line.append('\n').toString());
        }
    }

    private static String probability(double p) {
        return String.format(Locale.ROOT, "%.6f", p);
    }

    private static String csvName(String name) {
        return name.contains(",") || name.contains("\"") ? '"' + name.replace("\"", "\"\"") + '"' : name;
    }

    /** Accuracy or mean squared error against the input's labels, or null if they are not numbers. */
    private static String compare(Network net, List<String> labels, double[] predictions, int[] classes) {
        int n = labels.size();
        if (classes != null) {
            int right = 0;
            for (int i = 0; i < n; i++) {
                String l = labels.get(i);
                if (!INTEGER.matcher(l).matches()) {
                    return null;
                }
                if (Long.parseLong(l) == classes[i]) {
                    right++;
                }
            }
            return String.format(Locale.ROOT, "accuracy %.4f (%d of %d) against the label column", (double) right / n,
                    right, n);
        }
        if (net.outputSize() != 1) {
            return null;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!FeatureCsv.isNumber(labels.get(i))) {
                return null;
            }
            double d = predictions[i] - Double.parseDouble(labels.get(i));
            sum += d * d;
        }
        return String.format(Locale.ROOT, "mean squared error %.6f against the label column", sum / n);
    }
}
