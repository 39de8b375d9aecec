package org.backprop4j.cli;

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
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.backprop4j.data.DataFormatException;
import org.backprop4j.data.TextCheck;

/**
 * Reads a CSV file for prediction, where a label column may be present or not. CsvLoader always
 * wants a label column, so prediction reads the file itself: the same format (UTF-8, plain or gzip,
 * optional header row, numbers only in feature columns, blank lines only at the end), but the cells
 * are kept as text until the caller knows which column, if any, is the label.
 */
final class FeatureCsv {

    /** The cells of a file: the header's names (or null) and the data rows. */
    record Table(String source, List<String> names, List<String[]> rows, int firstDataLine) {
        int width() {
            return names != null ? names.size() : rows.get(0).length;
        }
    }

    private FeatureCsv() {
    }

    /**
     * Reads every row of {@code file}.
     *
     * @param header true: the first row is names; false: it is data; null: names if any field of it is not a number
     */
    static Table read(Path file, Boolean header) throws IOException {
        String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            try {
                InputStream data = gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
                TextCheck.requireText(data, source);
                return parse(new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), 1 << 16),
                        source, header);
            } catch (ZipException | EOFException e) {
                if (!gzip) {
                    throw e;
                }
                throw new DataFormatException(source + ": the gzip data is corrupt or truncated (" + e.getMessage()
                        + ")", source, 0, 0, e);
            }
        }
    }

    private static Table parse(BufferedReader reader, String source, Boolean header) throws IOException {
        List<String> names = null;
        List<String[]> rows = new ArrayList<>();
        int width = 0;
        int widthLine = 0;
        int firstDataLine = 0;
        int blankLine = 0;
        int lineNo = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                if (blankLine == 0) {
                    blankLine = lineNo;
                }
                continue;
            }
            if (blankLine != 0) {
                throw new DataFormatException(source + ": line " + blankLine + " is blank, but line " + lineNo
                        + " has data; blank lines are allowed only at the end of the file", source, blankLine, 0);
            }
            String[] fields = split(line, source, lineNo);
            if (width == 0) {
                width = fields.length;
                widthLine = lineNo;
                boolean isHeader = header != null ? header : !Arrays.stream(fields).allMatch(FeatureCsv::isNumber);
                if (isHeader) {
                    names = List.of(fields);
                    continue;
                }
            } else if (fields.length != width) {
                throw new DataFormatException(source + ": line " + lineNo + " has " + fields.length
                        + " columns, line " + widthLine + " has " + width, source, lineNo, 0);
            }
            if (rows.isEmpty()) {
                firstDataLine = lineNo;
            }
            rows.add(fields);
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(source + (names == null ? ": file is empty"
                    : ": no data rows after the header on line " + widthLine), source, widthLine, 0);
        }
        return new Table(source, names, rows, firstDataLine);
    }

    /**
     * The numbers of every column except {@code skipColumn} (-1 for none), row-major.
     *
     * @throws DataFormatException naming line and column of a cell that is not a finite number
     */
    static double[] features(Table t, int skipColumn) {
        int width = t.width();
        int featureCount = skipColumn >= 0 ? width - 1 : width;
        double[] out = new double[t.rows().size() * featureCount];
        int i = 0;
        for (int r = 0; r < t.rows().size(); r++) {
            String[] fields = t.rows().get(r);
            for (int c = 0; c < width; c++) {
                if (c == skipColumn) {
                    continue;
                }
                out[i++] = number(t, fields[c], t.firstDataLine() + r, c + 1);
            }
        }
        return out;
    }

    private static double number(Table t, String field, int lineNo, int column) {
        if (isNumber(field)) {
            double v = Double.parseDouble(field);
            if (Double.isFinite(v)) {
                return v;
            }
        }
        String where = t.source() + " line " + lineNo + ", column " + column;
        String what = field.isEmpty() ? "empty value; missing values are not supported"
                : "'" + field + "' is not a finite number";
        throw new DataFormatException(where + ": " + what, t.source(), lineNo, column);
    }

    /** A plain decimal number: digits, sign, point, exponent (no NaN, Infinity, hex or Java suffixes). */
    static boolean isNumber(String field) {
        boolean digit = false;
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch >= '0' && ch <= '9') {
                digit = true;
            } else if (ch != '+' && ch != '-' && ch != '.' && ch != 'e' && ch != 'E') {
                return false;
            }
        }
        if (!digit) {
            return false;
        }
        try {
            Double.parseDouble(field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits at commas; a field may be in double quotes ({@code ""} is a quote). Fields are trimmed. */
    private static String[] split(String line, String source, int lineNo) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DataFormatException(source + " line " + lineNo + ", column " + (out.size() + 1)
                                + ": unterminated quote (a field cannot span lines)", source, lineNo, out.size() + 1);
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
                while (i < n && line.charAt(i) != ',') {
                    i++;
                }
                out.add(sb.toString().trim());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ',') {
                    i++;
                }
                out.add(line.substring(start, i).trim());
            }
            if (i >= n) {
                return out.toArray(new String[0]);
            }
            i++;
        }
    }
}
