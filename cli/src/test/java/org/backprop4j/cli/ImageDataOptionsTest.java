package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data mnist:DIR}, {@code cat:DIR}, an IDX directory and an HDF5 file, on small files made here. */
class ImageDataOptionsTest {

    @TempDir
    Path dir;

    @Test
    void mnistDirectoryTrainsAndItsTestSetEvaluates() throws IOException {
        writeMnist(dir, "train", 40);
        writeMnist(dir, "t10k", 20);
        Path model = dir.resolve("m.bp4j");
        Cli.Result r = Cli.run("train", "--data", "mnist:" + dir, "--hidden", "4", "--epochs", "1", "--scale", "none",
                "--backend", "reference", "--save", model.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("mnist:" + dir + ": 40 samples, 784 features, 10 classes"), r::toString);

        Cli.Result e = Cli.run("evaluate", "--model", model.toString(), "--data", "mnist-test:" + dir,
                "--backend", "reference");
        assertEquals(0, e.exitCode(), e::toString);
        assertTrue(e.out().contains("20 samples"), e::toString);

        Cli.Result plain = Cli.run("train", "--data", dir.toString(), "--hidden", "4", "--epochs", "1",
                "--backend", "reference");
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.out().contains("40 samples, 784 features, 10 classes"), plain::toString);
    }

    @Test
    void catDirectoryWithTheRawCopies() throws IOException {
        byte[] x = new byte[10 * 12288];
        byte[] y = new byte[10];
        for (int i = 0; i < 10; i++) {
            y[i] = (byte) (i % 2);
            Arrays.fill(x, i * 12288, (i + 1) * 12288, (byte) (40 + 150 * (i % 2)));
        }
        Files.write(dir.resolve("train_x.u8"), x);
        Files.write(dir.resolve("train_y.u8"), y);
        Cli.Result r = Cli.run("train", "--data", "cat:" + dir, "--hidden", "3", "--epochs", "2",
                "--backend", "reference");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("cat:" + dir + ": 10 samples, 12288 features, 2 classes"), r::toString);
    }

    @Test
    void anHdf5File() throws IOException {
        Path file = dir.resolve("points.h5");
        double[][] features = new double[12][2];
        long[] labels = new long[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = i % 2;
            features[i][0] = labels[i] == 0 ? -1 - 0.1 * i : 1 + 0.1 * i;
            features[i][1] = 0.5;
        }
        try (WritableHdfFile f = HdfFile.write(file)) {
            f.putDataset("train_set_x", features);
            f.putDataset("train_set_y", labels);
            f.putDataset("list_classes", new String[] {"left", "right"});
        }
        Cli.Result r = Cli.run("train", "--data", file.toString(), "--hidden", "3", "--epochs", "2",
                "--backend", "reference");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("points.h5: 12 samples, 2 features, 2 classes"), r::toString);
    }

    @Test
    void mistakesAreOneLine() throws IOException {
        Cli.Result missing = Cli.run("train", "--data", "mnist:" + dir.resolve("absent"));
        assertNotEquals(0, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("is not a directory"), missing::toString);

        Cli.Result csvOption = Cli.run("train", "--data", "cat:" + dir, "--label-column", "3");
        assertNotEquals(0, csvOption.exitCode(), csvOption::toString);
        assertTrue(csvOption.err().contains("--label-column applies to CSV files, but --data cat:"), csvOption::toString);

        Cli.Result empty = Cli.run("train", "--data", "cat-test:" + dir);
        assertNotEquals(0, empty.exitCode(), empty::toString);
        assertTrue(empty.err().contains("holds neither test_catvnoncat.h5 nor test_x.u8 + test_y.u8"), empty::toString);

        Path notHdf5 = dir.resolve("notes.h5");
        Files.writeString(notHdf5, "hello\n");
        Cli.Result bad = Cli.run("train", "--data", notHdf5.toString());
        assertNotEquals(0, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("notes.h5: not an HDF5 file"), bad::toString);
        assertEquals(1, bad.errLines().size(), bad::toString);
    }

    /** {@code count} 28x28 images, image i a bar whose position depends on its label {@code i % 10}, gzip. */
    static void writeMnist(Path dir, String prefix, int count) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + count * 784);
        images.putInt(0x803).putInt(count).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + count);
        labels.putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            byte[] pixels = new byte[784];
            for (int r = 0; r < 28; r++) {
                pixels[r * 28 + 2 + 2 * label] = (byte) 255;
            }
            images.put(pixels);
            labels.put((byte) label);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(images.array()));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(labels.array()));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
