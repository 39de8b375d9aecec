package org.backprop4j.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.backprop4j.nn.DType;

/**
 * Reads a comma-separated file into a {@link Dataset}: every column is a number, one column is the
 * label (a class index for classification, a real target for regression), the others are features.
 *
 * <p>A loader is an immutable set of options; each option method returns a new loader:
 * <pre>{@code
 * Dataset digits = CsvLoader.classification().header(Header.NONE).load(Path.of("digits.csv.gz"));
 * Dataset iris = CsvLoader.sklearn().load(Path.of("iris.csv"));      // class names from line 1
 * Dataset houses = CsvLoader.regression().labelColumn("price").load(Path.of("houses.csv"));
 * }</pre>
 *
 * <p>Format: UTF-8 text (a leading byte-order mark is skipped), one sample per line, plain or
 * gzip-compressed (recognized by the gzip magic bytes, whatever the file name). Values are decimal
 * numbers such as {@code 17}, {@code -0.5} or {@code 1e-3}, optionally surrounded by spaces or double
 * quotes. Blank lines at the end are ignored; a blank line followed by more data is an error. Missing
 * values, NaN and infinities are rejected. Data that does not start like UTF-8 text (an MNIST IDX
 * file, an HDF5 file, other binary data) is rejected before parsing, with a message saying what it
 * looks like; see {@link TextCheck}.
 *
 * <p>Defaults: {@link Header#AUTO}, the label in the last column, delimiter {@code ','}, features
 * stored as {@link DType#FLOAT32}.
 *
 * <p>Every problem with the file's content is a {@link DataFormatException} naming the file, line
 * and column; I/O failures are {@link IOException}s.
 */
public final class CsvLoader {

    /** What the first non-blank line of the file is. */
    public enum Header {
        /**
         * Decide from the first line: if every field is a number it is data; if it looks like a
         * scikit-learn header ({@link #SKLEARN}) and its counts agree with the file, it is read as one;
         * otherwise it is a line of column {@link #NAMES}.
         */
        AUTO,
        /** The first line holds column names, as many as there are columns. */
        NAMES,
        /** There is no header: the first line is data. */
        NONE,
        /**
         * The first line is scikit-learn's: the row count, the feature count, then the class names,
         * e.g. {@code 150,4,setosa,versicolor,virginica}. The counts are checked against the file and
         * the class names become {@link Dataset#classNames()} (for classification).
         */
        SKLEARN
    }

    private final boolean classification;
    private final Header header;
    private final String labelName;
    private final int labelIndex;
    private final int classCount;
    private final char delimiter;
    private final DType dtype;

    private CsvLoader(boolean classification, Header header, String labelName, int labelIndex, int classCount,
                      char delimiter, DType dtype) {
        this.classification = classification;
        this.header = header;
        this.labelName = labelName;
        this.labelIndex = labelIndex;
        this.classCount = classCount;
        this.delimiter = delimiter;
        this.dtype = dtype;
    }

    /** A loader for class labels: the label column holds whole numbers 0, 1, 2, ... */
    public static CsvLoader classification() {
        return new CsvLoader(true, Header.AUTO, null, -1, 0, ',', DType.FLOAT32);
    }

    /** A loader for a real-valued target: the label column holds any finite number. */
    public static CsvLoader regression() {
        return new CsvLoader(false, Header.AUTO, null, -1, 0, ',', DType.FLOAT32);
    }

    /** {@link #classification()} with a {@link Header#SKLEARN} first line (iris.csv, wine_data.csv, ...). */
    public static CsvLoader sklearn() {
        return classification().header(Header.SKLEARN);
    }

    /** The same loader with the given header style. */
    public CsvLoader header(Header header) {
        if (header == null) {
            throw new NullPointerException("header");
        }
        return new CsvLoader(classification, header, labelName, labelIndex, classCount, delimiter, dtype);
    }

    /**
     * The same loader taking the label from the column with this name in the header line (needs
     * {@link Header#NAMES}, or {@link Header#AUTO} on a file whose first line is names).
     */
    public CsvLoader labelColumn(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the label column name must not be blank");
        }
        return new CsvLoader(classification, header, name.trim(), 0, classCount, delimiter, dtype);
    }

    /**
     * The same loader taking the label from column {@code index}: 0 is the first column, -1 the last
     * (the default), -2 the one before it, and so on.
     */
    public CsvLoader labelColumn(int index) {
        return new CsvLoader(classification, header, null, index, classCount, delimiter, dtype);
    }

    /**
     * The same loader with a fixed number of classes, at least 2, for a file that may not contain the
     * highest class. By default the count is the largest label plus one (or the number of class names
     * of a {@link Header#SKLEARN} header).
     *
     * @throws IllegalStateException on a regression loader
     */
    public CsvLoader classCount(int classCount) {
        if (!classification) {
            throw new IllegalStateException("classCount applies to classification; this loader reads regression targets");
        }
        if (classCount < 2) {
            throw new IllegalArgumentException("classCount must be at least 2, got " + classCount);
        }
        return new CsvLoader(classification, header, labelName, labelIndex, classCount, delimiter, dtype);
    }

    /** The same loader splitting fields at {@code delimiter}, e.g. {@code ';'} or {@code '\t'}. */
    public CsvLoader delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || Character.isLetterOrDigit(delimiter)
                || delimiter == '.' || delimiter == '-' || delimiter == '+') {
            throw new IllegalArgumentException("'" + delimiter + "' cannot be a delimiter: it can be part of a value");
        }
        return new CsvLoader(classification, header, labelName, labelIndex, classCount, delimiter, dtype);
    }

    /** The same loader storing features as {@code dtype}. */
    public CsvLoader dtype(DType dtype) {
        if (dtype == null) {
            throw new NullPointerException("dtype");
        }
        return new CsvLoader(classification, header, labelName, labelIndex, classCount, delimiter, dtype);
    }

    /**
     * Reads {@code file}, plain or gzip-compressed. Messages name the file by its file name.
     *
     * @throws DataFormatException if the content is not a valid dataset
     * @throws IOException         if the file cannot be read
     */
    public Dataset load(Path file) throws IOException {
        Path name = file.getFileName();
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, name == null ? file.toString() : name.toString());
        }
    }

    /**
     * Reads a plain or gzip-compressed stream, which is not closed.
     *
     * @param sourceName the name messages give the data, e.g. a file or resource name
     * @throws DataFormatException if the content is not a valid dataset
     * @throws IOException         if the stream cannot be read
     */
    public Dataset load(InputStream in, String sourceName) throws IOException {
        if (labelName != null && (header == Header.NONE || header == Header.SKLEARN)) {
            throw new IllegalStateException("the label column is given by name ('" + labelName
                    + "'), which needs a header of column names, but the header style is " + header);
        }
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        boolean gzip = isGzip(buffered);
        try {
            InputStream data = gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
            TextCheck.requireText(data, sourceName);
            BufferedReader reader = new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), 1 << 16);
            return new Parser(sourceName).parse(reader);
        } catch (ZipException | EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw new DataFormatException(sourceName + ": the gzip data is corrupt or truncated (" + e.getMessage() + ")",
                    sourceName, 0, 0, e);
        }
    }

    @Override
    public String toString() {
        return "CsvLoader[" + (classification ? "classification" : "regression") + ", header " + header
                + ", label column " + (labelName != null ? "'" + labelName + "'" : Integer.toString(labelIndex))
                + (classCount > 0 ? ", " + classCount + " classes" : "") + ", delimiter '" + delimiter + "', "
                + dtype + "]";
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** One pass over one file; holds the state of that pass. */
    private final class Parser {
        private final String source;

        private int width;            // columns per line, known after the first line that fixes it
        private int widthLine;        // the line that fixed it
        private int label;            // 0-based label column, -1 until known
        private boolean firstIsNames; // the header line is a line of column names (AUTO may revise this)
        private List<String> names;   // fields of the header line, or null without one
        private int headerLine;       // 0 without a header

        private double[] features = new double[1024];
        private int featureLength;
        private int[] labels = new int[256];
        private double[] targets = new double[256];
        private int rows;
        private int firstDataLine;

        Parser(String source) {
            this.source = source;
        }

        Dataset parse(BufferedReader reader) throws IOException {
            int lineNo = 0;
            int blankLine = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    if (blankLine == 0) {
                        blankLine = lineNo;
                    }
                    continue;
                }
                if (blankLine != 0) {
                    throw error(blankLine, 0, source + ": line " + blankLine + " is blank, but line " + lineNo
                            + " has data; blank lines are allowed only at the end of the file");
                }
                List<String> fields = split(line, lineNo);
                if (headerLine == 0 && rows == 0 && width == 0 && isHeader(fields, lineNo)) {
                    headerLine = lineNo;
                    names = fields;
                    if (firstIsNames) {
                        fixWidth(fields.size(), lineNo);
                    }
                    continue;
                }
                if (width == 0) {
                    fixWidth(fields.size(), lineNo);
                } else if (fields.size() != width) {
                    throw error(lineNo, 0, source + ": line " + lineNo + " has " + fields.size() + " columns, line "
                            + widthLine + " has " + width);
                }
                if (rows == 0) {
                    firstDataLine = lineNo;
                }
                addRow(fields, lineNo);
            }
            if (rows == 0) {
                if (headerLine == 0) {
                    throw error(0, 0, source + ": file is empty");
                }
                throw error(headerLine, 0, source + ": no data rows after the header on line " + headerLine);
            }
            return build();
        }

        /** Decides whether the first non-blank line is a header; sets firstIsNames. */
        private boolean isHeader(List<String> fields, int lineNo) {
            switch (header) {
                case NONE:
                    return false;
                case NAMES:
                    firstIsNames = true;
                    return true;
                case SKLEARN:
                    checkSklearnHeader(fields, lineNo);
                    firstIsNames = false;
                    return true;
                default:
                    if (fields.stream().allMatch(CsvLoader::looksNumeric)) {
                        return false;
                    }
                    // A label named in the header settles it; otherwise a scikit-learn line stays
                    // undecided until the counts can be compared (see build()).
                    firstIsNames = labelName != null || !looksLikeSklearnHeader(fields);
                    return true;
            }
        }

        private void checkSklearnHeader(List<String> fields, int lineNo) {
            String expected = "a scikit-learn header is the row count, the feature count, then the class names";
            if (fields.size() < 2) {
                throw error(lineNo, 0, source + ": line " + lineNo + " has " + fields.size() + " field; " + expected);
            }
            for (int c = 0; c < 2; c++) {
                if (!isCount(fields.get(c))) {
                    throw error(lineNo, c + 1, source + " line " + lineNo + ", column " + (c + 1) + ": '"
                            + fields.get(c) + "' is not a whole number; " + expected);
                }
            }
        }

        private void fixWidth(int columns, int lineNo) {
            width = columns;
            widthLine = lineNo;
            if (columns < 2) {
                throw error(lineNo, 0, source + ": line " + lineNo + " has only " + columns
                        + " column; a dataset needs a label column and at least one feature column");
            }
            label = resolveLabelColumn(lineNo);
        }

        private int resolveLabelColumn(int lineNo) {
            if (labelName != null) {
                if (headerLine == 0 || !firstIsNames) {
                    throw error(lineNo, 0, source + ": the label column is given by name ('" + labelName
                            + "'), but line " + lineNo + " is data, not a header of column names");
                }
                int found = -1;
                for (int c = 0; c < names.size(); c++) {
                    if (names.get(c).equals(labelName)) {
                        if (found >= 0) {
                            throw error(headerLine, c + 1, source + ": label column '" + labelName
                                    + "' appears twice in the header, as columns " + (found + 1) + " and " + (c + 1));
                        }
                        found = c;
                    }
                }
                if (found < 0) {
                    throw error(headerLine, 0, source + ": label column '" + labelName
                            + "' not found; the header has: " + String.join(", ", names));
                }
                return found;
            }
            int c = labelIndex < 0 ? width + labelIndex : labelIndex;
            if (c < 0 || c >= width) {
                throw error(lineNo, 0, source + ": label column index " + labelIndex + " is outside the " + width
                        + " columns of line " + lineNo + " (use 0.." + (width - 1) + ", or -1..-" + width
                        + " counting from the end)");
            }
            return c;
        }

        private void addRow(List<String> fields, int lineNo) {
            int featureCount = width - 1;
            if (featureLength + featureCount > features.length) {
                features = Arrays.copyOf(features, Math.max(features.length * 2, featureLength + featureCount));
            }
            if (rows == labels.length) {
                labels = Arrays.copyOf(labels, rows * 2);
                targets = Arrays.copyOf(targets, rows * 2);
            }
            for (int c = 0; c < width; c++) {
                String field = fields.get(c);
                if (c == label) {
                    if (classification) {
                        labels[rows] = parseLabel(field, lineNo, c + 1);
                    } else {
                        targets[rows] = parseNumber(field, lineNo, c + 1);
                    }
                } else {
                    features[featureLength++] = parseNumber(field, lineNo, c + 1);
                }
            }
            rows++;
        }

        private double parseNumber(String field, int lineNo, int column) {
            double v = numberOrNaN(field);
            if (dtype.holds(v)) {
                return v;
            }
            if (Double.isFinite(v)) {
                throw error(lineNo, column, source + ": " + field + " in line " + lineNo + ", column " + column
                        + " is beyond the float32 range: load the file as float64 (dtype(DType.FLOAT64), --dtype float64)");
            }
            if (field.isEmpty()) {
                throw error(lineNo, column, source + " line " + lineNo + ", column " + column
                        + ": empty value; missing values are not supported");
            }
            if (isNonFiniteWord(field) || isPlainNumber(field)) {
                // Spelled NaN/inf, or a plain number beyond the double range.
                throw error(lineNo, column, source + ": " + field + " in line " + lineNo + ", column " + column
                        + ": data must be finite");
            }
            throw error(lineNo, column, source + " line " + lineNo + ", column " + column + ": '" + field
                    + "' is not a number");
        }

        private int parseLabel(String field, int lineNo, int column) {
            double v = numberOrNaN(field);
            if (Double.isNaN(v) && !isNonFiniteWord(field) && !field.isEmpty()) {
                throw error(lineNo, column, source + " line " + lineNo + ", column " + column + ": label '" + field
                        + "' is not a number; class labels must be whole numbers 0, 1, 2, ...");
            }
            v = parseNumber(field, lineNo, column);
            if (v != Math.rint(v)) {
                throw error(lineNo, column, source + ": label " + field + " on line " + lineNo
                        + " is not a whole number");
            }
            if (v < 0) {
                throw error(lineNo, column, source + ": label " + field + " on line " + lineNo
                        + " is negative; class labels are 0, 1, 2, ...");
            }
            if (v >= Integer.MAX_VALUE) {
                throw error(lineNo, column, source + ": label " + field + " on line " + lineNo + " is too large");
            }
            int k = fixedClassCount();
            if (k > 0 && v >= k) {
                throw error(lineNo, column, source + ": label " + field + " on line " + lineNo + " is not below the "
                        + "class count " + k + (classCount > 0 ? "" : " (from the class names on line " + headerLine + ")"));
            }
            return (int) v;
        }

        /** The class count known before reading the labels: the option, or the names of a SKLEARN header. */
        private int fixedClassCount() {
            if (classCount > 0) {
                return classCount;
            }
            if (header == Header.SKLEARN && names.size() > 2) {
                return names.size() - 2;
            }
            return 0;
        }

        private Dataset build() {
            boolean sklearnHeader = headerLine != 0 && !firstIsNames;
            if (sklearnHeader && header == Header.AUTO && !sklearnCountsAgree()) {
                // Not scikit-learn's header after all: a line of names that happens to start with numbers.
                firstIsNames = true;
                sklearnHeader = false;
                if (names.size() != width) {
                    throw error(firstDataLine, 0, source + ": line " + firstDataLine + " has " + width
                            + " columns, line " + headerLine + " has " + names.size()
                            + " (line " + headerLine + " looks like a scikit-learn header, but its counts "
                            + names.get(0) + " rows and " + names.get(1) + " features do not match the "
                            + rows + " rows of " + (width - 1) + " features and a label)");
                }
            }
            List<String> classNames = null;
            if (sklearnHeader) {
                checkSklearnCounts();
                if (names.size() > 2 && classification) {
                    classNames = names.subList(2, names.size());
                    if (classNames.size() < 2) {
                        throw error(headerLine, 0, source + ": the header on line " + headerLine
                                + " names only 1 class; classification needs at least 2");
                    }
                    if (classCount > 0 && classCount != classNames.size()) {
                        throw error(headerLine, 0, source + ": the header on line " + headerLine + " names "
                                + classNames.size() + " classes, but classCount is " + classCount);
                    }
                    checkLabelsBelow(classNames.size());
                }
            }
            double[] x = Arrays.copyOf(features, featureLength);
            int featureCount = width - 1;
            if (!classification) {
                return Dataset.ofTargets(x, featureCount, Arrays.copyOf(targets, rows), 1, dtype);
            }
            int k = classNames != null ? classNames.size() : classCount;
            Dataset data = Dataset.ofClasses(x, featureCount, Arrays.copyOf(labels, rows), k, dtype);
            return classNames != null ? data.withClassNames(classNames) : data;
        }

        /** For AUTO, where the class names were known only at the end; data lines are consecutive. */
        private void checkLabelsBelow(int k) {
            for (int r = 0; r < rows; r++) {
                if (labels[r] >= k) {
                    int lineNo = firstDataLine + r;
                    throw error(lineNo, label + 1, source + ": label " + labels[r] + " on line " + lineNo
                            + " is not below the class count " + k + " (from the class names on line " + headerLine + ")");
                }
            }
        }

        private boolean sklearnCountsAgree() {
            return names.get(0).equals(Integer.toString(rows)) && names.get(1).equals(Integer.toString(width - 1));
        }

        private void checkSklearnCounts() {
            long declaredRows = Long.parseLong(names.get(0));
            long declaredFeatures = Long.parseLong(names.get(1));
            if (declaredFeatures != width - 1) {
                throw error(headerLine, 2, source + ": the header on line " + headerLine + " says " + declaredFeatures
                        + " features, but the rows have " + width + " columns (" + (width - 1)
                        + (width == 2 ? " feature" : " features") + " and the label)");
            }
            if (declaredRows != rows) {
                throw error(headerLine, 1, source + ": the header on line " + headerLine + " says " + declaredRows
                        + " rows, the file has " + rows);
            }
        }

        /** Splits one line at the delimiter; a field may be in double quotes ({@code ""} is a quote). */
        private List<String> split(String line, int lineNo) {
            List<String> out = new ArrayList<>();
            int i = 0;
            int n = line.length();
            while (true) {
                int start = i;
                while (i < n && line.charAt(i) == ' ' && delimiter != ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw error(lineNo, out.size() + 1, source + " line " + lineNo + ", column "
                                    + (out.size() + 1) + ": unterminated quote (a field cannot span lines)");
                        }
                        char ch = line.charAt(i++);
                        if (ch == '"') {
                            if (i < n && line.charAt(i) == '"') {
                                sb.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            sb.append(ch);
                        }
                    }
                    while (i < n && line.charAt(i) != delimiter) {
                        if (!Character.isWhitespace(line.charAt(i))) {
                            throw error(lineNo, out.size() + 1, source + " line " + lineNo + ", column "
                                    + (out.size() + 1) + ": text after the closing quote");
                        }
                        i++;
                    }
                    out.add(sb.toString().trim());
                } else {
                    i = start;
                    while (i < n && line.charAt(i) != delimiter) {
                        i++;
                    }
                    out.add(line.substring(start, i).trim());
                }
                if (i >= n) {
                    return out;
                }
                i++; // the delimiter
            }
        }

        private DataFormatException error(int line, int column, String message) {
            return new DataFormatException(message, source, line, column);
        }
    }

    /** The value of a plain decimal number, or NaN for anything else (including spelled NaN/inf). */
    private static double numberOrNaN(String field) {
        if (!isPlainNumber(field)) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Only digits, sign, point and exponent: keeps Java's {@code 1d}, {@code 0x1p3}, {@code NaN} out. */
    private static boolean isPlainNumber(String field) {
        if (field.isEmpty()) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch >= '0' && ch <= '9') {
                digit = true;
            } else if (ch != '+' && ch != '-' && ch != '.' && ch != 'e' && ch != 'E') {
                return false;
            }
        }
        return digit;
    }

    private static boolean isNonFiniteWord(String field) {
        String s = field.toLowerCase(Locale.ROOT);
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        return s.equals("nan") || s.equals("inf") || s.equals("infinity");
    }

    /** A number, or a value that is meant as one but is not finite; used to tell data from headers. */
    private static boolean looksNumeric(String field) {
        return isNonFiniteWord(field) || (isPlainNumber(field) && !Double.isNaN(numberOrNaN(field)));
    }

    private static boolean isCount(String field) {
        if (field.isEmpty() || field.length() > 18) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) < '0' || field.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeSklearnHeader(List<String> fields) {
        if (fields.size() < 3 || !isCount(fields.get(0)) || !isCount(fields.get(1))) {
            return false;
        }
        for (int c = 2; c < fields.size(); c++) {
            if (looksNumeric(fields.get(c)) || fields.get(c).isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
