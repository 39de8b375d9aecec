package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.crosscheck.TypedArray;
import org.backprop4j.crosscheck.TypedBackend;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Named;

/**
 * What every cross-check test shares: the oracle, seeded operands laid out with offsets and padded
 * rows, and assertions whose messages name the backend, the kernel, the shape, the worst element,
 * both values and the ratio of the error to its {@link ErrorBounds} bound.
 */
final class CrossCheck {

    /** The oracle every backend is compared with. */
    static final Backend REFERENCE = new ReferenceBackend();
    static final List<Named<DType>> DTYPES = List.of(Named.of("float32", DType.FLOAT32), Named.of("float64", DType.FLOAT64));
    /** Offset of an operand in its array when a case is laid out with padding. */
    static final int OFF = 3;
    /** How much wider than its rows a padded operand's leading dimension is. */
    static final int PAD = 5;
    /** Elements after an operand's last one, so that an overrun shows. */
    private static final int TAIL = 3;

    private CrossCheck() {
    }

    static TypedBackend reference(DType dtype) {
        return new TypedBackend(REFERENCE, dtype);
    }

    static double round(DType dtype, double v) {
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
     * A {@code (rows, cols)} operand at {@code off} with leading dimension {@code ld}, uniform in
     * {@code [lo, hi)} and representable in {@code dtype}. The padding and the tail hold random
     * values too, so that a kernel writing there is caught.
     */
    static double[] matrix(SplittableRandom rnd, DType dtype, int off, int ld, int rows, int cols, double lo, double hi) {
        double[] x = new double[length(off, ld, rows, cols)];
        for (int i = 0; i < x.length; i++) {
            x[i] = round(dtype, lo + (hi - lo) * rnd.nextDouble());
        }
        return x;
    }

    /** A vector of {@code n} elements at {@code off}, laid out like {@link #matrix}. */
    static double[] vector(SplittableRandom rnd, DType dtype, int off, int n, double lo, double hi) {
        return matrix(rnd, dtype, off, Math.max(1, n), 1, n, lo, hi);
    }

    static double[] filled(int length, double value) {
        double[] x = new double[length];
        java.util.Arrays.fill(x, value);
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

    /** Fails unless every element of {@code actual} (a dense {@code (·, cols)} block) is within its bound. */
    static void assertWithin(TypedBackend be, String op, String shape, String operand, int cols,
                             double[] actual, double[] expected, double[] bound) {
        ErrorBounds.Result r = ErrorBounds.check(actual, expected, bound);
        if (!r.passed()) {
            int i = r.worstIndex();
            String where = String.format(Locale.ROOT, "%s element (%d, %d) (index %d of %d)", operand, i / cols,
                    i % cols, i, actual.length);
            fail(message(be, op, shape, where, r));
        }
    }

    /** Fails unless one value is within its bound. */
    static void assertWithin(TypedBackend be, String op, String shape, String what,
                             double actual, double expected, double bound) {
        ErrorBounds.Result r = ErrorBounds.check(actual, expected, bound);
        if (!r.passed()) {
            fail(message(be, op, shape, what, r));
        }
    }

    private static String message(TypedBackend be, String op, String shape, String where, ErrorBounds.Result r) {
        return String.format(Locale.ROOT, "%s %s [%s]: %s: %s gives %s, reference %s, |diff| %.3g, bound %.3g, ratio %.3g",
                be.name(), be.kernel(op), shape, where, be.name(), r.actual(), r.expected(),
                Math.abs(r.actual() - r.expected()), r.bound(), r.ratio());
    }

    /** Fails if any element of {@code after} outside the {@code (rows, cols)} operand changed, bit for bit. */
    static void assertUntouched(TypedBackend be, String op, String shape, String operand, TypedArray before, TypedArray after,
                                int off, int ld, int rows, int cols) {
        for (int i = 0; i < before.length(); i++) {
            boolean inside = i >= off && (i - off) / ld < rows && (i - off) % ld < cols;
            if (!inside && before.bits(i) != after.bits(i)) {
                fail(String.format(Locale.ROOT, "%s %s [%s]: wrote outside %s at array index %d: %s became %s",
                        be.name(), be.kernel(op), shape, operand, i, before.get(i), after.get(i)));
            }
        }
    }

    /** Fails if an input array changed at all. */
    static void assertUnchanged(TypedBackend be, String op, String shape, String operand, TypedArray before, TypedArray after) {
        for (int i = 0; i < before.length(); i++) {
            if (before.bits(i) != after.bits(i)) {
                fail(String.format(Locale.ROOT, "%s %s [%s]: modified its input %s at array index %d: %s became %s",
                        be.name(), be.kernel(op), shape, operand, i, before.get(i), after.get(i)));
            }
        }
    }
}
