package org.backprop4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.IdxLoader;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Initializer;
import org.backprop4j.nn.LearningRateSchedule;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.Optimizer;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;

/**
 * MNIST with a [784, 128, 64, 10] relu/softmax network and the default recipe: pixels scaled to
 * x/255, He initialization, Adam with learning rate 0.001, mini-batches of 32 (the library's
 * defaults), a cosine learning-rate decay to zero over the run, float32. Five epochs reach about
 * 98% test accuracy; without the decay the same five epochs end between 97.5% and 97.8%.
 * {@code MnistReproductionTest} runs the same code and checks the numbers.
 *
 * <p>Run: {@code java -cp ... org.backprop4j.examples.MnistMlp [DATA_DIR] [EPOCHS]} with
 * {@code DATA_DIR} holding {@code mnist/train-images-idx3-ubyte.gz} and the other three files
 * (default: {@code -Dbackprop4j.data.dir}, else {@code ../shared/data}).
 */
public final class MnistMlp {

    /** What the run reached. */
    public record Run(double trainAccuracy, double testAccuracy, double firstCost, double finalCost, int epochs,
                      int iterations, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "[784, 128, 64, 10] He, Adam 1e-3 cosine, batch 32, float32: train %.4f  test %.4f  "
                    + "cost %.3f -> %.3f  %d epochs (%d iterations)  %.1f s", trainAccuracy, testAccuracy, firstCost,
                    finalCost, epochs, iterations, seconds);
        }
    }

    private MnistMlp() {
    }

    /** Trains for {@code epochs} passes over the 60,000 training images; the 10,000 test images are for the score. */
    public static Run train(Dataset train, Dataset test, int epochs, Backend backend, long seed) {
        Network net = Network.builder()
                .input(784)
                .dense(128, Activation.RELU)
                .dense(64, Activation.RELU)
                .dense(10, Activation.SOFTMAX)
                .initializer(Initializer.HE_NORMAL)
                .dtype(DType.FLOAT32)
                .seed(seed)
                .backend(backend)
                .build();
        long start = System.nanoTime();
        TrainingHistory h = net.fit(train, TrainingConfig.builder()
                .optimizer(Optimizer.adam(1e-3))
                .batchSize(32)
                .schedule(LearningRateSchedule.cosine(epochs, 0.0))
                .epochs(epochs)
                .seed(seed)
                .build());
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(net.evaluate(train).accuracy(), net.evaluate(test).accuracy(), h.firstCost(), h.finalCost(),
                h.epochs().size(), h.iterations(), seconds);
    }

    /** The four IDX files of {@code dataDir/mnist}, scaled to x/255, in float32. */
    public static Dataset[] load(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("mnist");
        return new Dataset[] {IdxLoader.mnist(dir, true, DType.FLOAT32), IdxLoader.mnist(dir, false, DType.FLOAT32)};
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : System.getProperty("backprop4j.data.dir", "../shared/data"));
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Dataset[] data = load(dataDir);
        Backend backend = Backends.getDefault();
        System.out.println("MNIST: " + data[0].size() + " train / " + data[1].size() + " test images; backend "
                + backend.name());
        System.out.println(train(data[0], data[1], epochs, backend, 1));
    }
}
