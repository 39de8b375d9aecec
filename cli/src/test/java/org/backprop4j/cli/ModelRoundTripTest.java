package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --save, then evaluate and predict on CSV files written here. */
class ModelRoundTripTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainAndSave() {
        model = dir.resolve("digits.bp4j");
        Cli.Result r = Cli.run("train", "--epochs", "10", "--backend", "reference", "--save", model.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().endsWith("saved to " + model + System.lineSeparator()), r::toString);
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void evaluatePrintsTheReportForBuiltinAndCsvData() throws Exception {
        Cli.Result builtin = Cli.run("evaluate", "--model", model.toString(), "--data", "digits", "--backend", "reference");
        Path csv = TestData.digitsCsv(dir.resolve("labelled.csv"), 40, true);
        Cli.Result file = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--backend", "reference");

        assertEquals(0, builtin.exitCode(), builtin::toString);
        assertTrue(builtin.out().contains("accuracy 0.9"), builtin::toString);
        assertTrue(builtin.out().contains("confusion matrix"), builtin::toString);
        assertTrue(builtin.out().contains("macro f1"), builtin::toString);
        assertEquals(0, file.exitCode(), file::toString);
        assertTrue(file.out().contains("data labelled.csv: 40 samples, 64 features"), file::toString);
        assertTrue(file.out().contains(" of 40), cost "), file::toString);
    }

    @Test
    void predictWritesHeaderAndOneRowPerSample() throws Exception {
        Path csv = TestData.digitsCsv(dir.resolve("with-labels.csv"), 25, true);
        Path out = dir.resolve("predictions.csv");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(),
                "--output", out.toString(), "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("wrote 25 predictions to " + out), r::toString);
        assertTrue(r.out().contains("against the label column"), r::toString);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(26, lines.size());
        assertEquals("predicted,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            assertEquals(11, fields.length, line);
            double[] p = Arrays.stream(fields, 1, 11).mapToDouble(Double::parseDouble).toArray();
            assertEquals(1.0, Arrays.stream(p).sum(), 1e-4, line);
            int argmax = 0;
            for (int c = 1; c < p.length; c++) {
                argmax = p[c] > p[argmax] ? c : argmax;
            }
            assertEquals(argmax, Integer.parseInt(fields[0]), line);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    @Test
    void predictAcceptsFeaturesOnlyAndAnExplicitLabelColumn() throws Exception {
        Path labelled = TestData.digitsCsv(dir.resolve("l.csv"), 10, true);
        Path featuresOnly = TestData.digitsCsv(dir.resolve("f.csv"), 10, false);
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");

        assertEquals(0, Cli.run("predict", "--model", model.toString(), "--data", featuresOnly.toString(),
                "--output", a.toString(), "--backend", "reference").exitCode());
        assertEquals(0, Cli.run("predict", "--model", model.toString(), "--data", labelled.toString(),
                "--output", b.toString(), "--label-column", "-1", "--backend", "reference").exitCode());
        Cli.Result wrongWidth = Cli.run("predict", "--model", model.toString(), "--data", labelled.toString(),
                "--output", c.toString(), "--no-labels", "--backend", "reference");

        // Same samples, with or without the label column: the same predictions.
        assertArrayEquals(Files.readAllLines(a).toArray(), Files.readAllLines(b).toArray());
        assertEquals(1, wrongWidth.exitCode(), wrongWidth::toString);
        assertTrue(wrongWidth.err().contains("65 features") && wrongWidth.err().contains("takes 64"),
                wrongWidth::toString);
        assertTrue(Files.notExists(c), "no output on failure");
    }

    @Test
    void truncatedModelIsOneErrorLineSayingTruncated() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = dir.resolve("truncated.bp4j");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));

        Cli.Result r = Cli.run("evaluate", "--model", truncated.toString(), "--data", "digits", "--backend", "reference");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("backprop4j: error: "), r::toString);
        assertTrue(r.err().contains("truncated"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void gradcheckPassesOnASavedModel() {
        Cli.Result r = Cli.run("gradcheck", "--model", model.toString(), "--samples", "8", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("PASS"), r::toString);
    }
}
