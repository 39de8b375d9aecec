package org.backprop4j.crosscheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.backprop4j.backend.Backend;
import org.backprop4j.nn.DType;

/**
 * What a kernel family's case generator works with: the dtype, a seeded random source, the
 * reference and the candidate bound to that dtype, the report rows, and helpers that lay out
 * operands at offsets with padded rows.
 */
final class CaseContext {

    /** Elements after an operand's last one, so that an overrun shows. */
    private static final int TAIL = 3;

    final DType dtype;
    final SplittableRandom rnd;
    /** Fewer and smaller cases. */
    final boolean quick;
    final TypedBackend ref;
    final TypedBackend be;
    private final Map<String, Tally> tallies;
    private boolean padNext;

    CaseContext(DType dtype, SplittableRandom rnd, boolean quick, Backend reference, Backend candidate,
                Map<String, Tally> tallies) {
        this.dtype = dtype;
        this.rnd = rnd;
        this.quick = quick;
        this.ref = new TypedBackend(reference, dtype);
        this.be = new TypedBackend(candidate, dtype);
        this.tallies = tallies;
    }

    /** The report row of {@code op} ({@code variant} may be null), created on first use. */
    Tally tally(String op, String variant) {
        String key = variant == null ? op : op + " " + variant;
        return tallies.computeIfAbsent(key, k -> new Tally(op, variant, dtype, be.backend.name()));
    }

    /**
     * Runs one case that checks the rows {@code checked}: each counts it, and an exception thrown by
     * the body (by the candidate: the reference validates the same arguments) fails them.
     */
    void run(String shape, Runnable body, Tally... checked) {
        for (Tally t : checked) {
            t.begin(shape);
        }
        try {
            body.run();
        } catch (RuntimeException e) {
            for (Tally t : checked) {
                t.threw(e);
            }
        }
    }

    // ---- Sizes and layouts ------------------------------------------------------------------

    /** Where an operand sits in its array: offset and leading dimension. */
    record Layout(int off, int ld) {
    }

    /**
     * Tight ({@code off = 0, ld = cols}) and padded (offset 1–4, leading dimension 1–6 wider than
     * the rows) in turn, so that every kernel sees both.
     */
    Layout layout(int cols) {
        padNext = !padNext;
        return padNext ? new Layout(1 + rnd.nextInt(4), Math.max(1, cols) + 1 + rnd.nextInt(6))
                : new Layout(0, Math.max(1, cols));
    }

    /** A random size in {@code [1, max]}, odd more often than not (odd sizes miss vector tails). */
    int size(int max) {
        int s = 1 + rnd.nextInt(max);
        return s % 2 == 0 && rnd.nextInt(4) != 0 ? Math.max(1, s - 1) : s;
    }

    /** {@code fixed} followed by {@code count} random {@code {rows, cols}} of at most {@code max} each. */
    List<int[]> shapes(int[][] fixed, int count, int max) {
        List<int[]> out = new ArrayList<>(Arrays.asList(fixed));
        for (int i = 0; i < count; i++) {
            out.add(new int[] {size(max), size(max)});
        }
        return out;
    }

    // ---- Operands ---------------------------------------------------------------------------

    double round(double v) {
        return dtype == DType.FLOAT32 ? (double) (float) v : v;
    }

    /** Index of element {@code (r, c)} of an operand at {@code off} with leading dimension {@code ld}. */
    static int at(int off, int ld, int r, int c) {
        return off + r * ld + c;
    }

    /** Array length for a {@code (rows, cols)} operand, with a tail after it. */
    static int length(int off, int ld, int rows, int cols) {
        return off + (rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols) + TAIL;
    }

    /**
     * A {@code (rows, cols)} operand laid out as {@code l}, uniform in {@code [lo, hi)} and
     * representable in the dtype. The padding and the tail hold random values too, so that a kernel
     * writing there is caught.
     */
    double[] matrix(Layout l, int rows, int cols, double lo, double hi) {
        double[] x = new double[length(l.off(), l.ld(), rows, cols)];
        for (int i = 0; i < x.length; i++) {
            x[i] = round(lo + (hi - lo) * rnd.nextDouble());
        }
        return x;
    }

    /** A vector of {@code n} elements at {@code off}, laid out like {@link #matrix}. */
    double[] vector(int off, int n, double lo, double hi) {
        return matrix(new Layout(off, Math.max(1, n)), 1, n, lo, hi);
    }

    static double[] filled(int length, double value) {
        double[] x = new double[length];
        Arrays.fill(x, value);
        return x;
    }

    /** The {@code (rows, cols)} operand as a dense row-major array. */
    static double[] block(double[] x, int off, int ld, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, at(off, ld, r, 0), out, r * cols, cols);
        }
        return out;
    }

    static double[] block(TypedArray x, int off, int ld, int rows, int cols) {
        return block(x.toDouble(), off, ld, rows, cols);
    }
}
