package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code backprop4j bench} end to end, in its quick mode on the reference backend. Timings are never asserted. */
class BenchCommandTest {

    @TempDir
    static Path dir;

    private static Path json;
    private static Path png;
    private static Cli.Result quick;

    @BeforeAll
    static void runQuickBenchOnce() {
        json = dir.resolve("run.json");
        png = dir.resolve("gemm.png");
        quick = Cli.run("bench", "--quick", "--backend", "reference", "--json", json.toString(), "--plot", png.toString());
    }

    @Test
    void quickRunPrintsTheMachineAndBothTables() {
        assertEquals(0, quick.exitCode(), quick::toString);
        String out = quick.out();
        for (String line : List.of("cpu        ", "simd       ", "java       ", "os         ", "timing     quick: ",
                "backend    reference: ", "note       numbers on a shared machine are noisy")) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(line)), () -> "no line starting with '" + line + "'\n" + quick);
        }
        assertTrue(Pattern.compile("(?m)^backend\\s+dtype\\s+64\\s+128\\s+peak$").matcher(out).find(), quick::toString);
        assertTrue(Pattern.compile("(?m)^backend\\s+workload\\s+dtype\\s+batch\\s+steps/s\\s+samples/s\\s+spread\\s+"
                + "GFLOP/s\\s+of peak\\s+ceiling s/s\\s+of ceil\\s+B/step\\s+on cpu\\s+timed$").matcher(out).find(), quick::toString);
        assertTrue(Pattern.compile("(?m)^reference\\s+float32(\\s+[0-9.]+){3}$").matcher(out).find(), quick::toString);
        assertTrue(Pattern.compile("(?m)^reference\\s+W4-moons\\s+float64\\s+900\\s").matcher(out).find(), quick::toString);
        assertTrue(out.contains("saved " + json), quick::toString);
        assertTrue(out.contains("plotted " + png), quick::toString);
        assertEquals("", quick.err(), quick::toString);
    }

    @Test
    void jsonHoldsTheRunAndReadsBack() throws IOException {
        assertEquals(0, quick.exitCode(), quick::toString);
        BenchReport r = BenchReport.read(json);

        assertEquals(BenchReport.FORMAT, r.format());
        assertTrue(r.quick());
        assertEquals(1, r.runs().size());
        BenchReport.Run run = r.runs().get(0);
        assertEquals("reference", run.backend());
        assertEquals(null, run.threads());
        assertEquals(4, run.gemm().size(), "64 and 128 in two dtypes");
        assertEquals(List.of("float32", "float64"), run.peaks().stream().map(BenchReport.Peak::dtype).toList());
        BenchReport.Workload w = run.workloads().get(0);
        assertEquals("W4-moons", w.id());
        assertEquals(14, w.ceilingGemms().size(), "5 forward, 5 dW, 4 dX");
        assertEquals(900 * w.stepsPerSecond(), w.samplesPerSecond(), 1e-6 * w.samplesPerSecond());
        // Paired round by round (BenchSuite.fractionOfCeiling), so close to the ratio of the medians, not equal.
        assertTrue(w.fractionOfCeiling() > 0 && Double.isFinite(w.fractionOfCeiling()), w::toString);
        assertTrue(w.gflops() > 0 && w.ceilingSamplesPerSecond() > 0);
        assertEquals(r, BenchReport.read(json), "reading twice gives the same run");
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }

    @Test
    void runsWithoutAPartnerAreNamedNotDroppedSilently() throws IOException {
        assertEquals(0, quick.exitCode(), quick::toString);
        BenchReport a = BenchReport.read(json);
        BenchReport.Run run = a.runs().get(0);
        List<BenchReport.Run> two = List.of(run, new BenchReport.Run(run.backend(), 2, run.gemm(), run.peaks(),
                run.workloads()));
        Path b = dir.resolve("two.json");
        new BenchReport(a.format(), a.version(), a.created(), a.backprop4j(), a.quick(), a.timing(), a.loadBefore(),
                a.loadAfter(), a.machine(), a.backends(), two).write(b);

        Cli.Result r = Cli.run("bench", "compare", json.toString(), b.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("only in B (not compared): reference 2t"), r::toString);
        assertFalse(r.out().contains("only in A"), r::toString);
    }

    @Test
    void comparingARunWithItselfGivesRatiosOfOne() {
        Cli.Result r = Cli.run("bench", "compare", json.toString(), json.toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("GEMM GFLOP/s"), r::toString);
        assertTrue(r.out().contains("Training samples/s"), r::toString);
        // Every data row ends in its B/A ratio (training rows: then the two fractions of the ceiling).
        Matcher m = Pattern.compile("(?m)^reference \\S+ \\S+.*?\\s(\\d+\\.\\d\\d)$|^reference W4-moons.*?\\s(\\d+\\.\\d\\d)\\s+"
                + "[0-9.]+%\\s+[0-9.]+%$").matcher(r.out());
        int ratios = 0;
        while (m.find()) {
            String ratio = m.group(1) != null ? m.group(1) : m.group(2);
            assertEquals("1.00", ratio, m.group());
            ratios++;
        }
        assertEquals(4 + 2 + 1, ratios, "4 GEMM sizes, 2 peaks, 1 workload\n" + r);
    }

    @Test
    void plotIsAPng() throws IOException {
        assertEquals(0, quick.exitCode(), quick::toString);
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
    }

    static Stream<Arguments> badArguments() throws IOException {
        Path notJson = Files.writeString(dir.resolve("notes.txt"), "GFLOP/s were high\n", StandardCharsets.UTF_8);
        Path otherJson = Files.writeString(dir.resolve("other.json"), "{\"model\": \"W1\"}\n", StandardCharsets.UTF_8);
        Path missing = dir.resolve("missing.json");
        return Stream.of(
                Arguments.of(List.of("bench", "--backend", "no-such-backend"), "unknown backend 'no-such-backend'"),
                Arguments.of(List.of("bench", "--threads", "0"), "thread counts must be >= 1"),
                Arguments.of(List.of("bench", "--threads", "1,two"), "'two' is not a thread count"),
                Arguments.of(List.of("bench", "--backend", "reference", "--threads", "1"),
                        "--threads applies to the openblas backend only"),
                Arguments.of(List.of("bench", "--workload", "W7"), "unknown workload 'W7'"),
                Arguments.of(List.of("bench", "--json", dir.resolve("no/such/dir/run.json").toString()), "does not exist"),
                Arguments.of(List.of("bench", "compare", missing.toString(), missing.toString()), "no such file: " + missing),
                Arguments.of(List.of("bench", "compare", notJson.toString(), notJson.toString()), "is not JSON"),
                Arguments.of(List.of("bench", "compare", otherJson.toString(), otherJson.toString()),
                        "is JSON but not a bench result"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void badArgumentsExitOneWithOneLine(List<String> args, String message) {
        Cli.Result r = Cli.run(args.toArray(new String[0]));

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("backprop4j: error: "), r::toString);
        assertTrue(r.errLines().get(0).contains(message), r::toString);
        assertEquals("", r.out(), r::toString);
    }
}
