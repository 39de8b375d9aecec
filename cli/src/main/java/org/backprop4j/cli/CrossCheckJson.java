package org.backprop4j.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.backprop4j.crosscheck.BackendReport;
import org.backprop4j.crosscheck.KernelResult;
import org.backprop4j.crosscheck.Report;
import org.backprop4j.crosscheck.Selection;
import org.backprop4j.crosscheck.TrainingResult;
import org.backprop4j.nn.DType;

/**
 * The JSON form of a {@code crosscheck} {@link Report}: the same results as the table, for
 * comparing machines. Written by hand (RFC 8259: strings escaped, one top-level object) so that
 * the command needs no JSON library. JSON has no NaN or infinity: such numbers are written as
 * {@code null}, and the verdict and the {@code worst} text say what happened.
 */
final class CrossCheckJson {

    /** Bumped when a field changes meaning or disappears; new fields may appear without a bump. */
    static final int FORMAT = 1;

    private final Writer w;
    private int depth;
    /** True right after '{' or '[': the next member needs no comma. */
    private boolean first = true;

    private CrossCheckJson(Writer w) {
        this.w = w;
    }

    static void write(Report report, String version, Writer w) throws IOException {
        new CrossCheckJson(w).report(report, version);
        w.write('\n');
    }

    private void report(Report r, String version) throws IOException {
        begin('{');
        field("format", FORMAT);
        field("tool", "backprop4j " + version + " crosscheck");
        field("verdict", verdict(r.passed()));
        field("passed", r.passed());
        name("machine");
        begin('{');
        field("cpu", r.machine().cpuModel());
        name("simd");
        strings(r.machine().simd());
        field("cores", r.machine().cores());
        field("os", r.machine().os());
        field("arch", r.machine().arch());
        end('}');
        name("jvm");
        begin('{');
        field("version", r.jvm().version());
        field("vendor", r.jvm().vendor());
        field("vm", r.jvm().vmName());
        field("vmVersion", r.jvm().vmVersion());
        end('}');
        name("settings");
        begin('{');
        field("seed", r.seed());
        name("dtypes");
        strings(r.dtypes().stream().map(DType::id).toList());
        field("quick", r.quick());
        end('}');
        name("reference");
        begin('{');
        field("name", "reference");
        field("details", r.referenceDetails());
        end('}');
        name("backends");
        begin('[');
        for (BackendReport b : r.backends()) {
            backend(b);
        }
        end(']');
        name("unavailable");
        begin('[');
        for (Selection.Unavailable u : r.unavailable()) {
            element();
            begin('{');
            field("name", u.name());
            field("reason", u.reason());
            end('}');
        }
        end(']');
        field("elapsedMillis", r.elapsedMillis());
        end('}');
    }

    private void backend(BackendReport b) throws IOException {
        element();
        begin('{');
        field("name", b.name());
        field("details", b.details());
        field("verdict", verdict(b.passed()));
        field("elapsedMillis", b.elapsedMillis());
        name("kernels");
        begin('[');
        for (KernelResult k : b.kernels()) {
            element();
            begin('{');
            field("kernel", k.kernel());
            field("dtype", k.dtype().id());
            field("cases", k.cases());
            field("maxAbsError", k.maxError());
            field("maxErrorOverBound", k.maxRatio());
            field("verdict", verdict(k.passed()));
            field("worst", k.worst());
            end('}');
        }
        end(']');
        name("training");
        begin('[');
        for (TrainingResult t : b.training()) {
            element();
            begin('{');
            field("workload", t.workload());
            field("layers", t.layers());
            field("dtype", t.dtype().id());
            field("setup", t.setup());
            field("scaledDown", t.scaledDown());
            field("steps", t.steps());
            field("maxCostRelError", t.maxCostError());
            field("maxWeightRelError", t.maxWeightError());
            field("tolerance", t.tolerance());
            field("maxErrorOverBound", t.maxRatio());
            field("verdict", verdict(t.passed()));
            field("worst", t.worst());
            end('}');
        }
        end(']');
        end('}');
    }

    private static String verdict(boolean passed) {
        return passed ? "PASS" : "FAIL";
    }

    // ---- The writer -------------------------------------------------------------------------

    private void begin(char bracket) throws IOException {
        w.write(bracket);
        depth++;
        first = true;
    }

    private void end(char bracket) throws IOException {
        depth--;
        if (!first) {
            newline();
        }
        w.write(bracket);
        first = false;
    }

    /** Starts an array element. */
    private void element() throws IOException {
        if (!first) {
            w.write(',');
        }
        newline();
        first = false;
    }

    /** Starts an object member: its name and the colon. */
    private void name(String name) throws IOException {
        element();
        string(name);
        w.write(": ");
    }

    private void newline() throws IOException {
        w.write('\n');
        for (int i = 0; i < depth; i++) {
            w.write("  ");
        }
    }

    private void field(String name, String value) throws IOException {
        name(name);
        if (value == null) {
            w.write("null");
        } else {
            string(value);
        }
    }

    private void field(String name, boolean value) throws IOException {
        name(name);
        w.write(Boolean.toString(value));
    }

    private void field(String name, long value) throws IOException {
        name(name);
        w.write(Long.toString(value));
    }

    /** Finite doubles in Java's shortest round-trip form (valid JSON, e.g. {@code 1.5E-7}); NaN and infinities as null. */
    private void field(String name, double value) throws IOException {
        name(name);
        w.write(Double.isFinite(value) ? Double.toString(value) : "null");
    }

    private void strings(List<String> values) throws IOException {
        w.write('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                w.write(", ");
            }
            string(values.get(i));
        }
        w.write(']');
        first = false;
    }

    /** A JSON string: quote, backslash and control characters escaped; everything else as is (UTF-8). */
    private void string(String s) throws IOException {
        w.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': w.write("\\\""); break;
                case '\\': w.write("\\\\"); break;
                case '\n': w.write("\\n"); break;
                case '\r': w.write("\\r"); break;
                case '\t': w.write("\\t"); break;
                case '\b': w.write("\\b"); break;
                case '\f': w.write("\\f"); break;
                default:
                    if (c < 0x20) {
                        w.write(String.format("\\u%04x", (int) c));
                    } else {
                        w.write(c);
                    }
            }
        }
        w.write('"');
    }
}
