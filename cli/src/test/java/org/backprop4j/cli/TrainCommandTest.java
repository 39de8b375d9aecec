package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static double accuracy(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + label + "\\s+accuracy\\s+([0-9.]+) \\(\\d+ of \\d+\\)$").matcher(out);
        assertTrue(m.find(), "no '" + label + " accuracy' line in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsDigitsToAbove90PercentTestAccuracy() {
        Cli.Result r = Cli.run("train", "--epochs", "10", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("digits: 1797 samples, 64 features, 10 classes"), r::toString);
        assertTrue(r.out().contains("dense 64 -> 32 relu"), "summary missing:\n" + r.out());
        assertTrue(accuracy(r.out(), "train") > 0.9, r::toString);
        assertTrue(accuracy(r.out(), "test") > 0.9, r::toString);
        assertTrue(r.out().contains("10 epochs, 450 iterations"), r::toString);
        assertEquals("", r.err(), "no progress bar or warnings expected");
    }

    @Test
    void printsAboutTenCostLinesOrEveryNIterations() {
        Cli.Result byDefault = Cli.run("train", "--epochs", "2", "--backend", "reference");
        Cli.Result everyTen = Cli.run("train", "--epochs", "2", "--print-every", "10", "--backend", "reference");

        Pattern line = Pattern.compile("(?m)^iteration +\\d+  epoch +\\d+  cost \\d+\\.\\d+$");
        assertEquals(10, line.matcher(byDefault.out()).results().count(), byDefault::toString);
        assertEquals(9, line.matcher(everyTen.out()).results().count(), everyTen::toString); // 90 iterations
        assertTrue(everyTen.out().contains("iteration 90  epoch 2  cost "), everyTen::toString);
    }

    @Test
    void trainsRegressionFromCsvAndReportsCosts(@TempDir Path dir) throws Exception {
        Path csv = TestData.regressionCsv(dir.resolve("lines.csv"), 100);
        Cli.Result r = Cli.run("train", "--data", csv.toString(), "--regression", "--label-column", "y",
                "--hidden", "8", "--epochs", "20", "--lr", "0.01", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("network 2-8-1 (relu, identity)"), r::toString);
        assertTrue(r.out().contains("train cost "), r::toString);
        assertTrue(r.out().contains("test cost "), r::toString);
    }

    @Test
    void divergenceIsOneErrorLine(@TempDir Path dir) throws Exception {
        // Unscaled features in the hundreds with sgd at rate 1: the cost overflows within a few steps.
        Path csv = TestData.regressionCsv(dir.resolve("big.csv"), 100);
        Cli.Result r = Cli.run("train", "--data", csv.toString(), "--regression", "--scale", "none",
                "--optimizer", "sgd", "--lr", "1", "--backend", "reference");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("backprop4j: error: training diverged"), r::toString);
    }
}
