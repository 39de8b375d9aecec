package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.examples.CatVsNonCat;
import org.backprop4j.examples.CatVsNonCat.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The course's cat vs non-cat results, reproduced on the course's own HDF5 files with its setup
 * (full-batch gradient descent, learning rate 0.0075, 2500 iterations, {@code randn/√n_in}
 * weights, float64), and the better recipe. The course reports about 98-100% train accuracy, 80%
 * test accuracy for [12288, 20, 7, 5, 1] and 72% for [12288, 7, 1]; its random numbers are NumPy's,
 * so ours start from other weights and the bands below are what seeded runs here reach, with margin.
 * Skipped, with the reason, without the data files or the openblas backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("reproduction")
class CatVsNonCatReproductionTest {

    private Dataset train;
    private Dataset test;
    private Backend backend;

    @BeforeAll
    void load() throws IOException {
        Path dir = RealData.requireDir("catvnoncat/train_catvnoncat.h5", "catvnoncat/test_catvnoncat.h5");
        backend = RealData.requireOpenBlas();
        Dataset[] data = CatVsNonCat.load(dir);
        train = data[0];
        test = data[1];
    }

    /** Seeds 1 and 2 reached train 0.995 and 1.000, test 0.76 and 0.74 (the course: 0.99, 0.80). */
    @Test
    void fiveLayerNetworkTheCourseWay() {
        Run r = CatVsNonCat.courseRecipe(train, test, new int[] {20, 7, 5}, backend, 1);
        assertEquals(2500, r.iterations(), r::toString);
        assertEquals(Math.log(2), r.firstCost(), 0.05, r::toString);
        assertTrue(r.finalCost() < 0.1, r::toString);
        assertTrue(r.trainAccuracy() >= 0.95, r::toString);
        assertTrue(r.testAccuracy() >= 0.70, r::toString);
    }

    /** Seed 1 reached train 1.000, test 0.74 (the course: 1.00, 0.72). */
    @Test
    void twoLayerNetworkTheCourseWay() {
        Run r = CatVsNonCat.courseRecipe(train, test, new int[] {7}, backend, 1);
        assertEquals(2500, r.iterations(), r::toString);
        assertEquals(Math.log(2), r.firstCost(), 0.05, r::toString);
        assertTrue(r.finalCost() < 0.1, r::toString);
        assertTrue(r.trainAccuracy() >= 0.95, r::toString);
        assertTrue(r.testAccuracy() >= 0.66, r::toString);
    }

    /**
     * He, Adam at 1e-4 and mini-batches of 32 fit the training images stably (at 1e-3 some seeds' relus
     * die and the cost stalls near 0.65). The test accuracy is reported, not bounded: on 50 test images
     * it swings by 20 points from one epoch to the next, so where 100 epochs end is a draw.
     */
    @Test
    void heAdamAndMiniBatches() {
        Run r = CatVsNonCat.betterRecipe(train, test, new int[] {20, 7, 5}, backend, 1);
        assertEquals(100, r.epochs(), r::toString);
        assertTrue(r.trainAccuracy() >= 0.85, r::toString);
    }

    /**
     * Early stopping on 42 validation images stops within a few dozen epochs (seeds 1, 2, 3: 192, 210
     * and 294 iterations of 7 batches) and restores an under-trained network; its accuracy is
     * reported, not bounded.
     */
    @Test
    void earlyStoppingStopsEarly() {
        Run r = CatVsNonCat.betterRecipeWithEarlyStopping(train, test, new int[] {20, 7, 5}, backend, 1);
        assertTrue(r.epochs() < 200, r::toString);
        assertTrue(r.trainAccuracy() < 1.0, r::toString);
    }
}
