package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

/** The scikit-learn CSVs of {@code ../shared/data/sklearn}; skipped, with the reason, where they are absent. */
class RealDataTest {

    static final int[] DIGIT_COUNTS = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
    static final double[] FIRST_DIGIT = {
        0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
        0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0};

    /** The digits as the data README describes them; shared with the embedded-resource test. */
    static void assertDigits(Dataset d) {
        assertEquals(1797, d.size());
        assertEquals(64, d.featureCount());
        assertEquals(10, d.classCount());
        assertArrayEquals(DIGIT_COUNTS, TestData.classCounts(d));
        assertEquals(0, d.label(0));
        assertEquals(1, d.label(1));
        double[] first = new double[64];
        d.copyFeatures(0, first, 0);
        assertArrayEquals(FIRST_DIGIT, first, 0.0);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : d.featuresAsDouble()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertEquals(Math.rint(v), v, 0.0);
        }
        assertEquals(0, min, 0.0);
        assertEquals(16, max, 0.0);
    }

    @Test
    void digitsGzipWithoutHeader() throws IOException {
        Path file = TestData.require("sklearn/digits.csv.gz");
        assertDigits(CsvLoader.classification().header(CsvLoader.Header.NONE).load(file));
        // Auto-detection sees a numeric first line: no header either.
        assertDigits(CsvLoader.classification().dtype(DType.FLOAT64).load(file));
    }

    @Test
    void irisWithTheSklearnHeader() throws IOException {
        Path file = TestData.require("sklearn/iris.csv");
        for (CsvLoader loader : List.of(CsvLoader.sklearn(), CsvLoader.classification())) {
            Dataset d = loader.dtype(DType.FLOAT64).load(file);
            assertEquals(150, d.size());
            assertEquals(4, d.featureCount());
            assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
            assertArrayEquals(new int[] {50, 50, 50}, TestData.classCounts(d));
            double[] first = new double[4];
            d.copyFeatures(0, first, 0);
            assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, first, 0.0);
            assertEquals(2, d.label(149));
        }
    }

    @Test
    void breastCancer() throws IOException {
        Path file = TestData.require("sklearn/breast_cancer.csv");
        Dataset d = CsvLoader.sklearn().dtype(DType.FLOAT64).load(file);
        assertEquals(569, d.size());
        assertEquals(30, d.featureCount());
        assertEquals(List.of("malignant", "benign"), d.classNames());
        assertArrayEquals(new int[] {212, 357}, TestData.classCounts(d));
        assertEquals(17.99, d.feature(0, 0), 0.0);
        assertEquals(0.1189, d.feature(0, 29), 0.0);
        assertEquals(0, d.label(0));
    }

    @Test
    void wine() throws IOException {
        Path file = TestData.require("sklearn/wine_data.csv");
        Dataset d = CsvLoader.classification().load(file);
        assertEquals(178, d.size());
        assertEquals(13, d.featureCount());
        assertEquals(List.of("class_0", "class_1", "class_2"), d.classNames());
        assertArrayEquals(new int[] {59, 71, 48}, TestData.classCounts(d));
        assertEquals(1065, d.feature(0, 12), 0.0);
    }
}
