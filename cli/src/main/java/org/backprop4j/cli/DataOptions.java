package org.backprop4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.backprop4j.data.BuiltinDatasets;
import org.backprop4j.data.CsvLoader;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Hdf5Loader;
import org.backprop4j.data.IdxLoader;
import org.backprop4j.data.RawCatLoader;
import org.backprop4j.nn.DType;
import picocli.CommandLine.Option;

/** {@code --data} and the options that say how to read a CSV file: shared by train, evaluate and gradcheck. */
final class DataOptions {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    /** Image data sets named by a prefix and a directory: --data mnist:DIR and so on. */
    private static final List<String> IMAGE_PREFIXES = List.of("mnist:", "mnist-test:", "cat:", "cat-test:");

    /** The --data help's paragraph on image data, shared with predict. */
    static final String IMAGE_FORMS_HELP = "Image files: mnist:DIR (or an MNIST IDX directory) and mnist-test:DIR "
            + "read the 60,000 training or 10,000 test images of DIR/train-images-idx3-ubyte[.gz] etc.; cat:DIR and "
            + "cat-test:DIR the course's cat vs non-cat images (DIR/train_catvnoncat.h5, or train_x.u8 + "
            + "train_y.u8); FILE.h5 an HDF5 file with *_x, *_y and list_classes datasets. Pixels are scaled to x/255.";

    @Option(names = "--data", paramLabel = "NAME|FILE.csv", defaultValue = "digits",
            description = {"A built-in data set (digits, moons, circles, spirals, xor) or a CSV file "
                    + "(.csv or .csv.gz, numbers only, one sample per row). Default: ${DEFAULT-VALUE}, the "
                    + "embedded UCI 8x8 handwritten digits (1797 samples, 64 features, 10 classes).",
                IMAGE_FORMS_HELP})
    String data;

    /** Options reading {@code data} with the defaults of the other options: for commands with their own --data. */
    static DataOptions of(String data) {
        DataOptions d = new DataOptions();
        d.data = data;
        return d;
    }

    @Option(names = "--label-column", paramLabel = "NAME|INDEX",
            description = "CSV column holding the label: a name from the header row, or an index "
                    + "(0 = first, -1 = last). Default: the last column.")
    String labelColumn;

    @Option(names = "--header", negatable = true,
            description = "Whether the CSV's first row is column names (--header) or data (--no-header). "
                    + "Default: detected (a first row that is not all numbers is a header).")
    Boolean header;

    @Option(names = "--regression",
            description = "The CSV's label column holds real-valued targets, not class indices 0, 1, 2, ...")
    boolean regression;

    /** True if {@code --data} names a file rather than a built-in data set. */
    boolean isFile() {
        return imagePrefix() == null && isFile(data);
    }

    /** The {@link #IMAGE_PREFIXES} entry {@code --data} starts with, or null. */
    String imagePrefix() {
        String lower = data.trim().toLowerCase(Locale.ROOT);
        return IMAGE_PREFIXES.stream().filter(lower::startsWith).findFirst().orElse(null);
    }

    /** True for image data: a prefix form, an HDF5 file or an (MNIST IDX) directory; these are not CSV. */
    boolean isImages() {
        String lower = data.trim().toLowerCase(Locale.ROOT);
        return imagePrefix() != null || lower.endsWith(".h5") || lower.endsWith(".hdf5")
                || Files.isDirectory(Path.of(data));
    }

    /** Reads image data (see {@link #isImages()}). */
    Dataset loadImages(DType dtype) throws IOException {
        String prefix = imagePrefix();
        if (prefix == null) {
            Path path = Path.of(data);
            return Files.isDirectory(path) ? IdxLoader.mnist(path, true, dtype)
                    : Hdf5Loader.create().dtype(dtype).load(path);
        }
        Path dir = Path.of(data.trim().substring(prefix.length()));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + data + ": " + dir + " is not a directory");
        }
        boolean train = !prefix.contains("-test");
        if (prefix.startsWith("mnist")) {
            return IdxLoader.mnist(dir, train, dtype);
        }
        String split = train ? "train" : "test";
        if (Files.isRegularFile(dir.resolve(split + "_catvnoncat.h5"))) {
            return Hdf5Loader.catVsNonCat(dir, train, dtype);
        }
        if (Files.isRegularFile(dir.resolve(split + "_x.u8"))) {
            return RawCatLoader.catVsNonCat(dir, train, dtype);
        }
        throw new IllegalArgumentException("--data " + data + ": " + dir + " holds neither " + split
                + "_catvnoncat.h5 nor " + split + "_x.u8 + " + split + "_y.u8");
    }

    static boolean isFile(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.endsWith(".csv") || lower.endsWith(".csv.gz") || value.contains("/")
                || value.contains(File.separator) || Files.isRegularFile(Path.of(value));
    }

    /** "digits" or the file name, for one-line descriptions. */
    String displayName() {
        if (imagePrefix() != null) {
            return data.trim();
        }
        return isFile() || isImages() ? Path.of(data).getFileName().toString() : data.toLowerCase(Locale.ROOT);
    }

    /**
     * Loads the data.
     *
     * @param seed       seed of the synthetic generators (built-in moons, circles, ...)
     * @param regression read the label column as real-valued targets
     */
    Dataset load(long seed, DType dtype, boolean regression) throws IOException {
        validate();
        if (isImages()) {
            return loadImages(dtype);
        }
        if (!isFile()) {
            return BuiltinDatasets.byName(data, seed, dtype);
        }
        return loader(regression, dtype).load(Path.of(data));
    }

    /** Checks the options against each other without reading anything. */
    void validate() {
        if (isImages()) {
            String given = labelColumn != null ? "--label-column" : header != null ? "--header/--no-header"
                    : regression ? "--regression" : null;
            if (given != null) {
                throw new IllegalArgumentException(given + " applies to CSV files, but --data " + data
                        + " is image data (class labels, no header)");
            }
            return;
        }
        if (isFile()) {
            loader(regression, DType.FLOAT32);
            return;
        }
        String given = labelColumn != null ? "--label-column" : header != null ? "--header/--no-header"
                : regression ? "--regression" : null;
        if (given != null) {
            throw new IllegalArgumentException(given + " applies to CSV files, but --data " + data
                    + " is a built-in data set (class labels, no header)");
        }
        String name = data.trim().toLowerCase(Locale.ROOT);
        if (!BuiltinDatasets.names().contains(name)) {
            throw new IllegalArgumentException("--data " + data + " is neither a built-in data set ("
                    + String.join(", ", BuiltinDatasets.names()) + ") nor a file ending in .csv or .csv.gz");
        }
    }

    /** The CsvLoader for these options; conflicts are reported here, in terms of the options. */
    CsvLoader loader(boolean regression, DType dtype) {
        CsvLoader loader = (regression ? CsvLoader.regression() : CsvLoader.classification()).dtype(dtype);
        if (header != null) {
            loader = loader.header(header ? CsvLoader.Header.NAMES : CsvLoader.Header.NONE);
        }
        if (labelColumn != null) {
            String column = labelColumn.trim();
            if (INTEGER.matcher(column).matches()) {
                int index;
                try {
                    index = Integer.parseInt(column);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--label-column " + column + " is not a usable column index");
                }
                loader = loader.labelColumn(index);
            } else {
                if (Boolean.FALSE.equals(header)) {
                    throw new IllegalArgumentException("--label-column " + column + " names a column, but "
                            + "--no-header says the file has no row of column names: give the column's index instead");
                }
                loader = loader.labelColumn(column);
            }
        }
        return loader;
    }
}
