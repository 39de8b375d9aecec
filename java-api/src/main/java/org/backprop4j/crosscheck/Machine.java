package org.backprop4j.crosscheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The machine a cross-check ran on, so that reports from different CPUs can be compared: a kernel
 * that passes on AVX2 may take another path on AVX-512 or NEON.
 *
 * @param cpuModel the CPU model ({@code /proc/cpuinfo}'s "model name"), or "unknown"
 * @param simd     the SIMD and FMA features of {@link #KNOWN_FEATURES} the CPU reports, in that order
 * @param cores    the processors available to the JVM
 * @param os       operating system name and version
 * @param arch     the JVM's {@code os.arch}
 */
public record Machine(String cpuModel, List<String> simd, int cores, String os, String arch) {

    /**
     * The features looked for, as Linux names them in {@code /proc/cpuinfo}: x86-64 ("flags") and
     * AArch64 ("Features"). Only these are reported; the full flags line is long and mostly
     * irrelevant to numerical kernels.
     */
    public static final List<String> KNOWN_FEATURES = List.of(
            "sse4_2", "avx", "avx2", "fma", "f16c", "avx_vnni",
            "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
            "amx_tile", "amx_bf16", "amx_int8",
            "asimd", "asimdhp", "asimddp", "sve", "sve2", "sme", "bf16", "i8mm");

    /** Makes an unmodifiable copy of {@code simd}. */
    public Machine {
        simd = List.copyOf(simd);
    }

    /** This machine, from {@code /proc/cpuinfo} where there is one (Linux) and the JVM's properties. */
    public static Machine current() {
        String model = "unknown";
        List<String> simd = List.of();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                List<String> lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
                model = field(lines, "model name");
                if (model == null) {
                    model = field(lines, "Model"); // some ARM boards
                }
                if (model == null) {
                    model = "unknown (no model name in /proc/cpuinfo)";
                }
                String flags = field(lines, "flags");
                simd = features(flags != null ? flags : field(lines, "Features"));
            } catch (IOException | UncheckedIOException e) {
                model = "unknown (" + e.getMessage() + ")";
            }
        }
        return new Machine(model, simd, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    /** The value of the first {@code key : value} line, or null. */
    private static String field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The {@link #KNOWN_FEATURES} among the space-separated {@code flags} (may be null). */
    static List<String> features(String flags) {
        if (flags == null) {
            return List.of();
        }
        Set<String> present = new HashSet<>(Arrays.asList(flags.toLowerCase(Locale.ROOT).split("\\s+")));
        List<String> out = new ArrayList<>();
        for (String f : KNOWN_FEATURES) {
            if (present.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
