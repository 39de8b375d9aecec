package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelFileTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    @TempDir
    Path dir;

    private static Network trained(DType dtype) {
        Dataset moons = Synthetic.twoMoons(200, 0.2, 1, dtype);
        Network net = Network.builder().input(2).dense(8, Activation.LEAKY_RELU).dense(6, Activation.TANH)
                .dense(2, Activation.SOFTMAX).dtype(dtype).seed(3).inputScaling(new double[] {0.5, 0.25}, new double[] {0.9, 0.5})
                .backend(REFERENCE).build();
        net.fit(moons, TrainingConfig.builder().optimizer(Optimizer.adam(0.01)).epochs(3).build());
        return net;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void saveThenLoadGivesIdenticalPredictions(DType dtype) throws IOException {
        Network net = trained(dtype);
        Path file = dir.resolve("model.bp4j");
        net.save(file);
        Network loaded = Network.load(file, REFERENCE);

        assertEquals(dtype, loaded.dtype());
        assertEquals(net.loss(), loaded.loss());
        assertEquals(net.layers(), loaded.layers());
        assertTrue(loaded.hasInputScaling());
        assertArrayEquals(net.parameters(), loaded.parameters());
        Dataset probe = Synthetic.twoMoons(50, 0.3, 9, dtype);
        assertArrayEquals(net.predict(probe), loaded.predict(probe));
    }

    /** A saved model is as readable as any other new file (not private), and a replaced one keeps its permissions. */
    @Test
    void aSavedModelHasTheUsualPermissionsAndAReplacedOneKeepsItsOwn() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "a file created the usual way");
        Path file = dir.resolve("model.bp4j");
        Network net = trained(DType.FLOAT32);
        net.save(file);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));

        Set<PosixFilePermission> custom = PosixFilePermissions.fromString("rw-rw----");
        Files.setPosixFilePermissions(file, custom);
        net.save(file);
        assertEquals(custom, Files.getPosixFilePermissions(file));
    }

    @Test
    void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.bp4j");
        Files.writeString(file, "old contents");
        trained(DType.FLOAT32).save(file);
        Network.load(file, REFERENCE);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the model remains in the directory");
        }
    }

    @Test
    void everyTruncationIsReportedAsTruncated() throws IOException {
        byte[] good = ModelFile.encode(trained(DType.FLOAT32));
        for (int cutAt = 8; cutAt < good.length; cutAt += 7) {
            int length = cutAt;
            byte[] cut = java.util.Arrays.copyOf(good, length);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.decode(cut, "m.bp4j", REFERENCE),
                    "cut at " + length);
            assertTrue(e.getMessage().contains("truncated"), () -> "cut at " + length + ": " + e.getMessage());
        }
    }

    @Test
    void wrongMagicSaysItIsNotAModel() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, this is text");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Network.load(file, REFERENCE));
        assertTrue(e.getMessage().contains("not a backprop4j model file") && e.getMessage().contains("notes.txt"),
                e::getMessage);
        Path empty = dir.resolve("empty.bp4j");
        Files.write(empty, new byte[0]);
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> Network.load(empty, REFERENCE));
        assertTrue(e2.getMessage().contains("empty"), e2::getMessage);
    }

    @Test
    void aFutureVersionAsksForAnUpgrade() throws IOException {
        byte[] bytes = ModelFile.encode(trained(DType.FLOAT32));
        ByteBuffer.wrap(bytes).putInt(8, 7);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.decode(bytes, "m.bp4j", REFERENCE));
        assertTrue(e.getMessage().contains("format version 7") && e.getMessage().contains("upgrade"), e::getMessage);
    }

    @Test
    void aFlippedBitIsCaughtByTheChecksum() throws IOException {
        byte[] good = ModelFile.encode(trained(DType.FLOAT64));
        // Flip one bit in every parameter byte position in turn (a sample of them).
        for (int i = good.length - 200; i < good.length - 5; i += 13) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.decode(bad, "m.bp4j", REFERENCE));
            assertTrue(e.getMessage().contains("checksum mismatch"), e::getMessage);
        }
    }

    @Test
    void aDamagedHeaderIsCorruptNotACrash() throws IOException {
        byte[] good = ModelFile.encode(trained(DType.FLOAT32));
        for (int i = 12; i < 60; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThrows(ModelFormatException.class, () -> ModelFile.decode(bad, "m.bp4j", REFERENCE),
                        "byte " + i + " bit " + bit);
            }
        }
    }
}
