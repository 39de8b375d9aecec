package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.backprop4j.backend.Backend;
import org.backprop4j.data.Dataset;
import org.backprop4j.examples.MnistMlp;
import org.junit.jupiter.api.Test;

/**
 * MNIST [784, 128, 64, 10] with the default recipe (x/255, He, Adam 1e-3 with a cosine decay over
 * the run, batch 32, float32) reaches the 97.5% test accuracy the exercise asks for in five epochs.
 * Seeds 1, 2 and 3 reached 0.9793, 0.9818 and 0.9815 (train 0.996), so the bound has a margin of
 * about 0.3 points. Ten seconds of training on an idle machine, so it runs with every build.
 * Skipped, with the reason, without the data files or the openblas backend.
 */
class MnistReproductionTest {

    static final int EPOCHS = 5;

    @Test
    void reachesNinetySevenAndAHalfPercentInFiveEpochs() throws IOException {
        Path dir = RealData.requireDir("mnist/train-images-idx3-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz",
                "mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz");
        Backend backend = RealData.requireOpenBlas();
        Dataset[] data = MnistMlp.load(dir);
        MnistMlp.Run r = MnistMlp.train(data[0], data[1], EPOCHS, backend, 1);
        assertTrue(r.testAccuracy() >= 0.975, r::toString);
        assertTrue(r.trainAccuracy() >= r.testAccuracy(), r::toString);
    }
}
