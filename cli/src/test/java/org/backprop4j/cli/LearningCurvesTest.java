package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.backprop4j.data.Synthetic;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.backprop4j.nn.Network;
import org.backprop4j.nn.TrainingConfig;
import org.backprop4j.nn.TrainingHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --plot, --early-stopping and the LearningCurves API. */
class LearningCurvesTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Distinct colours in the image: a blank (or one-colour) image has 1. */
    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void trainPlotWritesAPngWithCostAndAccuracyCharts(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        Cli.Result r = Cli.run("train", "--data", "moons", "--epochs", "5", "--validation-fraction", "0.2",
                "--plot", png.toString(), "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("learning curves written to " + png), r::toString);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_MAGIC, java.util.Arrays.copyOf(bytes, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertEquals(LearningCurves.DEFAULT_WIDTH, image.getWidth());
        assertEquals(2 * LearningCurves.DEFAULT_CHART_HEIGHT, image.getHeight(), "cost and accuracy");
        assertTrue(colours(image) > 20, "the image looks blank: " + colours(image) + " colours");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void trainPlotWritesAnSvg(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("curves.svg");
        Cli.Result r = Cli.run("train", "--data", "moons", "--epochs", "3", "--plot", svg.toString(),
                "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<?xml") || text.startsWith("<svg"), () -> text.substring(0, 100));
        assertTrue(text.contains("<svg") && text.strip().endsWith("</svg>"), "not a complete SVG document");
        assertTrue(text.contains("viewBox=\"0 0 900 800\""), "two charts of 900 x 400");
    }

    @Test
    void aPlotThatCannotBeWrittenFailsBeforeTraining(@TempDir Path dir) {
        Cli.Result jpg = Cli.run("train", "--plot", dir.resolve("curves.jpg").toString(), "--backend", "reference");
        Cli.Result noDir = Cli.run("train", "--plot", dir.resolve("missing/curves.png").toString(),
                "--backend", "reference");

        assertEquals(1, jpg.exitCode(), jpg::toString);
        assertTrue(jpg.err().contains("must end in .png or .svg"), jpg::toString);
        assertEquals("", jpg.out(), "nothing trained");
        assertEquals(1, noDir.exitCode(), noDir::toString);
        assertTrue(noDir.err().contains("does not exist"), noDir::toString);
    }

    @Test
    void earlyStoppingStopsEarlyOnAnEasyProblem() {
        Cli.Result r = Cli.run("train", "--data", "moons", "--epochs", "300", "--early-stopping", "3",
                "--lr", "0.01", "--backend", "reference");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("train 720 / validation 80 / test 200 (stratified)"), r::toString);
        Matcher stop = Pattern.compile("early stopping at epoch (\\d+): validation cost has not improved for 3 epochs "
                + "since epoch (\\d+) \\([0-9.]+\\); restored the weights of epoch (\\d+)").matcher(r.out());
        assertTrue(stop.find(), r::toString);
        int stoppedAt = Integer.parseInt(stop.group(1));
        assertTrue(stoppedAt < 300, r::toString);
        assertEquals(stoppedAt - 3, Integer.parseInt(stop.group(2)));
        assertTrue(r.out().contains("wall time ") && r.out().contains(", " + stoppedAt + " epochs, "), r::toString);
        assertTrue(r.out().contains("valid accuracy "), r::toString);
        assertTrue(r.out().contains("train vs validation: at the restored epoch " + stop.group(3) + ": train cost "),
                r::toString);
    }

    @Test
    void earlyStoppingNeedsAValidationSplit() {
        Cli.Result r = Cli.run("train", "--early-stopping", "3", "--validation-fraction", "0", "--backend", "reference");
        Cli.Result minDelta = Cli.run("train", "--min-delta", "0.01", "--backend", "reference");

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--validation-fraction is 0"), r::toString);
        assertEquals(1, minDelta.exitCode(), minDelta::toString);
        assertTrue(minDelta.err().contains("add --early-stopping"), minDelta::toString);
    }

    @Test
    void theApiDrawsOneChartForRegressionAndRejectsAnEmptyHistory() throws Exception {
        double[][] x = new double[40][1];
        double[][] y = new double[40][1];
        for (int i = 0; i < 40; i++) {
            x[i][0] = i / 40.0;
            y[i][0] = 2 * x[i][0] + 1;
        }
        Dataset data = Dataset.ofTargets(x, y, DType.FLOAT64);
        Network net = Network.builder().input(1).dense(4, Activation.TANH).dense(1, Activation.IDENTITY)
                .backend(new ReferenceBackend()).build();
        TrainingHistory h = net.fit(data, data, TrainingConfig.builder().batchSize(8).epochs(5).build());

        LearningCurves curves = LearningCurves.of(h).title("line").size(600, 300);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        curves.writePng(png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertEquals(600, image.getWidth());
        assertEquals(300, image.getHeight(), "regression: the cost chart only");
        assertTrue(colours(image) > 20);

        Network other = Network.builder().input(2).dense(1, Activation.SIGMOID).backend(new ReferenceBackend()).build();
        Dataset moons = Synthetic.twoMoons(50, 0.1, 1, DType.FLOAT64);
        TrainingHistory empty = other.session(moons, null, TrainingConfig.builder().epochs(1).build()).history();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningCurves.of(empty));
        assertTrue(e.getMessage().contains("no epoch completed"), e::getMessage);
    }
}
