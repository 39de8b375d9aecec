package org.backprop4j.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded train/test splits. The same dataset, fraction and seed always give the same split, on every
 * JVM: the permutation comes from {@link SplittableRandom}, whose algorithm is specified.
 */
public final class Split {

    /** The two parts of a split; together they hold every sample of the original exactly once. */
    public record TrainTest(Dataset train, Dataset test) {
    }

    private Split() {
    }

    /**
     * Splits {@code data} at random into a training and a test set, both in random order.
     *
     * <p>The test set gets {@code round(size × testFraction)} samples. A stratified split (classes
     * only) splits each class separately, so each part keeps the class proportions of the whole up to
     * rounding: the per-class test counts are rounded down, then the samples still owed to the test
     * set go to the classes with the largest remainders (ties to the lower class).
     *
     * @param testFraction share of samples for the test set, strictly between 0 and 1
     * @param seed         seed of the random permutation
     * @param stratified   keep the class proportions in both parts
     * @throws IllegalArgumentException if the fraction is not in (0, 1), if either part would be empty,
     *         or if {@code stratified} is asked of a dataset without classes
     */
    public static TrainTest trainTest(Dataset data, double testFraction, long seed, boolean stratified) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be strictly between 0 and 1, got " + testFraction);
        }
        if (stratified && !data.hasClasses()) {
            throw new IllegalArgumentException("a stratified split needs class labels; this dataset has "
                    + "real-valued targets (use stratified = false)");
        }
        int n = data.size();
        int testCount = (int) Math.round(n * testFraction);
        if (testCount == 0 || testCount == n) {
            throw new IllegalArgumentException("testFraction " + testFraction + " of " + n + " samples leaves the "
                    + (testCount == 0 ? "test" : "training") + " set empty; both need at least one sample");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] test;
        int[] train;
        if (stratified) {
            int[][] parts = stratifiedIndices(data, testCount, random);
            test = parts[0];
            train = parts[1];
        } else {
            int[] order = identity(n);
            shuffle(order, random);
            test = Arrays.copyOfRange(order, 0, testCount);
            train = Arrays.copyOfRange(order, testCount, n);
        }
        return new TrainTest(data.select(train), data.select(test));
    }

    /** {test indices, train indices}, each shuffled across classes. */
    private static int[][] stratifiedIndices(Dataset data, int testCount, SplittableRandom random) {
        int n = data.size();
        int k = data.classCount();
        int[] labels = data.labels();
        int[] classSize = new int[k];
        for (int label : labels) {
            classSize[label]++;
        }
        // Members of each class, in sample order, laid out class after class.
        int[] start = new int[k + 1];
        for (int c = 0; c < k; c++) {
            start[c + 1] = start[c] + classSize[c];
        }
        int[] members = new int[n];
        int[] fill = start.clone();
        for (int i = 0; i < n; i++) {
            members[fill[labels[i]]++] = i;
        }
        // Largest-remainder allocation of testCount over the classes.
        double fraction = (double) testCount / n;
        int[] classTest = new int[k];
        double[] remainder = new double[k];
        int given = 0;
        for (int c = 0; c < k; c++) {
            double exact = classSize[c] * fraction;
            classTest[c] = (int) Math.floor(exact);
            remainder[c] = exact - classTest[c];
            given += classTest[c];
        }
        for (; given < testCount; given++) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                if (classTest[c] < classSize[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            classTest[best]++;
            remainder[best] = -1;
        }
        int[] test = new int[testCount];
        int[] train = new int[n - testCount];
        int t = 0;
        int r = 0;
        for (int c = 0; c < k; c++) {
            int[] cls = Arrays.copyOfRange(members, start[c], start[c + 1]);
            shuffle(cls, random);
            System.arraycopy(cls, 0, test, t, classTest[c]);
            System.arraycopy(cls, classTest[c], train, r, cls.length - classTest[c]);
            t += classTest[c];
            r += cls.length - classTest[c];
        }
        shuffle(test, random);
        shuffle(train, random);
        return new int[][] {test, train};
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Fisher–Yates. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
