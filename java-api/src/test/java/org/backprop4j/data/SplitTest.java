package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.backprop4j.data.Split.TrainTest;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

class SplitTest {

    /** n samples whose single feature is the sample's index, so a split can be traced back. */
    private static Dataset indexed(int[] labels) {
        double[] x = new double[labels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return Dataset.ofClasses(x, 1, labels, 0, DType.FLOAT64);
    }

    /** 100 samples: 60 of class 0, 30 of class 1, 10 of class 2, in blocks. */
    private static Dataset unbalanced() {
        int[] labels = new int[100];
        Arrays.fill(labels, 60, 90, 1);
        Arrays.fill(labels, 90, 100, 2);
        return indexed(labels);
    }

    private static double[] ids(Dataset d) {
        return d.featuresAsDouble();
    }

    private static void assertPartition(Dataset all, TrainTest split) {
        double[] both = new double[all.size()];
        double[] train = ids(split.train());
        double[] test = ids(split.test());
        System.arraycopy(train, 0, both, 0, train.length);
        System.arraycopy(test, 0, both, train.length, test.length);
        Arrays.sort(both);
        assertArrayEquals(ids(all), both, 0.0);
        for (int i = 0; i < split.train().size(); i++) {
            assertEquals(all.label((int) split.train().feature(i, 0)), split.train().label(i));
        }
        for (int i = 0; i < split.test().size(); i++) {
            assertEquals(all.label((int) split.test().feature(i, 0)), split.test().label(i));
        }
    }

    @Test
    void sizesAndPartition() {
        Dataset data = unbalanced();
        for (boolean stratified : new boolean[] {false, true}) {
            TrainTest split = Split.trainTest(data, 0.25, 42, stratified);
            assertEquals(75, split.train().size());
            assertEquals(25, split.test().size());
            assertPartition(data, split);
        }
        TrainTest odd = Split.trainTest(indexed(new int[7]), 0.3, 1, false);
        assertEquals(2, odd.test().size()); // round(7 × 0.3) = round(2.1)
        assertEquals(5, odd.train().size());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Dataset data = unbalanced();
        for (boolean stratified : new boolean[] {false, true}) {
            TrainTest a = Split.trainTest(data, 0.2, 42, stratified);
            TrainTest b = Split.trainTest(data, 0.2, 42, stratified);
            TrainTest c = Split.trainTest(data, 0.2, 43, stratified);
            assertArrayEquals(ids(a.test()), ids(b.test()), 0.0);
            assertArrayEquals(ids(a.train()), ids(b.train()), 0.0);
            assertFalse(Arrays.equals(ids(a.test()), ids(c.test())));
        }
    }

    @Test
    void theResultIsShuffled() {
        TrainTest split = Split.trainTest(unbalanced(), 0.2, 42, false);
        double[] train = ids(split.train());
        double[] sorted = train.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, train));
    }

    @Test
    void stratifiedKeepsClassProportions() {
        Dataset data = unbalanced();
        TrainTest split = Split.trainTest(data, 0.2, 42, true);
        assertArrayEquals(new int[] {12, 6, 2}, TestData.classCounts(split.test()));
        assertArrayEquals(new int[] {48, 24, 8}, TestData.classCounts(split.train()));
        // 3 classes of 10 at 0.25: round(7.5) = 8 test samples, 8/30 of each class is 2.67; rounding down
        // gives 2 + 2 + 2, and the 2 left over go to the largest remainders (a tie: the lower classes).
        int[] labels = new int[30];
        Arrays.fill(labels, 10, 20, 1);
        Arrays.fill(labels, 20, 30, 2);
        TrainTest even = Split.trainTest(indexed(labels), 0.25, 5, true);
        assertArrayEquals(new int[] {3, 3, 2}, TestData.classCounts(even.test()));
        assertArrayEquals(new int[] {7, 7, 8}, TestData.classCounts(even.train()));
    }

    @Test
    void stratifiedGivesEveryClassItsShareWhereAPlainSplitMayNot() {
        // 95 of class 0 and 5 of class 1: a 20 % stratified test set holds exactly 1 of class 1.
        int[] labels = new int[100];
        Arrays.fill(labels, 95, 100, 1);
        Dataset data = indexed(labels);
        for (long seed = 0; seed < 20; seed++) {
            assertArrayEquals(new int[] {19, 1}, TestData.classCounts(Split.trainTest(data, 0.2, seed, true).test()));
        }
    }

    @Test
    void fractionMustBeStrictlyBetweenZeroAndOne() {
        Dataset data = unbalanced();
        for (double f : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Split.trainTest(data, f, 1, false));
            assertEquals("testFraction must be strictly between 0 and 1, got " + f, e.getMessage());
        }
    }

    @Test
    void bothPartsMustBeNonEmpty() {
        Dataset data = indexed(new int[] {0, 1, 0, 1});
        assertEquals("testFraction 0.1 of 4 samples leaves the test set empty; both need at least one sample",
                assertThrows(IllegalArgumentException.class, () -> Split.trainTest(data, 0.1, 1, false)).getMessage());
        assertEquals("testFraction 0.9 of 4 samples leaves the training set empty; both need at least one sample",
                assertThrows(IllegalArgumentException.class, () -> Split.trainTest(data, 0.9, 1, true)).getMessage());
    }

    @Test
    void stratifiedNeedsClasses() {
        Dataset regression = Dataset.ofTargets(new double[] {1, 2, 3, 4}, 1, new double[] {1, 2, 3, 4}, 1,
                DType.FLOAT64);
        assertEquals(3, Split.trainTest(regression, 0.25, 1, false).train().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Split.trainTest(regression, 0.25, 1, true));
        assertEquals("a stratified split needs class labels; this dataset has real-valued targets (use stratified = "
                + "false)", e.getMessage());
    }
}
