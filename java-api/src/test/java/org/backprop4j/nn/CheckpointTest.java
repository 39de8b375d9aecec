package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run interrupted, checkpointed and resumed ends exactly where the uninterrupted run ends. */
class CheckpointTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    @TempDir
    Path dir;

    private static Optimizer optimizer(String name) {
        switch (name) {
            case "sgd": return Optimizer.sgd(0.1);
            case "momentum": return Optimizer.momentum(0.05, 0.9);
            case "nesterov": return Optimizer.nesterov(0.05, 0.9);
            case "adam": return Optimizer.adam(0.01);
            case "rmsprop": return Optimizer.rmsprop(0.005);
            default: throw new AssertionError(name);
        }
    }

    private static Network network(DType dtype) {
        return Network.builder().input(2).dense(12, Activation.RELU).dense(6, Activation.TANH)
                .dense(1, Activation.SIGMOID).dtype(dtype).seed(3).backend(REFERENCE).build();
    }

    private static void assertSameRun(TrainingHistory expected, Network expectedNet, TrainingHistory actual,
                                      Network actualNet, String what) {
        assertArrayEquals(expectedNet.parameters(), actualNet.parameters(), what + ": weights");
        assertArrayEquals(expected.iterationCosts(), actual.iterationCosts(), what + ": iteration costs");
        assertEquals(expected.epochs().size(), actual.epochs().size(), what + ": epochs");
        for (int i = 0; i < expected.epochs().size(); i++) {
            EpochStats e = expected.epochs().get(i);
            EpochStats a = actual.epochs().get(i);
            assertEquals(e.trainCost(), a.trainCost(), 0.0, what + ": train cost of epoch " + i);
            assertEquals(e.trainAccuracy(), a.trainAccuracy(), 0.0, what + ": train accuracy of epoch " + i);
            assertEquals(e.validationCost(), a.validationCost(), 0.0, what + ": validation cost of epoch " + i);
            assertEquals(e.iterations(), a.iterations());
            assertEquals(e.learningRate(), a.learningRate(), 0.0);
        }
        assertEquals(expected.stopReason(), actual.stopReason(), what);
        assertEquals(expected.bestEpoch(), actual.bestEpoch(), what);
        assertEquals(expected.stoppedEarly(), actual.stoppedEarly(), what);
        assertEquals(expected.restoredBestWeights(), actual.restoredBestWeights(), what);
    }

    /** Steps a fresh session {@code k} times, checkpoints it, resumes from the file in a new network and runs to the end. */
    private TrainingHistory interruptedRun(Network start, Dataset train, Dataset validation, TrainingConfig cfg, int k,
                                           Network[] resumedNet) throws IOException {
        Network net = start.copy();
        TrainingSession session = net.session(train, validation, cfg);
        for (int i = 0; i < k && !session.isComplete(); i++) {
            session.step();
        }
        Path file = dir.resolve("run-" + k + ".ckpt");
        session.saveCheckpoint(file);
        TrainingSession resumed = Network.resume(file, REFERENCE, train, validation, cfg);
        resumedNet[0] = resumed.network();
        return resumed.run();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adam", "rmsprop"})
    void anInterruptedAndResumedRunEndsWithTheSameWeights(String name) throws IOException {
        for (DType dtype : DType.values()) {
            Dataset moons = Synthetic.twoMoons(200, 0.2, 1, dtype);
            TrainingConfig cfg = TrainingConfig.builder().optimizer(optimizer(name)).batchSize(32).epochs(4).seed(9)
                    .weightDecay(1e-4).schedule(LearningRateSchedule.step(2, 0.5)).build();
            Network start = network(dtype);
            Network whole = start.copy();
            TrainingHistory expected = whole.fit(moons, cfg);
            // 7 batches per epoch: before the first step, mid-epoch, at an epoch boundary, one before the end.
            for (int k : new int[] {0, 3, 7, 10, 27}) {
                Network[] resumed = new Network[1];
                TrainingHistory actual = interruptedRun(start, moons, null, cfg, k, resumed);
                assertSameRun(expected, whole, actual, resumed[0], name + " " + dtype + " interrupted after " + k);
            }
        }
    }

    @Test
    void earlyStoppingStateSurvivesAResume() throws IOException {
        Dataset all = Synthetic.twoMoons(240, 0.35, 2, DType.FLOAT64);
        org.backprop4j.data.Split.TrainTest split = org.backprop4j.data.Split.trainTest(all, 0.3, 1, true);
        TrainingConfig cfg = TrainingConfig.builder().optimizer(Optimizer.adam(0.05)).batchSize(16).epochs(40).seed(5)
                .earlyStopping(3).build();
        Network start = Network.builder().input(2).dense(32, Activation.RELU).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).seed(7).backend(REFERENCE).build();
        Network whole = start.copy();
        TrainingHistory expected = whole.fit(split.train(), split.test(), cfg);
        int total = expected.iterations();
        for (int k : new int[] {1, 11, 12, 25, total / 2, total - 1, total}) {
            Network[] resumed = new Network[1];
            TrainingHistory actual = interruptedRun(start, split.train(), split.test(), cfg, k, resumed);
            assertSameRun(expected, whole, actual, resumed[0], "early stopping, interrupted after " + k);
        }
    }

    @Test
    void checkpointEveryWritesALoadableCheckpointThatIsAlsoAModel() throws IOException {
        Dataset moons = Synthetic.twoMoons(100, 0.2, 1, DType.FLOAT32);
        Path file = dir.resolve("every.ckpt");
        Network net = network(DType.FLOAT32);
        int[] written = {0};
        net.fit(moons, TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).batchSize(10).iterations(25)
                .checkpointEvery(10, file).listener(new TrainingListener() {
                    @Override
                    public void onIteration(int iteration, int epoch, double cost) {
                        written[0] += Files.exists(file) ? 1 : 0;
                    }
                }).build());
        assertEquals(15, written[0], "first written after step 10, seen by the listeners of steps 11..25");
        Network loaded = Network.load(file, REFERENCE);
        assertEquals(net.layers(), loaded.layers());
        ModelFile.Contents contents = ModelFile.readContents(file, REFERENCE);
        assertEquals(20, contents.checkpoint().iteration, "the last checkpoint is the one after step 20");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left");
        }
    }

    @Test
    void aMismatchedConfigurationIsRejectedNamingTheField() throws IOException {
        Dataset moons = Synthetic.twoMoons(100, 0.2, 1, DType.FLOAT32);
        TrainingConfig cfg = TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(3).seed(4).build();
        TrainingSession session = network(DType.FLOAT32).session(moons, null, cfg);
        session.step();
        Path file = dir.resolve("m.ckpt");
        session.saveCheckpoint(file);
        assertMismatch(file, moons, cfg.toBuilder().batchSize(64).build(), "batch size is 32", "but 64");
        assertMismatch(file, moons, cfg.toBuilder().seed(5).build(), "seed is 4", "but 5");
        assertMismatch(file, moons, cfg.toBuilder().optimizer(Optimizer.sgd(0.01)).build(), "optimizer is adam(lr=0.01",
                "but sgd(lr=0.01)");
        assertMismatch(file, moons, cfg.toBuilder().epochs(5).build(), "epochs is 3", "but 5");
        assertMismatch(file, Synthetic.twoMoons(120, 0.2, 1, DType.FLOAT32), cfg, "training samples is 100", "but 120");
        IllegalArgumentException arch = assertThrows(IllegalArgumentException.class, () -> Network.resume(file,
                REFERENCE, Dataset.ofClasses(new double[][] {{1, 2, 3}}, new int[] {0}, 2, DType.FLOAT32), null, cfg));
        assertTrue(arch.getMessage().contains("3 features") && arch.getMessage().contains("expects 2"), arch::getMessage);
        // A plain model is not a checkpoint.
        Path model = dir.resolve("plain.bp4j");
        network(DType.FLOAT32).save(model);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Network.resume(model, REFERENCE, moons, null, cfg));
        assertTrue(e.getMessage().contains("not a checkpoint"), e::getMessage);
    }

    private static void assertMismatch(Path file, Dataset data, TrainingConfig cfg, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Network.resume(file, REFERENCE, data, null, cfg));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    private byte[] checkpointBytes() throws IOException {
        Dataset all = Synthetic.twoMoons(60, 0.2, 1, DType.FLOAT32);
        TrainingSession session = network(DType.FLOAT32).session(all, all, TrainingConfig.builder()
                .optimizer(Optimizer.adam(0.01)).batchSize(20).epochs(3).earlyStopping(2).build());
        for (int i = 0; i < 4; i++) {
            session.step();
        }
        Path file = dir.resolve("bytes.ckpt");
        session.saveCheckpoint(file);
        return Files.readAllBytes(file);
    }

    @Test
    void aTruncatedOrCorruptCheckpointIsANamedError() throws IOException {
        byte[] good = checkpointBytes();
        ModelFile.Contents ok = ModelFile.decodeContents(good, "c.ckpt", REFERENCE);
        assertEquals(4, ok.checkpoint().iteration);
        for (int cut = 8; cut < good.length; cut += 5) {
            byte[] bad = java.util.Arrays.copyOf(good, cut);
            int at = cut;
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> ModelFile.decodeContents(bad, "c.ckpt", REFERENCE), "cut at " + at);
            assertTrue(e.getMessage().contains("truncated"), () -> "cut at " + at + ": " + e.getMessage());
        }
        Random random = new Random(3);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = good.clone();
            int i = 12 + random.nextInt(good.length - 12);
            bad[i] ^= (byte) (1 << random.nextInt(8));
            // Never an exception other than the named one, never an OutOfMemoryError.
            assertThrows(ModelFormatException.class, () -> ModelFile.decodeContents(bad, "c.ckpt", REFERENCE),
                    "byte " + i);
        }
        // Forged counts that the checksum would also catch are refused before allocating.
        int countsAt = good.length - 4 - 4 - 56 * ok.checkpoint().epochs.size();
        byte[] forged = good.clone();
        java.nio.ByteBuffer.wrap(forged).putInt(countsAt, Integer.MAX_VALUE);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.decodeContents(forged, "c.ckpt", REFERENCE));
        assertTrue(e.getMessage().contains("epoch statistics"), e::getMessage);
        Path file = dir.resolve("corrupt.ckpt");
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 30));
        assertThrows(ModelFormatException.class, () -> Network.resume(file, REFERENCE,
                Synthetic.twoMoons(60, 0.2, 1, DType.FLOAT32), null, TrainingConfig.builder().build()));
    }

    @Test
    void aFormatOneFileStillLoads() throws IOException {
        // Written by hand as version 1 wrote it: a 2 -> 1 sigmoid network, no scaling, no training state.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("BP4JMODL".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeByte(1);
        out.writeShort("binary_cross_entropy".length());
        out.writeBytes("binary_cross_entropy");
        out.writeInt(2);
        out.writeInt(1);
        out.writeInt(1);
        out.writeShort("sigmoid".length());
        out.writeBytes("sigmoid");
        out.writeByte(0);
        out.writeInt(3);
        out.writeDouble(0.5);
        out.writeDouble(-0.25);
        out.writeDouble(0.125);
        out.writeByte(0);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        Path file = dir.resolve("v1.bp4j");
        Files.write(file, bytes.toByteArray());
        Network net = Network.load(file, REFERENCE);
        assertArrayEquals(new double[] {0.5, -0.25, 0.125}, net.parameters());
        assertEquals(Loss.BINARY_CROSS_ENTROPY, net.loss());
        assertNull(ModelFile.readContents(file, REFERENCE).checkpoint());
        // Version 1 has no training state: the flag must be 0.
        byte[] withState = bytes.toByteArray();
        withState[withState.length - 5] = 1;
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.decode(withState, "v1.bp4j", REFERENCE));
        assertTrue(e.getMessage().contains("format 1 has none"), e::getMessage);
    }

    @Test
    void aStepThatWritesNoCheckpointAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
                "this JVM cannot measure per-thread allocation");
        Dataset data = Synthetic.twoMoons(640, 0.2, 1, DType.FLOAT32);
        long[] perStep = new long[200];
        long[] last = {0};
        long self = Thread.currentThread().getId();
        Network net = network(DType.FLOAT32);
        // The listener runs before the checkpoint of its step is written: step i's reading covers the
        // write after step i-1, so writes show up at readings 51, 101, 151.
        net.fit(data, TrainingConfig.builder().optimizer(Optimizer.adam(1e-3)).batchSize(64).iterations(200)
                .checkpointEvery(50, dir.resolve("alloc.ckpt")).listener(new TrainingListener() {
                    @Override
                    public void onIteration(int iteration, int epoch, double cost) {
                        long now = threads.getThreadAllocatedBytes(self);
                        perStep[iteration - 1] = now - last[0];
                        last[0] = threads.getThreadAllocatedBytes(self);
                    }
                }).build());
        int measured = 0;
        int zero = 0;
        for (int i = 20; i < 200; i++) {
            if (i % 10 != 0 && i % 50 != 0) {
                measured++;
                zero += perStep[i] == 0 ? 1 : 0;
            }
        }
        assertTrue(zero >= measured * 9 / 10, "only " + zero + " of " + measured + " steps allocated nothing: "
                + java.util.Arrays.toString(perStep));
        assertTrue(perStep[50] > 0, "the checkpoint write after step 50 allocates (file, buffer)");
    }

    // ---- A real interruption: a child JVM killed while it trains and writes checkpoints ----------

    static Dataset killData() {
        return Synthetic.twoMoons(400, 0.25, 4, DType.FLOAT64);
    }

    static TrainingConfig.Builder killConfig() {
        return TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).batchSize(25).epochs(30).seed(12);
    }

    static Network killNetwork() {
        return Network.builder().input(2).dense(16, Activation.RELU).dense(1, Activation.SIGMOID)
                .dtype(DType.FLOAT64).seed(6).backend(new ReferenceBackend()).build();
    }

    /** Run in a child JVM: trains with a checkpoint every 7 steps, slowly (the listener sleeps), until killed. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        killNetwork().fit(killData(), killConfig().checkpointEvery(7, file).listener(new TrainingListener() {
            @Override
            public void onIteration(int iteration, int epoch, double cost) {
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).build());
    }

    @Test
    void aChildJvmKilledWhileTrainingResumesToTheSameWeights() throws Exception {
        Network whole = killNetwork();
        TrainingHistory expected = whole.fit(killData(), killConfig().build());
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        Random random = new Random(21);
        for (int run = 0; run < 3; run++) {
            Path file = dir.resolve("kill-" + run + ".ckpt");
            Path log = dir.resolve("child-" + run + ".log");
            Process child = new ProcessBuilder(java, "-cp", classPath, CheckpointTest.class.getName(), file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(file) && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(2);
                }
                assertTrue(Files.exists(file), "the child wrote no checkpoint: " + Files.readString(log));
                Thread.sleep(random.nextInt(1200));
                assertTrue(child.isAlive(), "the child finished before it was killed; make its run longer");
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            int at = ModelFile.readContents(file, REFERENCE).checkpoint().iteration;
            TrainingSession resumed = Network.resume(file, REFERENCE, killData(), null, killConfig().build());
            assertTrue(at > 0 && at < expected.iterations(), "killed at iteration " + at);
            TrainingHistory actual = resumed.run();
            assertSameRun(expected, whole, actual, resumed.network(), "run " + run + " killed after iteration " + at);
        }
        try (var files = Files.list(dir)) {
            List<Path> left = files.filter(p -> p.toString().endsWith(".tmp")).toList();
            assertTrue(left.size() <= 3, "temporary files: " + left);
        }
        assertFalse(expected.diverged());
    }
}
