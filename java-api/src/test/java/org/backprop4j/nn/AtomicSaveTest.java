package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed (SIGKILL) in the middle of saving never leaves a broken model: the file on disk is
 * always one complete model, the previous one or the new one.
 */
class AtomicSaveTest {

    @TempDir
    Path dir;

    /** Run in a child JVM: saves two different models over the same file, alternately, forever. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Network[] models = {model(1.0), model(2.0)};
        models[0].save(file);
        Files.writeString(Path.of(args[1]), "ready");
        for (long i = 1; ; i++) {
            models[(int) (i % 2)].save(file);
        }
    }

    /** A network of about 1 MB whose every parameter equals {@code value}. */
    static Network model(double value) {
        Network net = Network.builder().input(500).dense(250, Activation.RELU).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).backend(new ReferenceBackend()).build();
        double[] p = new double[net.parameterCount()];
        java.util.Arrays.fill(p, value);
        net.setParameters(p);
        return net;
    }

    @Test
    void aKilledSaveLeavesTheOldOrTheNewModelNeverAMixture() throws Exception {
        Path file = dir.resolve("model.bp4j");
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        Random random = new Random(11);
        List<String> seen = new ArrayList<>();
        Files.deleteIfExists(file);
        for (int run = 0; run < 12; run++) {
            Path ready = dir.resolve("ready-" + run);
            Process child = new ProcessBuilder(java, "-cp", classPath, AtomicSaveTest.class.getName(),
                    file.toString(), ready.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child-" + run + ".log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(ready) && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(5);
                }
                assertTrue(Files.exists(ready), "the child JVM did not start: "
                        + Files.readString(dir.resolve("child-" + run + ".log")));
                Thread.sleep(random.nextInt(800));
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            Network loaded = Network.load(file, new ReferenceBackend());
            double first = loaded.parameters()[0];
            for (double p : loaded.parameters()) {
                assertTrue(p == first, "run " + run + ": the file mixes two models");
            }
            assertTrue(first == 1.0 || first == 2.0, "run " + run + ": unexpected model " + first);
            seen.add(Double.toString(first));
        }
        // Kills at different moments must have caught both models on disk, or the test proves little.
        assertTrue(seen.contains("1.0") && seen.contains("2.0"), "models found after the kills: " + seen);
        try (var files = Files.list(dir)) {
            long leftovers = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
            // A kill between writing and renaming leaves a temporary file behind; it never replaces the model.
            assertTrue(leftovers <= 12, "temporary files: " + leftovers);
        }
    }
}
