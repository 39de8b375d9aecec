package org.backprop4j.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the real data files of {@code ../shared/data}; a test without them is skipped with the reason. */
final class TestData {

    private TestData() {
    }

    /** The directories tried, in order: the build's property, then paths relative to the working directory. */
    static List<Path> candidates() {
        List<Path> dirs = new ArrayList<>();
        String property = System.getProperty("backprop4j.data.dir");
        if (property != null && !property.isBlank()) {
            dirs.add(Path.of(property));
        }
        dirs.add(Path.of("../shared/data"));
        dirs.add(Path.of("../../shared/data"));
        return dirs;
    }

    /** {@code data/<relative>}, or the calling test is skipped, naming every path tried. */
    static Path require(String relative) {
        List<String> tried = new ArrayList<>();
        for (Path dir : candidates()) {
            Path file = dir.resolve(relative);
            if (Files.isRegularFile(file)) {
                return file;
            }
            tried.add(file.toAbsolutePath().normalize().toString());
        }
        assumeTrue(false, "data file " + relative + " not found (set -Dbackprop4j.data.dir); tried: "
                + String.join(", ", tried));
        throw new AssertionError("unreachable");
    }

    /** How many samples of each class. */
    static int[] classCounts(Dataset data) {
        int[] counts = new int[data.classCount()];
        for (int label : data.labels()) {
            counts[label]++;
        }
        return counts;
    }
}
