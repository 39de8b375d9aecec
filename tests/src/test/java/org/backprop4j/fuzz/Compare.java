package org.backprop4j.fuzz;

import java.util.Locale;
import org.backprop4j.crosscheck.ErrorBounds;

/** Element-by-element comparisons of a backend's results with the reference's, within ErrorBounds. */
final class Compare {

    /** The bound of element {@code (r, c)} of an operand, given the reference's value there. */
    interface Bound {
        double at(int r, int c, double reference);
    }

    private Compare() {
    }

    /** Fails unless every element of the {@code (rows, cols)} region of {@code actual} is within its bound. */
    static void region(BackendCase c, BackendCase.Result actual, BackendCase.Result reference, int operand,
                       String name, int off, int ld, int rows, int cols, Bound bound) {
        Buf out = actual.ops()[operand];
        Buf ref = reference.ops()[operand];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                int i = off + r * ld + col;
                double expected = ref.get(i);
                double limit = bound.at(r, col, expected);
                ErrorBounds.Result res = ErrorBounds.check(out.get(i), expected, limit);
                if (!res.passed()) {
                    throw c.mismatch(actual.backend(), String.format(Locale.ROOT,
                            "%s element (%d, %d) (index %d): %s, reference %s, bound %.3g", name, r, col, i,
                            out.get(i), expected, limit));
                }
            }
        }
    }

    /** Fails unless one value (a loss) is within its bound. */
    static void value(BackendCase c, BackendCase.Result actual, String name, double value, double expected,
                      double bound) {
        if (!ErrorBounds.check(value, expected, bound).passed()) {
            throw c.mismatch(actual.backend(), String.format(Locale.ROOT, "%s %s, reference %s, bound %.3g", name, value,
                    expected, bound));
        }
    }

    /** The {@code (rows, cols)} region of {@code b} as a dense row-major array. */
    static double[] block(Buf b, int off, int ld, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                out[r * cols + col] = b.get(off + r * ld + col);
            }
        }
        return out;
    }
}
