package org.backprop4j.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.backprop4j.data.BuiltinDatasets;
import org.backprop4j.data.Dataset;
import org.backprop4j.nn.DType;

/** Small CSV files for the tests, and the real data files of {@code ../shared/data} where present. */
final class TestData {

    private TestData() {
    }

    /** The first {@code rows} digits, 64 pixel columns then the label, no header. */
    static Path digitsCsv(Path file, int rows, boolean withLabels) throws IOException {
        Dataset d = BuiltinDatasets.digits(DType.FLOAT64);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d.featureCount(); j++) {
                sb.append(j == 0 ? "" : ",").append((int) d.feature(i, j));
            }
            if (withLabels) {
                sb.append(',').append(d.label(i));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    /** {@code x1,x2,y} with a header, y = 3 x1 - 2 x2 plus noise, x1 in [0, 500). */
    static Path regressionCsv(Path file, int rows) throws IOException {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < rows; i++) {
            double a = r.nextDouble() * 500;
            double b = r.nextDouble() * 10 - 5;
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f%n", a, b, 3 * a - 2 * b + r.nextGaussian()));
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * {@code shared/data/<relative>} (a file or directory), or the calling test is skipped, naming every
     * path tried: the -Dbackprop4j.data.dir property, then ../shared/data and ../../shared/data.
     */
    static Path sharedData(String relative) {
        List<Path> dirs = new ArrayList<>();
        String property = System.getProperty("backprop4j.data.dir");
        if (property != null && !property.isBlank()) {
            dirs.add(Path.of(property));
        }
        dirs.add(Path.of("../shared/data"));
        dirs.add(Path.of("../../shared/data"));
        List<String> tried = new ArrayList<>();
        for (Path dir : dirs) {
            Path p = dir.resolve(relative);
            if (Files.exists(p)) {
                return p;
            }
            tried.add(p.toAbsolutePath().normalize().toString());
        }
        assumeTrue(false, "data " + relative + " not found (set -Dbackprop4j.data.dir); tried: "
                + String.join(", ", tried));
        throw new AssertionError("unreachable");
    }
}
