package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict on the data forms of train and evaluate, and its refusals: binary files as CSV, labels out of range. */
class PredictCommandTest {

    @TempDir
    Path dir;

    private Path train(String name, String... args) {
        Path model = dir.resolve(name);
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--backend", "reference", "--save", model.toString()}, 0, all, args.length, 4);
        String[] command = new String[all.length + 1];
        command[0] = "train";
        System.arraycopy(all, 0, command, 1, all.length);
        Cli.Result r = Cli.run(command);
        assertEquals(0, r.exitCode(), r::toString);
        return model;
    }

    @Test
    void readsAnMnistTestDirectoryLikeEvaluate() throws IOException {
        ImageDataOptionsTest.writeMnist(dir, "train", 40);
        ImageDataOptionsTest.writeMnist(dir, "t10k", 20);
        Path model = train("m.bp4j", "--data", "mnist:" + dir, "--hidden", "4", "--epochs", "1");
        Path out = dir.resolve("pm.csv");

        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", "mnist-test:" + dir,
                "-o", out.toString(), "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("wrote 20 predictions to " + out), r::toString);
        assertTrue(r.out().contains("of 20) against the data's labels"), r::toString);
        List<String> lines = Files.readAllLines(out);
        assertEquals(21, lines.size());
        assertEquals("predicted,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", lines.get(0));

        Cli.Result idxDirectory = Cli.run("predict", "--model", model.toString(), "--data", dir.toString(),
                "-o", "-", "--backend", "reference");
        assertEquals(0, idxDirectory.exitCode(), idxDirectory::toString);
        assertEquals(41, idxDirectory.out().lines().count(), idxDirectory::toString);

        Cli.Result csvOption = Cli.run("predict", "--model", model.toString(), "--data", "mnist-test:" + dir,
                "-o", out.toString(), "--no-labels", "--backend", "reference");
        assertEquals(1, csvOption.exitCode(), csvOption::toString);
        assertTrue(csvOption.err().contains("apply to CSV files, but --data mnist-test:" + dir + " is image data"),
                csvOption::toString);
    }

    @Test
    void readsAnHdf5FileWithItsClassNames() throws IOException {
        Path file = dir.resolve("points.h5");
        double[][] features = new double[12][2];
        long[] labels = new long[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = i % 2;
            features[i][0] = labels[i] == 0 ? -1 - 0.1 * i : 1 + 0.1 * i;
            features[i][1] = 0.5;
        }
        try (WritableHdfFile f = HdfFile.write(file)) {
            f.putDataset("test_set_x", features);
            f.putDataset("test_set_y", labels);
            f.putDataset("list_classes", new String[] {"left", "right"});
        }
        Path model = train("p.bp4j", "--data", file.toString(), "--hidden", "3", "--epochs", "2");
        Path out = dir.resolve("pc.csv");

        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", file.toString(),
                "-o", out.toString(), "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("wrote 12 predictions"), r::toString);
        List<String> lines = Files.readAllLines(out);
        assertEquals(13, lines.size());
        assertEquals("predicted,p_left,p_right", lines.get(0));
    }

    @Test
    void aLabelTheModelCannotPredictIsAnError() throws IOException {
        Path moons = train("moons.bp4j", "--data", "moons", "--hidden", "4", "--epochs", "1");
        Path out = dir.resolve("ps.csv");

        Cli.Result builtin = Cli.run("predict", "--model", moons.toString(), "--data", "spirals",
                "-o", out.toString(), "--backend", "reference");

        assertEquals(1, builtin.exitCode(), builtin::toString);
        assertEquals(1, builtin.errLines().size(), builtin::toString);
        assertTrue(builtin.err().contains("error: label 2 (row "), builtin::toString);
        assertTrue(builtin.err().contains(" of spirals) is not a class the model can predict: its classes are 0 and 1"),
                builtin::toString);
        assertTrue(Files.notExists(out), "no output on failure");

        Path csv = Files.writeString(dir.resolve("three.csv"), "x,y,label\n0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,7\n",
                StandardCharsets.UTF_8);
        Cli.Result file = Cli.run("predict", "--model", moons.toString(), "--data", csv.toString(),
                "-o", out.toString(), "--backend", "reference");

        assertEquals(1, file.exitCode(), file::toString);
        assertTrue(file.err().contains("label 7 (line 4 of three.csv) is not a class the model can predict"),
                file::toString);
        assertTrue(Files.notExists(out), "no output on failure");

        // Labels that are not numbers are not compared, so they are no error.
        Path named = Files.writeString(dir.resolve("named.csv"), "x,y,label\n0.1,0.2,a\n0.3,0.4,b\n",
                StandardCharsets.UTF_8);
        Cli.Result names = Cli.run("predict", "--model", moons.toString(), "--data", named.toString(),
                "-o", out.toString(), "--backend", "reference");
        assertEquals(0, names.exitCode(), names::toString);
    }

    @Test
    void aBinaryFileGivenAsCsvSaysWhatItIs() throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + 2 * 784);
        images.putInt(0x803).putInt(2).putInt(28).putInt(28);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(images.array());
        }
        Path idx = Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gz.toByteArray());
        Path model = train("d.bp4j", "--epochs", "1");

        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", idx.toString(),
                "-o", dir.resolve("o.csv").toString(), "--backend", "reference");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("t10k-images-idx3-ubyte.gz is an IDX file (MNIST images), not CSV: use "
                + "IdxLoader, or on the command line --data mnist:DIR"), r::toString);

        Cli.Result trained = Cli.run("train", "--data", idx.toString(), "--backend", "reference");
        assertEquals(1, trained.exitCode(), trained::toString);
        assertTrue(trained.err().contains("is an IDX file (MNIST images), not CSV"), trained::toString);
    }

    @Test
    void helpListsTheDataFormsAndTheSynopsisReadsNaturally() {
        Cli.Result r = Cli.run("predict", "--help");

        assertEquals(0, r.exitCode(), r::toString);
        for (String form : List.of("mnist:DIR", "mnist-test:DIR", "cat:DIR", "cat-test:DIR", "FILE.h5", "spirals")) {
            assertTrue(r.out().contains(form), form + " missing from:\n" + r.out());
        }
        assertFalse(r.out().contains("-o=OUT.csv"), r.out());
        assertTrue(r.out().startsWith("Usage: backprop4j predict --model=FILE --data=NAME|FILE.csv -o OUT.csv"),
                r.out());
    }

    @Test
    void theRealCatFilesAndMnistFiles() {
        Path cats = TestData.sharedData("catvnoncat");
        Path h5 = TestData.sharedData("catvnoncat/test_catvnoncat.h5");
        Path mnistImages = TestData.sharedData("mnist/t10k-images-idx3-ubyte.gz");
        Path model = train("cat.bp4j", "--data", "cat:" + cats, "--hidden", "2", "--epochs", "1");
        Path out = dir.resolve("pc.csv");

        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", h5.toString(),
                "-o", out.toString(), "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("wrote 50 predictions"), r::toString);
        assertTrue(r.out().contains("of 50) against the data's labels"), r::toString);

        Cli.Result idx = Cli.run("train", "--data", mnistImages.toString(), "--backend", "reference");
        assertEquals(1, idx.exitCode(), idx::toString);
        assertTrue(idx.err().contains("t10k-images-idx3-ubyte.gz is an IDX file (MNIST images), not CSV"),
                idx::toString);
        Cli.Result raw = Cli.run("train", "--data", cats.resolve("test_x.u8").toString(), "--backend", "reference");
        assertEquals(1, raw.exitCode(), raw::toString);
        assertTrue(raw.err().contains("test_x.u8 is binary, not CSV text"), raw::toString);
    }
}
