package org.backprop4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backprop4j crosscheck}, in quick mode on the reference against itself (a few seconds each). */
class CrossCheckCommandTest {

    @TempDir
    Path dir;

    @Test
    void theReferenceAgainstItselfPassesWithTheMachineInTheHeader() {
        Cli.Result r = Cli.run("crosscheck", "--backend", "reference", "--quick");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
        for (String label : List.of("cpu", "simd", "os", "jvm", "reference", "run")) {
            assertTrue(Pattern.compile("(?m)^" + label + " +\\S").matcher(r.out()).find(), label + "\n" + r);
        }
        assertTrue(r.out().contains("cores"), r::toString);
        assertTrue(r.out().contains("jvm        " + System.getProperty("java.version")), r::toString);
        assertTrue(r.out().contains("reference  compared with itself"), r::toString);
        assertTrue(Pattern.compile("(?m)^  float32  gemm NN +\\d+ +0 +0  PASS$").matcher(r.out()).find(), r::toString);
        assertTrue(Pattern.compile("(?m)^  float64  adamStep +\\d+ +0 +0  PASS$").matcher(r.out()).find(), r::toString);
        assertTrue(Pattern.compile("(?m)^  W2 12288-20-7-5-1 float64 +\\d+ +0 +0 +1e-10  PASS$").matcher(r.out()).find(),
                r::toString);
        assertFalse(r.out().contains("FAIL"), r::toString);
        assertTrue(r.out().contains("reference: PASS, 62 of 62 kernel rows and 4 of 4 training runs"), r::toString);
        assertTrue(r.out().contains("PASS: reference agrees with the reference"), r::toString);
    }

    @Test
    void jsonHoldsTheSameResults() throws IOException {
        Path file = dir.resolve("cc.json");

        Cli.Result r = Cli.run("crosscheck", "--backend", "reference", "--quick", "--dtype", "float64", "--seed", "5",
                "--json", file.toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("wrote " + file), r::toString);
        Map<String, Object> json = CrossCheckJsonTest.Json.object(
                CrossCheckJsonTest.Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
        assertEquals("PASS", json.get("verdict"));
        assertEquals(true, json.get("passed"));
        Map<String, Object> machine = CrossCheckJsonTest.Json.object(json.get("machine"));
        assertEquals((double) Runtime.getRuntime().availableProcessors(), machine.get("cores"));
        assertTrue(machine.get("cpu") instanceof String, json::toString);
        assertTrue(machine.get("simd") instanceof List, json::toString);
        assertEquals(System.getProperty("java.version"), CrossCheckJsonTest.Json.object(json.get("jvm")).get("version"));
        Map<String, Object> settings = CrossCheckJsonTest.Json.object(json.get("settings"));
        assertEquals(5.0, settings.get("seed"));
        assertEquals(List.of("float64"), settings.get("dtypes"));
        assertEquals(true, settings.get("quick"));

        List<Object> backends = CrossCheckJsonTest.Json.list(json.get("backends"));
        assertEquals(1, backends.size());
        Map<String, Object> reference = CrossCheckJsonTest.Json.object(backends.get(0));
        assertEquals("reference", reference.get("name"));
        List<Object> kernels = CrossCheckJsonTest.Json.list(reference.get("kernels"));
        assertEquals(31, kernels.size());
        for (Object k : kernels) {
            Map<String, Object> kernel = CrossCheckJsonTest.Json.object(k);
            assertEquals("float64", kernel.get("dtype"));
            assertEquals("PASS", kernel.get("verdict"));
            assertEquals(0.0, kernel.get("maxAbsError"));
            assertEquals(0.0, kernel.get("maxErrorOverBound"));
            assertTrue((Double) kernel.get("cases") > 0, kernel::toString);
        }
        List<Object> training = CrossCheckJsonTest.Json.list(reference.get("training"));
        assertEquals(List.of("W2", "W4"), training.stream().map(t -> CrossCheckJsonTest.Json.object(t).get("workload"))
                .toList());
        assertEquals(1e-10, CrossCheckJsonTest.Json.object(training.get(0)).get("tolerance"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void anUnknownBackendIsAOneLineErrorWithExit1() {
        Cli.Result r = Cli.run("crosscheck", "--backend", "no-such-backend", "--quick");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("backprop4j: error: unknown backend 'no-such-backend': known backends are "),
                r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void badOptionsFailBeforeAnyCheckRuns() {
        Cli.Result dtype = Cli.run("crosscheck", "--dtype", "float16");
        assertEquals(1, dtype.exitCode(), dtype::toString);
        assertEquals(List.of("backprop4j: error: --dtype must be float32, float64 or both, got 'float16'"),
                dtype.errLines());

        Cli.Result json = Cli.run("crosscheck", "--json", dir.resolve("missing/cc.json").toString());
        assertEquals(1, json.exitCode(), json::toString);
        assertEquals(1, json.errLines().size(), json::toString);
        assertTrue(json.err().contains("does not exist"), json::toString);
        assertEquals("", json.out(), json::toString);
    }
}
