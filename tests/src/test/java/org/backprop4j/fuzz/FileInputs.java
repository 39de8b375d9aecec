package org.backprop4j.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.GZIPOutputStream;

/** What the file-format fuzz targets share: scratch files, gzip, statistics and finding messages. */
final class FileInputs {

    private static final Path DIR = createDir();
    // Per target: loads, accepted, rejected with the named error, inputs (a target may load an input more than once).
    private static final Map<String, AtomicLongArray> STATS = new TreeMap<>();

    private FileInputs() {
    }

    // In memory (/dev/shm) where there is one: a file is written for every input.
    private static Path createDir() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "backprop4j-fuzz") : Files.createTempDirectory("backprop4j-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to a scratch file of this name (one directory per JVM, reused) and returns it. */
    static Path write(String name, byte[] bytes) {
        Path file = DIR.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scratch file " + file, e);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Counts an input: call once per execution of the target, before loading anything. */
    static void input(String target) {
        stats(target).incrementAndGet(3);
    }

    static void accepted(String target) {
        stats(target).incrementAndGet(0);
        stats(target).incrementAndGet(1);
    }

    static void rejected(String target) {
        stats(target).incrementAndGet(0);
        stats(target).incrementAndGet(2);
    }

    private static AtomicLongArray stats(String target) {
        synchronized (STATS) {
            return STATS.computeIfAbsent(target, k -> new AtomicLongArray(4));
        }
    }

    /**
     * When fuzzing (JAZZER_FUZZ set), prints the inputs tried (libFuzzer's runs, and the regression
     * inputs replayed before them), the loads, and how many were accepted and rejected.
     */
    static void printStats() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty()) {
            return;
        }
        synchronized (STATS) {
            for (Map.Entry<String, AtomicLongArray> e : STATS.entrySet()) {
                AtomicLongArray a = e.getValue();
                // One write per line: libFuzzer writes to the same console from native code.
                String loads = a.get(0) == a.get(3) ? "" : String.format(Locale.ROOT, " (%d loads)", a.get(0));
                System.out.print(String.format(Locale.ROOT, "fuzz %s: %d executions%s, %d accepted, %d rejected with "
                        + "the named error%n", e.getKey(), a.get(3), loads, a.get(1), a.get(2)));
            }
        }
    }

    /** A finding: what was loaded, the input (length and its first bytes in hex) and what escaped. */
    static AssertionError finding(String what, byte[] input, Throwable t) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(input.length, 64); i++) {
            hex.append(String.format(Locale.ROOT, "%02x", input[i] & 0xFF));
        }
        return new AssertionError(what + " of a " + input.length + "-byte input (" + hex
                + (input.length > 64 ? "..." : "") + ") threw " + t, t);
    }
}
