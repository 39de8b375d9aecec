package org.backprop4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.backprop4j.crosscheck.Machine;

/** What {@code bench} says about the machine: CPU model, cores, SIMD flags, JVM, OS. */
final class BenchMachine {

    /** The vector-instruction flags worth naming (x86 and ARM spellings of /proc/cpuinfo). */
    private static final Pattern SIMD = Pattern.compile(
            "sse|sse2|pni|ssse3|sse4_1|sse4_2|sse4a|avx|avx2|fma|fma4|f16c|avx512.*|avx_vnni.*|amx.*"
                    + "|asimd.*|sve.*|sme.*|neon");

    private BenchMachine() {
    }

    static BenchReport.Machine describe() {
        List<String> cpuinfo = readCpuinfo();
        String java = System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
        String vm = System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        return new BenchReport.Machine(Machine.current().cpuModel(), Runtime.getRuntime().availableProcessors(),
                physicalCores(cpuinfo), simd(cpuinfo), java, vm, os);
    }

    /** The system's one-minute load average, or null where the OS does not tell. */
    static Double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : load;
    }

    private static List<String> readCpuinfo() {
        Path p = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(p)) {
            return List.of();
        }
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** The SIMD flags of the first processor ("flags" on x86, "Features" on ARM), in /proc/cpuinfo's order. */
    static List<String> simd(List<String> cpuinfo) {
        List<String> out = new ArrayList<>();
        for (String line : cpuinfo) {
            if (line.startsWith("flags") || line.startsWith("Features")) {
                for (String flag : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                    if (SIMD.matcher(flag).matches() && !out.contains(flag)) {
                        out.add(flag);
                    }
                }
                break;
            }
        }
        return out;
    }

    /** Distinct (physical id, core id) pairs, e.g. "1 (2 logical)" with hyper-threading; null if unknown. */
    static String physicalCores(List<String> cpuinfo) {
        Set<String> cores = new HashSet<>();
        int logical = 0;
        String physical = "0";
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("processor")) {
                logical++;
            } else if (key.equals("physical id")) {
                physical = value;
            } else if (key.equals("core id")) {
                cores.add(physical + "/" + value);
            }
        }
        if (cores.isEmpty()) {
            return null;
        }
        return cores.size() + " physical, " + logical + " logical";
    }
}
