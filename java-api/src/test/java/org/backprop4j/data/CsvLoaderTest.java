package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.backprop4j.data.CsvLoader.Header;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Path writeGzip(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), gzip(text));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private DataFormatException failure(CsvLoader loader, String name, String text) throws IOException {
        Path file = write(name, text);
        return assertThrows(DataFormatException.class, () -> loader.load(file));
    }

    private static double[] row(Dataset d, int i) {
        double[] out = new double[d.featureCount()];
        d.copyFeatures(i, out, 0);
        return out;
    }

    // ---- reading ----

    @Test
    void readsFeaturesAndLabelFromTheLastColumnByDefault() throws IOException {
        Dataset d = CsvLoader.classification().load(write("t.csv", "1,2,0\n3.5,-4e-1,1\n0,7,2\n"));
        assertEquals(3, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(3, d.classCount());
        assertArrayEquals(new int[] {0, 1, 2}, d.labels());
        assertArrayEquals(new double[] {3.5, -0.4}, row(d, 1), 1e-7);
        assertEquals(DType.FLOAT32, d.dtype());
    }

    @Test
    void aValueBeyondTheFloat32RangeIsANamedErrorInFloat32AndLoadsInFloat64() throws IOException {
        DataFormatException e = failure(CsvLoader.classification(), "big.csv", "1,2,0\n3,1e39,1\n");
        assertEquals("big.csv: 1e39 in line 2, column 2 is beyond the float32 range: load the file as float64 "
                + "(dtype(DType.FLOAT64), --dtype float64)", e.getMessage());
        assertEquals(1e39, CsvLoader.classification().dtype(DType.FLOAT64).load(dir.resolve("big.csv")).feature(1, 1));
    }

    @Test
    void storesTheRequestedDtype() throws IOException {
        Dataset d = CsvLoader.classification().dtype(DType.FLOAT64).load(write("t.csv", "0.1,0\n0.2,1\n"));
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(0.1, d.feature(0, 0), 0.0);
        assertEquals(0.2, d.feature(1, 0), 0.0);
    }

    @Test
    void autoTreatsANumericFirstLineAsData() throws IOException {
        Dataset d = CsvLoader.classification().load(write("t.csv", "1,2,1\n3,4,0\n"));
        assertEquals(2, d.size());
        assertEquals(1, d.label(0));
    }

    @Test
    void autoTreatsANonNumericFirstLineAsColumnNames() throws IOException {
        Dataset d = CsvLoader.classification().load(write("t.csv", "width,height,label\n1,2,1\n3,4,0\n"));
        assertEquals(2, d.size());
        assertArrayEquals(new double[] {1, 2}, row(d, 0), 0.0);
    }

    @Test
    void explicitHeaderStyles() throws IOException {
        Path numericNames = write("n.csv", "10,20,30\n1,2,1\n3,4,0\n");
        assertEquals(2, CsvLoader.classification().header(Header.NAMES).load(numericNames).size());
        assertEquals(3, CsvLoader.classification().header(Header.NONE).classCount(31).load(numericNames).size());
        Path named = write("m.csv", "a,b,c\n1,2,1\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.classification().header(Header.NONE).load(named));
        assertEquals("m.csv line 1, column 1: 'a' is not a number", e.getMessage());
    }

    @Test
    void labelColumnByName() throws IOException {
        Dataset d = CsvLoader.classification().labelColumn("target")
                .load(write("t.csv", "x,target,y\n1,0,2\n3,1,4\n"));
        assertEquals(2, d.featureCount());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertArrayEquals(new double[] {3, 4}, row(d, 1), 0.0);
    }

    @Test
    void labelColumnByIndexCountsNegativeFromTheEnd() throws IOException {
        Path file = write("t.csv", "1,5,0\n0,6,1\n");
        Dataset first = CsvLoader.classification().labelColumn(0).load(file);
        assertArrayEquals(new int[] {1, 0}, first.labels());
        assertArrayEquals(new double[] {5, 0}, row(first, 0), 0.0);
        Dataset secondLast = CsvLoader.regression().labelColumn(-2).load(file);
        assertEquals(5, secondLast.target(0, 0), 0.0);
        assertArrayEquals(new double[] {1, 0}, row(secondLast, 0), 0.0);
    }

    @Test
    void classCountIsMaxLabelPlusOneUnlessGiven() throws IOException {
        Path file = write("t.csv", "1,0\n2,3\n");
        assertEquals(4, CsvLoader.classification().load(file).classCount());
        assertEquals(7, CsvLoader.classification().classCount(7).load(file).classCount());
    }

    @Test
    void regressionReadsRealTargets() throws IOException {
        Dataset d = CsvLoader.regression().load(write("t.csv", "a,b,price\n1,2,2.5\n3,4,-1e3\n"));
        assertFalse(d.hasClasses());
        assertEquals(1, d.targetWidth());
        assertEquals(2.5, d.target(0, 0), 0.0);
        assertEquals(-1000, d.target(1, 0), 0.0);
    }

    @Test
    void otherDelimiters() throws IOException {
        Dataset semicolon = CsvLoader.classification().delimiter(';').load(write("s.csv", "1.5;2;1\n3;4;0\n"));
        assertArrayEquals(new double[] {1.5, 2}, row(semicolon, 0), 0.0);
        Dataset tab = CsvLoader.classification().delimiter('\t').load(write("t.tsv", "a\tb\tc\n1\t2\t1\n"));
        assertArrayEquals(new double[] {1, 2}, row(tab, 0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.classification().delimiter('.'));
    }

    @Test
    void blankTrailingLinesCrlfByteOrderMarkSpacesAndQuotes() throws IOException {
        Dataset d = CsvLoader.classification()
                .load(write("t.csv", "\uFEFF\"col a\",\"b\"\"\",label\r\n 1 , \"2\" ,1\r\n3,4,0\r\n\r\n  \n\n"));
        assertEquals(2, d.size());
        assertArrayEquals(new double[] {1, 2}, row(d, 0), 0.0);
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void gzipIsRecognizedByItsMagicBytesNotItsName() throws IOException {
        String text = "a,b,y\n1,2,0\n3,4,1\n";
        Dataset plain = CsvLoader.classification().load(write("plain.csv", text));
        Dataset gz = CsvLoader.classification().load(writeGzip("data.csv.gz", text));
        Dataset gzWithoutExtension = CsvLoader.classification().load(writeGzip("data.csv", text));
        Dataset plainWithGzExtension = CsvLoader.classification().load(write("fake.csv.gz", text));
        for (Dataset d : List.of(gz, gzWithoutExtension, plainWithGzExtension)) {
            assertArrayEquals(plain.featuresAsDouble(), d.featuresAsDouble(), 0.0);
            assertArrayEquals(plain.labels(), d.labels());
        }
    }

    @Test
    void readsFromAStream() throws IOException {
        Dataset d = CsvLoader.classification().load(new java.io.ByteArrayInputStream(gzip("1,0\n2,1\n")), "mem");
        assertEquals(2, d.size());
    }

    @Test
    void sklearnHeaderGivesClassNamesAndIsChecked() throws IOException {
        String text = "4,2,neg,pos\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n";
        Dataset explicit = CsvLoader.sklearn().load(write("s.csv", text));
        assertEquals(4, explicit.size());
        assertEquals(2, explicit.featureCount());
        assertEquals(List.of("neg", "pos"), explicit.classNames());
        Dataset auto = CsvLoader.classification().load(write("a.csv", text));
        assertEquals(List.of("neg", "pos"), auto.classNames());
        assertArrayEquals(explicit.featuresAsDouble(), auto.featuresAsDouble(), 0.0);
    }

    @Test
    void sklearnClassNamesSetTheClassCount() throws IOException {
        Dataset d = CsvLoader.sklearn().load(write("s.csv", "2,1,a,b,c\n1,0\n2,1\n"));
        assertEquals(3, d.classCount());
        assertEquals(List.of("a", "b", "c"), d.classNames());
    }

    @Test
    void sklearnHeaderWithoutNamesOrForRegression() throws IOException {
        Path file = write("s.csv", "2,1\n1,0\n2,3\n");
        assertEquals(4, CsvLoader.sklearn().load(file).classCount());
        assertEquals(3, CsvLoader.regression().header(Header.SKLEARN).load(file).target(1, 0), 0.0);
    }

    @Test
    void autoReadsNamesThatStartWithNumbersWhenTheCountsDoNotFit() throws IOException {
        Dataset d = CsvLoader.classification().load(write("t.csv", "2019,2020,label\n1,2,0\n3,4,1\n5,6,1\n"));
        assertEquals(3, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(List.of("0", "1"), d.classNames());
    }

    // ---- errors ----

    @Test
    void notANumberNamesFileLineAndColumn() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < 17; i++) {
            text.append("1,2,3,4,5,0\n");
        }
        text.append("1,2,3,4,abc,0\n");
        DataFormatException e = failure(CsvLoader.classification(), "digits.csv", text.toString());
        assertEquals("digits.csv line 17, column 5: 'abc' is not a number", e.getMessage());
        assertEquals("digits.csv", e.source());
        assertEquals(17, e.line());
        assertEquals(5, e.column());
    }

    @Test
    void javaOnlyNumberSpellingsAreNotNumbers() throws IOException {
        DataFormatException e = failure(CsvLoader.classification(), "t.csv", "1,0\n2d,1\n");
        assertEquals("t.csv line 2, column 1: '2d' is not a number", e.getMessage());
        e = failure(CsvLoader.classification(), "t.csv", "1,0\n0x1p3,1\n");
        assertEquals("t.csv line 2, column 1: '0x1p3' is not a number", e.getMessage());
    }

    @Test
    void rowWithTheWrongWidth() throws IOException {
        String wide = "1,".repeat(64) + "0\n";
        String narrow = "1,".repeat(63) + "0\n";
        DataFormatException e = failure(CsvLoader.classification(), "digits.csv", wide + wide + narrow);
        assertEquals("digits.csv: line 3 has 64 columns, line 1 has 65", e.getMessage());
        assertEquals(3, e.line());
        e = failure(CsvLoader.classification(), "t.csv", "a,b,c\n1,2,0,5\n");
        assertEquals("t.csv: line 2 has 4 columns, line 1 has 3", e.getMessage());
    }

    @Test
    void labelColumnNotFound() throws IOException {
        DataFormatException e = failure(CsvLoader.classification().labelColumn("target"), "t.csv",
                "a,b,c\n1,2,0\n");
        assertEquals("t.csv: label column 'target' not found; the header has: a, b, c", e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void labelColumnNamedTwice() throws IOException {
        DataFormatException e = failure(CsvLoader.classification().labelColumn("y"), "t.csv", "y,a,y\n1,2,0\n");
        assertEquals("t.csv: label column 'y' appears twice in the header, as columns 1 and 3", e.getMessage());
    }

    @Test
    void labelColumnByNameNeedsAHeader() throws IOException {
        DataFormatException e = failure(CsvLoader.classification().labelColumn("y"), "t.csv", "1,2,0\n");
        assertEquals("t.csv: the label column is given by name ('y'), but line 1 is data, not a header of column "
                + "names", e.getMessage());
        Path file = write("u.csv", "a,y\n1,0\n");
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> CsvLoader.classification().header(Header.NONE).labelColumn("y").load(file));
        assertTrue(s.getMessage().contains("needs a header of column names"), s.getMessage());
    }

    @Test
    void labelColumnIndexOutOfRange() throws IOException {
        DataFormatException e = failure(CsvLoader.classification().labelColumn(3), "t.csv", "1,2,0\n");
        assertEquals("t.csv: label column index 3 is outside the 3 columns of line 1 (use 0..2, or -1..-3 counting "
                + "from the end)", e.getMessage());
        e = failure(CsvLoader.classification().labelColumn(-4), "t.csv", "1,2,0\n");
        assertTrue(e.getMessage().startsWith("t.csv: label column index -4 is outside"), e.getMessage());
    }

    @Test
    void labelThatIsNotAWholeNumber() throws IOException {
        String rows = "1,0\n".repeat(8) + "1,2.5\n";
        DataFormatException e = failure(CsvLoader.classification(), "t.csv", rows);
        assertEquals("t.csv: label 2.5 on line 9 is not a whole number", e.getMessage());
        assertEquals(9, e.line());
        assertEquals(2, e.column());
    }

    @Test
    void wholeNumberLabelsMayBeWrittenWithAPoint() throws IOException {
        assertArrayEquals(new int[] {1, 0}, CsvLoader.classification().load(write("t.csv", "1,1.0\n2,0.0\n")).labels());
    }

    @Test
    void badLabels() throws IOException {
        assertEquals("t.csv: label -1 on line 2 is negative; class labels are 0, 1, 2, ...",
                failure(CsvLoader.classification(), "t.csv", "1,0\n2,-1\n").getMessage());
        assertEquals("t.csv: label 5 on line 2 is not below the class count 3",
                failure(CsvLoader.classification().classCount(3), "t.csv", "1,0\n2,5\n").getMessage());
        assertEquals("t.csv line 2, column 2: label 'cat' is not a number; class labels must be whole numbers "
                + "0, 1, 2, ...", failure(CsvLoader.classification(), "t.csv", "1,0\n2,cat\n").getMessage());
        assertEquals("t.csv: label 1e10 on line 1 is too large",
                failure(CsvLoader.classification(), "t.csv", "1,1e10\n").getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals("t.csv: file is empty", failure(CsvLoader.classification(), "t.csv", "").getMessage());
        assertEquals("t.csv: file is empty", failure(CsvLoader.classification(), "t.csv", "\n \n\n").getMessage());
        Path gz = writeGzip("e.csv.gz", "");
        assertEquals("e.csv.gz: file is empty",
                assertThrows(DataFormatException.class, () -> CsvLoader.classification().load(gz)).getMessage());
    }

    @Test
    void headerWithoutData() throws IOException {
        assertEquals("t.csv: no data rows after the header on line 1",
                failure(CsvLoader.classification(), "t.csv", "a,b\n\n").getMessage());
    }

    @Test
    void nonFiniteValues() throws IOException {
        String rows = "1,2,3,0\n".repeat(11) + "1,2,NaN,0\n";
        DataFormatException e = failure(CsvLoader.classification(), "t.csv", rows);
        assertEquals("t.csv: NaN in line 12, column 3: data must be finite", e.getMessage());
        assertEquals(12, e.line());
        assertEquals(3, e.column());
        assertEquals("t.csv: -inf in line 1, column 1: data must be finite",
                failure(CsvLoader.classification(), "t.csv", "-inf,0\n").getMessage());
        assertEquals("t.csv: 1e999 in line 1, column 1: data must be finite",
                failure(CsvLoader.classification(), "t.csv", "1e999,0\n").getMessage());
        assertEquals("t.csv: nan in line 1, column 2: data must be finite",
                failure(CsvLoader.regression(), "t.csv", "1,nan\n").getMessage());
    }

    @Test
    void missingValue() throws IOException {
        assertEquals("t.csv line 2, column 1: empty value; missing values are not supported",
                failure(CsvLoader.classification(), "t.csv", "1,0\n,1\n").getMessage());
    }

    @Test
    void blankLineInTheMiddle() throws IOException {
        assertEquals("t.csv: line 2 is blank, but line 3 has data; blank lines are allowed only at the end of the file",
                failure(CsvLoader.classification(), "t.csv", "1,0\n\n2,1\n").getMessage());
    }

    @Test
    void singleColumn() throws IOException {
        assertEquals("t.csv: line 1 has only 1 column; a dataset needs a label column and at least one feature "
                + "column", failure(CsvLoader.classification(), "t.csv", "0\n1\n").getMessage());
    }

    @Test
    void quotes() throws IOException {
        assertEquals("t.csv line 1, column 2: unterminated quote (a field cannot span lines)",
                failure(CsvLoader.classification(), "t.csv", "1,\"2,0\n").getMessage());
        assertEquals("t.csv line 1, column 1: text after the closing quote",
                failure(CsvLoader.classification(), "t.csv", "\"1\"x,0\n").getMessage());
    }

    @Test
    void sklearnCountsMustMatch() throws IOException {
        assertEquals("s.csv: the header on line 1 says 3 rows, the file has 2",
                failure(CsvLoader.sklearn(), "s.csv", "3,1,a,b\n1,0\n2,1\n").getMessage());
        assertEquals("s.csv: the header on line 1 says 2 features, but the rows have 2 columns (1 feature and the "
                + "label)", failure(CsvLoader.sklearn(), "s.csv", "2,2,a,b\n1,0\n2,1\n").getMessage());
        assertEquals("s.csv line 1, column 1: 'x' is not a whole number; a scikit-learn header is the row count, "
                + "the feature count, then the class names",
                failure(CsvLoader.sklearn(), "s.csv", "x,1,a,b\n1,0\n").getMessage());
        assertEquals("s.csv: the header on line 1 names 2 classes, but classCount is 3",
                failure(CsvLoader.sklearn().classCount(3), "s.csv", "2,1,a,b\n1,0\n2,1\n").getMessage());
    }

    @Test
    void labelsMustBeBelowTheNumberOfSklearnClassNames() throws IOException {
        assertEquals("s.csv: label 2 on line 3 is not below the class count 2 (from the class names on line 1)",
                failure(CsvLoader.sklearn(), "s.csv", "2,1,a,b\n1,0\n2,2\n").getMessage());
        DataFormatException auto = failure(CsvLoader.classification(), "s.csv", "2,1,a,b\n1,0\n2,2\n");
        assertEquals("s.csv: label 2 on line 3 is not below the class count 2 (from the class names on line 1)",
                auto.getMessage());
        assertEquals(3, auto.line());
        assertEquals(2, auto.column());
    }

    @Test
    void autoExplainsASklearnLookingHeaderWithWrongCounts() throws IOException {
        DataFormatException e = failure(CsvLoader.classification(), "s.csv", "5,2,a,b\n1,2,0\n3,4,1\n");
        assertEquals("s.csv: line 2 has 3 columns, line 1 has 4 (line 1 looks like a scikit-learn header, but its "
                + "counts 5 rows and 2 features do not match the 2 rows of 2 features and a label)", e.getMessage());
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] whole = gzip("1,2,0\n".repeat(1000));
        Path truncated = Files.write(dir.resolve("t.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.classification().load(truncated));
        assertTrue(e.getMessage().startsWith("t.csv.gz: the gzip data is corrupt or truncated"), e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalStateException.class, () -> CsvLoader.regression().classCount(3));
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.classification().classCount(1));
        assertThrows(IllegalArgumentException.class, () -> CsvLoader.classification().labelColumn(" "));
    }

    @Test
    void optionsReturnNewLoaders() throws IOException {
        CsvLoader base = CsvLoader.classification();
        CsvLoader changed = base.labelColumn(0);
        Path file = write("t.csv", "1,0\n0,1\n");
        assertArrayEquals(new int[] {0, 1}, base.load(file).labels());
        assertArrayEquals(new int[] {1, 0}, changed.load(file).labels());
    }
}
