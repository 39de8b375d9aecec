package org.backprop4j.crosscheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.backprop4j.nn.DType;

/**
 * What one row of the report has seen so far: the cases of one kernel (or one output of a fused
 * kernel) in one dtype, the largest error, and the element with the largest ratio of error to its
 * {@link ErrorBounds} bound, described well enough to reproduce it.
 */
final class Tally {

    private final String kernel;
    private final String method;
    private final DType dtype;
    private final String backendName;
    private int cases;
    private double maxError;
    private double maxRatio;
    private String worst;
    private String shape = "";

    /**
     * @param op      the kernel as the interface spells it without its prefix, e.g. {@code "gemm"}
     * @param variant what distinguishes this row, e.g. {@code "NT"} or {@code "relu"}, or null
     */
    Tally(String op, String variant, DType dtype, String backendName) {
        this.kernel = variant == null ? op : op + " " + variant;
        this.method = (dtype == DType.FLOAT32 ? "s" : "d") + kernel;
        this.dtype = dtype;
        this.backendName = backendName;
    }

    /** Starts a case: the following checks are described with {@code shape}. */
    void begin(String shape) {
        this.shape = shape;
        cases++;
    }

    /**
     * Every element of {@code actual}, a dense {@code (·, cols)} block read back from the candidate,
     * against the reference's {@code expected} within {@code bound}.
     */
    void within(String operand, int cols, double[] actual, double[] expected, double[] bound) {
        ErrorBounds.Result r = ErrorBounds.check(actual, expected, bound);
        int i = r.worstIndex();
        String where = actual.length <= cols ? String.format(Locale.ROOT, "%s element %d", operand, i)
                : String.format(Locale.ROOT, "%s element (%d, %d)", operand, i / cols, i % cols);
        record(r, where);
    }

    /** One value against the reference's within {@code bound}. */
    void within(String what, double actual, double expected, double bound) {
        record(ErrorBounds.check(actual, expected, bound), what);
    }

    /**
     * Nothing of {@code after} outside the {@code (rows, cols)} block at {@code (off, ld)} may differ
     * from {@code before}: the bound there is 0.
     */
    void untouched(String operand, double[] before, TypedArray after, int off, int ld, int rows, int cols) {
        List<Integer> outside = new ArrayList<>();
        for (int i = 0; i < before.length; i++) {
            boolean inside = i >= off && (i - off) / ld < rows && (i - off) % ld < cols;
            if (!inside) {
                outside.add(i);
            }
        }
        double[] was = new double[outside.size()];
        double[] now = new double[outside.size()];
        for (int j = 0; j < was.length; j++) {
            was[j] = before[outside.get(j)];
            now[j] = after.get(outside.get(j));
        }
        ErrorBounds.Result r = ErrorBounds.check(now, was, new double[was.length]);
        if (!r.passed()) {
            record(r, "wrote outside " + operand + " at array index " + outside.get(r.worstIndex()));
        }
    }

    /** No element of the input {@code after} may differ from {@code before}: the bound is 0. */
    void unchanged(String operand, double[] before, TypedArray after) {
        ErrorBounds.Result r = ErrorBounds.check(after.toDouble(), before, new double[before.length]);
        if (!r.passed()) {
            record(r, "modified its input " + operand + " at array index " + r.worstIndex());
        }
    }

    /** The candidate threw where the reference did not. */
    void threw(RuntimeException e) {
        if (maxRatio < Double.POSITIVE_INFINITY) {
            maxRatio = Double.POSITIVE_INFINITY;
            worst = String.format(Locale.ROOT, "%s [%s]: %s threw %s", method, shape, backendName, e);
        }
    }

    private void record(ErrorBounds.Result r, String where) {
        maxError = Math.max(maxError, r.maxError());
        if (r.ratio() > maxRatio) {
            maxRatio = r.ratio();
            worst = String.format(Locale.ROOT, "%s [%s]: %s: %s gives %s, reference %s, |diff| %.3g, bound %.3g, "
                            + "ratio %.3g", method, shape, where, backendName, r.actual(), r.expected(),
                    Math.abs(r.actual() - r.expected()), r.bound(), r.ratio());
        }
    }

    KernelResult result() {
        return new KernelResult(kernel, dtype, cases, maxError, maxRatio, worst);
    }
}
