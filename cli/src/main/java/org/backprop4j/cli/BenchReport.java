package org.backprop4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One {@code bench} run as it is printed and saved with {@code --json}: the machine, the backends,
 * and per backend and thread count the GEMM sweep and the training steps. Times are nanoseconds
 * per call; rates are per second.
 */
record BenchReport(String format, int version, String created, String backprop4j, boolean quick, String timing,
                   Double loadBefore, Double loadAfter, Machine machine, List<BackendInfo> backends, List<Run> runs) {

    static final String FORMAT = "backprop4j-bench";
    static final int VERSION = 1;

    /** Where it ran. {@code cores} is what the JVM may use; {@code simd} the vector flags of /proc/cpuinfo. */
    record Machine(String cpu, int cores, String physicalCores, List<String> simd, String java, String vm, String os) {
    }

    /** A backend as {@code Backend.details()} describes it when the run started. */
    record BackendInfo(String name, String details) {
    }

    /** Everything measured on one backend at one thread count ({@code threads} null: not settable). */
    record Run(String backend, Integer threads, List<Gemm> gemm, List<Peak> peaks, List<Workload> workloads) {

        String label() {
            return backend + (threads == null ? "" : " " + threads + "t");
        }

        Optional<Peak> peak(String dtype) {
            return peaks.stream().filter(p -> p.dtype().equals(dtype)).findFirst();
        }
    }

    /** One size of the square GEMM sweep. */
    record Gemm(String dtype, int n, double gflops, double medianNanos, double minNanos, double maxNanos, int reps,
                long calls) {
    }

    /** The best GEMM GFLOP/s of the sweep for one dtype, and the size that reached it. */
    record Peak(String dtype, double gflops, int n) {
    }

    /** One GEMM of a training step, timed alone. */
    record StepGemm(String name, String trans, int m, int n, int k, double medianNanos, double gflops) {
    }

    /** One part of a training step ({@code bench --breakdown}): its name and nanoseconds per step. */
    record Part(String name, double nanosPerStep) {
    }

    /**
     * One workload's training steps. {@code fractionOfPeak}: achieved GFLOP/s over the GEMM peak of
     * the same dtype; {@code ceilingSamplesPerSecond}: the batch over the sum of the step's GEMM
     * times alone; {@code allocBytesPerStep}: heap bytes allocated per step, null where the JVM does
     * not tell; {@code onCpu}: the measuring thread's CPU time over the wall time (below 1 when other
     * processes took the core); {@code breakdown}: null unless {@code --breakdown} was given.
     */
    record Workload(String id, String layers, String dtype, int batch, double stepsPerSecond, double samplesPerSecond,
                    double medianNanos, double minNanos, double maxNanos, int reps, long stepsPerRep, double gflops,
                    Double fractionOfPeak, double ceilingSamplesPerSecond, double fractionOfCeiling,
                    Long allocBytesPerStep, Double onCpu, List<StepGemm> ceilingGemms, List<Part> breakdown) {

        double spread() {
            return medianNanos > 0 ? (maxNanos - minNanos) / medianNanos : 0;
        }
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                // Files from newer versions may carry more fields; what this version knows is still comparable.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    String toJson() {
        try {
            return mapper().writeValueAsString(this) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench result as JSON", e);
        }
    }

    /** Writes the run to {@code file} atomically (temporary file, then rename). */
    void write(Path file) throws IOException {
        String json = toJson();
        AtomicFiles.writeText(file, w -> w.write(json));
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @throws IllegalArgumentException naming the file if it is not JSON or not a bench result
     * @throws IOException if it cannot be read ({@code NoSuchFileException} if it does not exist)
     */
    static BenchReport read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ObjectMapper mapper = mapper();
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "): give a file written by 'backprop4j bench --json FILE'", e);
        }
        if (tree == null || !tree.isObject() || !FORMAT.equals(tree.path("format").asText(null))) {
            throw new IllegalArgumentException(file + " is JSON but not a bench result (no \"format\": \"" + FORMAT
                    + "\"): give a file written by 'backprop4j bench --json FILE'");
        }
        int version = tree.path("version").asInt(0);
        if (version > VERSION) {
            throw new IllegalArgumentException(file + " is a bench result of format version " + version
                    + ", newer than this backprop4j reads (" + VERSION + "): compare it with a newer backprop4j");
        }
        try {
            BenchReport r = mapper.treeToValue(tree, BenchReport.class);
            boolean complete = r.machine() != null && r.machine().simd() != null && r.runs() != null
                    && r.backends() != null;
            for (int i = 0; complete && i < r.runs().size(); i++) {
                Run run = r.runs().get(i);
                complete = run != null && run.backend() != null && run.gemm() != null && run.peaks() != null
                        && run.workloads() != null
                        && run.workloads().stream().allMatch(w -> w != null && w.id() != null && w.ceilingGemms() != null)
                        && run.gemm().stream().allMatch(g -> g != null && g.dtype() != null)
                        && run.peaks().stream().allMatch(p -> p != null && p.dtype() != null);
            }
            if (!complete) {
                throw new IllegalArgumentException(file + " is an incomplete bench result (a machine, backends, runs, "
                        + "GEMM or workload entry is missing)");
            }
            return r;
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(file + " is a damaged bench result: " + e.getOriginalMessage(), e);
        }
    }
}
