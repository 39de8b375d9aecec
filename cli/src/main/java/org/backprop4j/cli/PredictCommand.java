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
import java.util.function.IntFunction;
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

/** {@code backprop4j predict}: a saved model's outputs for every sample of the data, written as CSV. */
@Command(name = "predict", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        // Written out: the generated one shows the short option as "-o=OUT.csv".
        customSynopsis = {"backprop4j predict --model=FILE --data=NAME|FILE.csv -o OUT.csv",
            "                          [--label-column=NAME|INDEX | --no-labels]",
            "                          [--[no-]header] [--seed=N] [--backend=NAME]",
            "                          [--stacktrace] [-hV]"},
        description = {"Writes a saved model's predictions for the samples of a data set (a CSV file, image "
                + "files or a built-in data set) to a CSV file.",
            "",
            "Output: a header row, then one line per input sample, in input order:",
            "  classifier  predicted,p_0,p_1,...  (the class, then each class's",
            "              probability; a one-unit sigmoid model writes p_0 = 1 - p, p_1 = p)",
            "  regression  predicted  (predicted_0,predicted_1,... for several outputs)",
            "It is written atomically (a temporary file, then a rename); '-' is stdout.",
            "",
            "A CSV input may or may not have a label column:",
            "  --no-labels       every column is a feature",
            "  --label-column C  column C (a header name, or an index: 0 first, -1 last)",
            "                    is the label; it is left out of the features",
            "  neither           decided by the width: as many columns as the model has",
            "                    inputs means no labels, one more means the last column",
            "                    is the label",
            "Image data and built-in data sets have labels. With numeric labels, the",
            "accuracy (or mean squared error) against them is printed as well; a class",
            "label the model cannot predict is an error, as in evaluate.",
            ""},
        footer = {"", "Example:",
            "  backprop4j predict --model digits.bp4j --data new.csv --output out.csv",
            "  backprop4j predict --model mnist.bp4j --data mnist-test:data/mnist -o out.csv"})
final class PredictCommand implements Callable<Integer> {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model saved by train --save.")
    Path model;

    @Option(names = "--data", paramLabel = "NAME|FILE.csv", required = true,
            description = {"The samples: a built-in data set (digits, moons, circles, spirals, xor) or a CSV file "
                    + "(.csv or .csv.gz, numbers only, one sample per row, with or without the label column).",
                DataOptions.IMAGE_FORMS_HELP})
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

    /**
     * The samples and, when the input had them, their labels as text.
     *
     * @param rowName what row r is called in messages, e.g. "line 7 of new.csv"
     */
    private record Input(Dataset features, List<String> labels, List<String> classNames, IntFunction<String> rowName,
                         String labelsName) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (noLabels && labelColumn != null) {
            throw new IllegalArgumentException("give --no-labels or --label-column, not both");
        }
        boolean toStdout = output.equals("-");
        DataOptions source = DataOptions.of(data);
        boolean images = source.isImages();
        boolean csv = !images && source.isFile();
        if (!toStdout && (csv || (images && source.imagePrefix() == null)) && Files.exists(Path.of(output))
                && Files.exists(Path.of(data)) && Files.isSameFile(Path.of(output), Path.of(data))) {
            throw new IllegalArgumentException("--output " + output + " is the input file; writing it would destroy the input");
        }
        Network net = Network.load(model, backend.resolve());
        Input in = csv ? readCsv(net) : readLabelled(net, source, images);
        boolean classifier = Models.isClassifier(net);
        if (classifier && in.labels() != null) {
            checkLabels(net, in);
        }
        double[] predictions = net.predict(in.features());
        int n = in.features().size();
        int outputs = net.outputSize();
        int[] classes = classifier ? classesOf(predictions, n, outputs) : null;

        if (toStdout) {
            write(out, net, predictions, classes, in.classNames(), n, outputs);
            out.flush();
        } else {
            AtomicFiles.writeText(Path.of(output), w -> write(w, net, predictions, classes, in.classNames(), n, outputs));
            out.println("wrote " + n + " prediction" + (n == 1 ? "" : "s") + " to " + output);
        }
        if (in.labels() != null) {
            String check = compare(net, in.labels(), predictions, classes, in.labelsName());
            if (check != null) {
                (toStdout ? spec.commandLine().getErr() : out).println(check);
            }
        }
        out.flush();
        return 0;
    }

    /** A built-in data set or image data: labelled, with class labels. */
    private Input readLabelled(Network net, DataOptions source, boolean images) throws IOException {
        String what = images ? "image data" : "a built-in data set";
        if (labelColumn != null || noLabels || header != null) {
            throw new IllegalArgumentException("--label-column, --no-labels and --header apply to CSV files, but --data "
                    + data + " is " + what);
        }
        Dataset ds = images ? source.loadImages(net.dtype()) : BuiltinDatasets.byName(data, seed, DType.FLOAT64);
        String name = source.displayName();
        Models.checkFeatures(String.valueOf(model.getFileName()), net, ds, name);
        List<String> labels = null;
        List<String> names = null;
        if (ds.hasClasses()) {
            labels = new ArrayList<>(ds.size());
            for (int i = 0; i < ds.size(); i++) {
                labels.add(Integer.toString(ds.label(i)));
            }
            names = ds.classNames().size() == classCount(net) ? ds.classNames() : null;
        }
        return new Input(ds, labels, names, r -> "row " + (r + 1) + " of " + name, "the data's labels");
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
        return new Input(ds, labels, null, r -> "line " + (table.firstDataLine() + r) + " of " + table.source(),
                "the label column");
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

    /**
     * For a classifier: when every label is an integer (so that they are compared with the predicted
     * classes), each must be one of the model's classes.
     *
     * @throws IllegalArgumentException naming the first label the model cannot predict, its row and the model's classes
     */
    private static void checkLabels(Network net, Input in) {
        List<String> labels = in.labels();
        if (!labels.stream().allMatch(l -> INTEGER.matcher(l).matches())) {
            return;
        }
        int k = classCount(net);
        for (int r = 0; r < labels.size(); r++) {
            String l = labels.get(r);
            long label;
            try {
                label = Long.parseLong(l);
            } catch (NumberFormatException e) {
                label = -1; // too many digits: out of range like a negative label
            }
            if (label < 0 || label >= k) {
                String classes = k == 2 ? "0 and 1" : "0.." + (k - 1);
                String output = net.outputSize() == 1 ? "a 1-unit output layer, which separates two classes"
                        : "an output layer of " + k + " units";
                throw new IllegalArgumentException("label " + l + " (" + in.rowName().apply(r) + ") is not a class "
                        + "the model can predict: its classes are " + classes + " (" + output + "); use a model "
                        + "trained on data with these labels");
            }
        }
    }

    /** Accuracy or mean squared error against the input's labels, or null if they are not numbers. */
    private static String compare(Network net, List<String> labels, double[] predictions, int[] classes,
                                  String labelsName) {
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
            return String.format(Locale.ROOT, "accuracy %.4f (%d of %d) against %s", (double) right / n,
                    right, n, labelsName);
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
        return String.format(Locale.ROOT, "mean squared error %.6f against %s", sum / n, labelsName);
    }
}
