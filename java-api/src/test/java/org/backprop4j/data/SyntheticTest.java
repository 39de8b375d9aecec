package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

class SyntheticTest {

    private static final List<LongFunction<Dataset>> GENERATORS = List.of(
            seed -> Synthetic.twoMoons(200, 0.1, seed, DType.FLOAT64),
            seed -> Synthetic.circles(200, 0.1, 0.5, seed, DType.FLOAT64),
            seed -> Synthetic.spirals(200, 4, 0.1, seed, DType.FLOAT64),
            seed -> Synthetic.xor(200, 0.1, seed, DType.FLOAT64));

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        for (LongFunction<Dataset> generator : GENERATORS) {
            Dataset a = generator.apply(42);
            Dataset b = generator.apply(42);
            Dataset c = generator.apply(43);
            assertArrayEquals(a.featuresAsDouble(), b.featuresAsDouble(), 0.0);
            assertArrayEquals(a.labels(), b.labels());
            assertFalse(Arrays.equals(a.featuresAsDouble(), c.featuresAsDouble()));
        }
    }

    @Test
    void pinnedValuesStayTheSameAcrossJvms() {
        // SplittableRandom and StrictMath are specified to the bit, so a seed means the same data everywhere;
        // a change here breaks every published "seed 42" result.
        Dataset moons = Synthetic.twoMoons(10, 0.2, 42, DType.FLOAT64);
        assertEquals(-0x1.e3f9683460c82p-1, moons.feature(0, 0), 0.0);
        assertEquals(0x1.95ba2fab0326ep-1, moons.feature(0, 1), 0.0);
        assertEquals(0, moons.label(0));
        assertEquals(0x1.fe23c8319b6f4p0, moons.feature(2, 0), 0.0);
        assertEquals(0x1.912ab5ae0d6c5p-1, moons.feature(2, 1), 0.0);
        assertEquals(1, moons.label(2));
    }

    @Test
    void sizesAndBalance() {
        Dataset moons = Synthetic.twoMoons(1001, 0.2, 1, DType.FLOAT32);
        assertEquals(1001, moons.size());
        assertEquals(2, moons.featureCount());
        assertEquals(DType.FLOAT32, moons.dtype());
        assertArrayEquals(new int[] {500, 501}, TestData.classCounts(moons));
        assertArrayEquals(new int[] {150, 150}, TestData.classCounts(Synthetic.circles(300, 0.05, 0.3, 1, DType.FLOAT64)));
        Dataset spirals = Synthetic.spirals(301, 3, 0.0, 1, DType.FLOAT64);
        assertEquals(3, spirals.classCount());
        assertArrayEquals(new int[] {101, 100, 100}, TestData.classCounts(spirals));
        assertArrayEquals(new int[] {500, 500}, TestData.classCounts(Synthetic.xor(1000, 0.3, 1, DType.FLOAT64)));
    }

    @Test
    void samplesAreShuffled() {
        int[] labels = Synthetic.twoMoons(100, 0, 5, DType.FLOAT64).labels();
        int[] sorted = labels.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, labels));
    }

    @Test
    void noiselessMoonsLieOnTheirCircles() {
        Dataset d = Synthetic.twoMoons(101, 0, 3, DType.FLOAT64);
        for (int i = 0; i < d.size(); i++) {
            double x = d.feature(i, 0);
            double y = d.feature(i, 1);
            if (d.label(i) == 0) {
                assertEquals(1, x * x + y * y, 1e-12);
                assertTrue(y >= 0, "outer moon is the upper half");
            } else {
                assertEquals(1, (x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1e-12);
                assertTrue(y <= 0.5, "inner moon is the lower half");
            }
        }
    }

    @Test
    void noiselessMoonsIncludeTheEndsOfEachHalfCircle() {
        Dataset d = Synthetic.twoMoons(6, 0, 3, DType.FLOAT64);
        double[][] expected = {{1, 0}, {0, 1}, {-1, 0}, {0, 0.5}, {1, -0.5}, {2, 0.5}};
        for (double[] point : expected) {
            boolean found = false;
            for (int i = 0; i < d.size(); i++) {
                found |= Math.abs(d.feature(i, 0) - point[0]) < 1e-12 && Math.abs(d.feature(i, 1) - point[1]) < 1e-12;
            }
            assertTrue(found, Arrays.toString(point));
        }
    }

    @Test
    void noisyMoonsScatterWithTheRequestedDeviation() {
        Dataset d = Synthetic.twoMoons(20000, 0.1, 9, DType.FLOAT64);
        // The distance from the outer circle is roughly the radial noise component: std about 0.1.
        double squares = 0;
        int count = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.label(i) == 0) {
                double r = Math.hypot(d.feature(i, 0), d.feature(i, 1)) - 1;
                squares += r * r;
                count++;
            }
        }
        assertEquals(0.1, Math.sqrt(squares / count), 0.01);
    }

    @Test
    void noiselessCirclesHaveTheirRadii() {
        Dataset d = Synthetic.circles(50, 0, 0.4, 2, DType.FLOAT64);
        for (int i = 0; i < d.size(); i++) {
            double r = Math.hypot(d.feature(i, 0), d.feature(i, 1));
            assertEquals(d.label(i) == 0 ? 1 : 0.4, r, 1e-12);
        }
    }

    @Test
    void noiselessSpiralArmsGrowOutwardsToRadiusOne() {
        Dataset d = Synthetic.spirals(30, 3, 0, 2, DType.FLOAT64);
        double max = 0;
        for (int i = 0; i < d.size(); i++) {
            double r = Math.hypot(d.feature(i, 0), d.feature(i, 1));
            assertTrue(r > 0 && r <= 1 + 1e-12);
            max = Math.max(max, r);
        }
        assertEquals(1, max, 1e-12);
        // The outermost point of arm k is at angle 2πk/3 + 4.
        for (int i = 0; i < d.size(); i++) {
            if (Math.abs(Math.hypot(d.feature(i, 0), d.feature(i, 1)) - 1) < 1e-12) {
                double theta = 2 * Math.PI * d.label(i) / 3 + 4;
                assertEquals(Math.cos(theta), d.feature(i, 0), 1e-12);
                assertEquals(Math.sin(theta), d.feature(i, 1), 1e-12);
            }
        }
    }

    @Test
    void xorCornersCarryTheirLabels() {
        Dataset d = Synthetic.xor(40, 0, 4, DType.FLOAT64);
        for (int i = 0; i < d.size(); i++) {
            int a = (int) d.feature(i, 0);
            int b = (int) d.feature(i, 1);
            assertEquals(a ^ b, d.label(i));
        }
        Dataset table = Synthetic.xorTruthTable(DType.FLOAT32);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, table.featuresAsDouble(), 0.0);
        assertArrayEquals(new int[] {0, 1, 1, 0}, table.labels());
        assertEquals(2, table.classCount());
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("n must be at least 2 so every class has a sample, got 1", assertThrows(
                IllegalArgumentException.class, () -> Synthetic.twoMoons(1, 0.1, 1, DType.FLOAT64)).getMessage());
        assertEquals("noise is a standard deviation and must be finite and >= 0, got -0.1", assertThrows(
                IllegalArgumentException.class, () -> Synthetic.xor(10, -0.1, 1, DType.FLOAT64)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Synthetic.circles(10, 0.1, 1, 1, DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.spirals(10, 1, 0.1, 1, DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.spirals(2, 3, 0.1, 1, DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.twoMoons(10, Double.NaN, 1, DType.FLOAT64));
    }
}
