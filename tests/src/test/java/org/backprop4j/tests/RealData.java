package org.backprop4j.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;

/**
 * What the reproductions need, or the calling test is skipped with the reason: the real data files
 * of {@code ../shared/data} (never copied into the repository) and the fast backend (they would take
 * hours on the reference backend).
 */
final class RealData {

    private RealData() {
    }

    /**
     * The data directory that holds every one of {@code files} (paths relative to it): the build's
     * {@code -Dbackprop4j.data.dir}, then {@code ../shared/data} relative to the working directory.
     */
    static Path requireDir(String... files) {
        List<Path> dirs = new ArrayList<>();
        String property = System.getProperty("backprop4j.data.dir");
        if (property != null && !property.isBlank()) {
            dirs.add(Path.of(property));
        }
        dirs.add(Path.of("../shared/data"));
        dirs.add(Path.of("../../shared/data"));
        List<String> missing = new ArrayList<>();
        for (Path dir : dirs) {
            List<String> absent = new ArrayList<>();
            for (String f : files) {
                if (!Files.isRegularFile(dir.resolve(f))) {
                    absent.add(dir.resolve(f).toAbsolutePath().normalize().toString());
                }
            }
            if (absent.isEmpty()) {
                return dir;
            }
            missing.addAll(absent);
        }
        assumeTrue(false, "data files not found (set -Dbackprop4j.data.dir): " + String.join(", ", missing));
        throw new AssertionError("unreachable");
    }

    /** The openblas backend, or the test is skipped with the reason it is unavailable. */
    static Backend requireOpenBlas() {
        try {
            return Backends.named("openblas");
        } catch (BackendUnavailableException e) {
            assumeTrue(false, "needs the openblas backend (far too slow on the reference backend): " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }
}
