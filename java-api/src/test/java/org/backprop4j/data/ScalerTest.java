package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

class ScalerTest {

    /** Columns: 1, 2, 3, 4 | 10, 10, 10, 10 | 0.1, 0.1, 0.1, 0.1 (constant, not exactly representable). */
    private static Dataset train() {
        return Dataset.ofClasses(new double[][] {{1, 10, 0.1}, {2, 10, 0.1}, {3, 10, 0.1}, {4, 10, 0.1}},
                new int[] {0, 1, 0, 1}, 2, DType.FLOAT64);
    }

    @Test
    void standardizeKnownCase() {
        Scaler s = Scaler.standardize(train());
        // Column 0: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
        assertArrayEquals(new double[] {2.5, 10, 0.1}, s.offsets(), 1e-15);
        assertArrayEquals(new double[] {Math.sqrt(1.25), 1, 1}, s.scales(), 1e-15);
        Dataset scaled = s.apply(train());
        double d = 1.5 / Math.sqrt(1.25);
        assertArrayEquals(new double[] {-d, 0, 0, -d / 3, 0, 0, d / 3, 0, 0, d, 0, 0}, scaled.featuresAsDouble(), 1e-15);
        assertArrayEquals(train().labels(), scaled.labels());
    }

    @Test
    void standardizedColumnsHaveMeanZeroAndStdOne() {
        Dataset data = Synthetic.twoMoons(500, 0.3, 11, DType.FLOAT64);
        double[] x = Scaler.standardize(data).apply(data).featuresAsDouble();
        for (int j = 0; j < 2; j++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < 500; i++) {
                sum += x[2 * i + j];
                squares += x[2 * i + j] * x[2 * i + j];
            }
            assertEquals(0, sum / 500, 1e-12);
            assertEquals(1, squares / 500, 1e-12);
        }
    }

    @Test
    void minMaxKnownCase() {
        Scaler s = Scaler.minMax(train());
        assertArrayEquals(new double[] {1, 10, 0.1}, s.offsets(), 0.0);
        assertArrayEquals(new double[] {3, 1, 1}, s.scales(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 1 / 3.0, 0, 0, 2 / 3.0, 0, 0, 1, 0, 0},
                s.apply(train()).featuresAsDouble(), 1e-15);
    }

    @Test
    void fittedOnOneDatasetAppliedToAnother() {
        Scaler s = Scaler.minMax(train());
        Dataset other = Dataset.ofClasses(new double[][] {{7, 11, 0.1}}, new int[] {1}, 2, DType.FLOAT32);
        Dataset scaled = s.apply(other);
        assertEquals(DType.FLOAT32, scaled.dtype());
        assertArrayEquals(new double[] {2, 1, 0}, scaled.featuresAsDouble(), 1e-6);
    }

    @Test
    void divideByAppliesToAnyWidth() {
        Scaler s = Scaler.divideBy(16);
        assertTrue(s.isUniform());
        assertEquals(0, s.featureCount());
        assertArrayEquals(new double[] {0}, s.offsets(), 0.0);
        assertArrayEquals(new double[] {16}, s.scales(), 0.0);
        Dataset pixels = Dataset.ofClasses(new double[][] {{16, 8, 4}}, new int[] {0}, 2, DType.FLOAT64);
        assertArrayEquals(new double[] {1, 0.5, 0.25}, s.apply(pixels).featuresAsDouble(), 0.0);
        assertArrayEquals(new double[] {1, 0.5}, s.apply(new double[] {16, 8}, 2), 0.0);
        assertArrayEquals(new double[] {1, 0.5}, s.apply(new double[] {16, 8}, 1), 0.0);
    }

    @Test
    void rebuiltFromItsParameters() {
        Scaler s = Scaler.standardize(train());
        Scaler copy = Scaler.of(s.offsets(), s.scales());
        assertEquals(s, copy);
        assertEquals(s.hashCode(), copy.hashCode());
        assertArrayEquals(s.apply(train()).featuresAsDouble(), copy.apply(train()).featuresAsDouble(), 0.0);
        Scaler d = Scaler.divideBy(255);
        assertEquals(d, Scaler.uniform(d.offsets()[0], d.scales()[0]));
        assertFalse(d.equals(Scaler.of(new double[] {0}, new double[] {255})));
    }

    @Test
    void ofCopiesItsArrays() {
        double[] offsets = {1};
        double[] scales = {2};
        Scaler s = Scaler.of(offsets, scales);
        offsets[0] = 100;
        s.offsets()[0] = 100;
        assertArrayEquals(new double[] {1}, s.offsets(), 0.0);
    }

    @Test
    void wrongFeatureCountIsNamed() {
        Scaler s = Scaler.standardize(train());
        Dataset twoColumns = Dataset.ofClasses(new double[][] {{1, 2}}, new int[] {0}, 2, DType.FLOAT64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.apply(twoColumns));
        assertEquals("the scaler was fitted on 3 features, but the data has 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.apply(new double[] {1, 2, 3, 4}, 2));
    }

    @Test
    void parametersAreValidated() {
        assertEquals("scale of column 1 is 0.0; it must be positive and finite", assertThrows(
                IllegalArgumentException.class, () -> Scaler.of(new double[] {0, 0}, new double[] {1, 0})).getMessage());
        assertEquals("there are 2 offsets but 1 scales; a scaler needs one of each per column", assertThrows(
                IllegalArgumentException.class, () -> Scaler.of(new double[] {0, 0}, new double[] {1})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scaler.divideBy(0));
        assertThrows(IllegalArgumentException.class, () -> Scaler.divideBy(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Scaler.of(new double[] {Double.NaN}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Scaler.of(new double[0], new double[0]));
    }

    @Test
    void singleSampleBecomesZeros() {
        Dataset one = Dataset.ofClasses(new double[][] {{3, -4}}, new int[] {1}, 2, DType.FLOAT64);
        assertArrayEquals(new double[] {0, 0}, Scaler.standardize(one).apply(one).featuresAsDouble(), 0.0);
        assertArrayEquals(new double[] {0, 0}, Scaler.minMax(one).apply(one).featuresAsDouble(), 0.0);
    }
}
