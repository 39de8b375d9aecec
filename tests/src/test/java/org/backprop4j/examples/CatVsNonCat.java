package org.backprop4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Hdf5Loader;
import org.backprop4j.data.Split;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Initializer;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.NetworkBuilder;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;

/**
 * The course's "Deep Neural Network - Application": cat vs non-cat with a 2-layer and a 5-layer
 * network, trained the course's way, then a better recipe. {@code CatVsNonCatReproductionTest}
 * runs the same code and checks the numbers.
 *
 * <p>Run: {@code java -cp ... org.backprop4j.examples.CatVsNonCat [DATA_DIR]} with
 * {@code DATA_DIR} holding {@code catvnoncat/train_catvnoncat.h5} and {@code test_catvnoncat.h5}
 * (default: {@code -Dbackprop4j.data.dir}, else {@code ../shared/data}).
 */
public final class CatVsNonCat {

    /** The course's learning rate and length. */
    public static final double COURSE_LEARNING_RATE = 0.0075;
    public static final int COURSE_ITERATIONS = 2500;

    /** What one training run reached. */
    public record Run(String name, double trainAccuracy, double testAccuracy, double firstCost, double finalCost,
                      int iterations, int epochs, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-58s train %.3f  test %.3f  cost %.3f -> %.3f  %5d iterations  %5.1f s",
                    name, trainAccuracy, testAccuracy, firstCost, finalCost, iterations, seconds);
        }
    }

    private CatVsNonCat() {
    }

    /**
     * The course's setup: full-batch gradient descent, learning rate 0.0075, 2500 iterations,
     * relu hidden layers, a sigmoid output, {@code randn/√n_in} weights, float64.
     *
     * @param hidden the hidden layer sizes, e.g. {@code {20, 7, 5}} or {@code {7}}
     */
    public static Run courseRecipe(Dataset train, Dataset test, int[] hidden, Backend backend, long seed) {
        Network net = network(hidden, Initializer.RANDN_SCALED, backend, seed);
        long start = System.nanoTime();
        TrainingHistory h = net.fit(train, TrainingConfig.builder()
                .optimizer(Optimizer.sgd(COURSE_LEARNING_RATE))
                .fullBatch()
                .iterations(COURSE_ITERATIONS)
                .build());
        return run(name(hidden) + " course (GD, randn/sqrt(n))", net, h, train, test, start);
    }

    /**
     * The recipe that works well on larger data: He initialization, Adam (learning rate 1e-4; 1e-3
     * makes some seeds' relus die on these 12,288 raw inputs) and shuffled mini-batches of 32, for
     * 100 epochs over the 209 training images.
     */
    public static Run betterRecipe(Dataset train, Dataset test, int[] hidden, Backend backend, long seed) {
        Network net = network(hidden, Initializer.HE_NORMAL, backend, seed);
        long start = System.nanoTime();
        TrainingHistory h = net.fit(train, adam(seed).epochs(100).build());
        return run(name(hidden) + " He, Adam 1e-4, batch 32, 100 epochs", net, h, train, test, start);
    }

    /**
     * {@link #betterRecipe} plus early stopping: a stratified 20% of the training images (42) is held
     * out for validation, training stops after 20 epochs without a lower validation cost, and the
     * best epoch's weights are restored. On this data it stops early and restores an under-trained
     * network: 42 validation images are too few to select on, and their class balance (34% cats) is
     * not the test set's (66%).
     */
    public static Run betterRecipeWithEarlyStopping(Dataset train, Dataset test, int[] hidden, Backend backend,
                                                    long seed) {
        Split.TrainTest split = Split.trainTest(train, 0.2, seed, true);
        Network net = network(hidden, Initializer.HE_NORMAL, backend, seed);
        long start = System.nanoTime();
        TrainingHistory h = net.fit(split.train(), split.test(), adam(seed).epochs(200).earlyStopping(20).build());
        return run(name(hidden) + " ... + early stopping (20% validation)", net, h, train, test, start);
    }

    /** The course's files from {@code dataDir/catvnoncat}, in float64. */
    public static Dataset[] load(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("catvnoncat");
        return new Dataset[] {Hdf5Loader.catVsNonCat(dir, true, DType.FLOAT64),
            Hdf5Loader.catVsNonCat(dir, false, DType.FLOAT64)};
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : System.getProperty("backprop4j.data.dir", "../shared/data"));
        Dataset[] data = load(dataDir);
        Backend backend = Backends.getDefault();
        System.out.println("cat vs non-cat: " + data[0].size() + " train / " + data[1].size() + " test images, "
                + data[0].featureCount() + " features; backend " + backend.name());
        System.out.println(courseRecipe(data[0], data[1], new int[] {7}, backend, 1));
        System.out.println(courseRecipe(data[0], data[1], new int[] {20, 7, 5}, backend, 1));
        System.out.println(betterRecipe(data[0], data[1], new int[] {20, 7, 5}, backend, 1));
        System.out.println(betterRecipeWithEarlyStopping(data[0], data[1], new int[] {20, 7, 5}, backend, 1));
    }

    private static TrainingConfig.Builder adam(long seed) {
        return TrainingConfig.builder().optimizer(Optimizer.adam(1e-4)).batchSize(32).seed(seed);
    }

    private static Network network(int[] hidden, Initializer init, Backend backend, long seed) {
        NetworkBuilder b = Network.builder().input(12288);
        for (int units : hidden) {
            b.dense(units, Activation.RELU);
        }
        return b.dense(1, Activation.SIGMOID).initializer(init).dtype(DType.FLOAT64).seed(seed).backend(backend).build();
    }

    private static Run run(String name, Network net, TrainingHistory h, Dataset train, Dataset test, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(name, net.evaluate(train).accuracy(), net.evaluate(test).accuracy(), h.firstCost(),
                h.finalCost(), h.iterations(), h.epochs().size(), seconds);
    }

    private static String name(int[] hidden) {
        StringBuilder sb = new StringBuilder("[12288");
        for (int units : hidden) {
            sb.append(", ").append(units);
        }
        return sb.append(", 1]").toString();
    }
}
