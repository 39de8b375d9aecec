package org.backprop4j.tests;

import static org.backprop4j.tests.CrossCheck.OFF;
import static org.backprop4j.tests.CrossCheck.PAD;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.crosscheck.TypedArray;
import org.backprop4j.crosscheck.TypedBackend;
import org.backprop4j.nn.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Column sums (the bias gradient) of every backend against the reference, within
 * {@link ErrorBounds#reduction}: they accumulate into a non-zero {@code y}, over shapes from one
 * element to a thousand rows. The loss values are reductions too; {@link LossCrossCheckTest}
 * checks them.
 */
class ReductionCrossCheckTest {

    static Stream<Arguments> dtypes() {
        return Backends4Test.availableWith(CrossCheck.DTYPES);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void columnSumsAccumulate(Backend backend, DType dtype) {
        SplittableRandom rnd = new SplittableRandom(42);
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedBackend be = new TypedBackend(backend, dtype);
        for (int[] s : new int[][] {{1, 1}, {1, 64}, {7, 1}, {7, 13}, {103, 7}, {1000, 3}, {128, 100}}) {
            int rows = s[0];
            int cols = s[1];
            for (boolean padded : new boolean[] {false, true}) {
                int off = padded ? OFF : 0;
                int ld = cols + (padded ? PAD : 0);
                int offY = padded ? 1 : 0;
                double[] x = CrossCheck.matrix(rnd, dtype, off, ld, rows, cols, -1, 1);
                double[] y = CrossCheck.vector(rnd, dtype, offY, cols, -4, 4);
                String shape = String.format(Locale.ROOT, "rows=%d cols=%d offX=%d ldx=%d offY=%d", rows, cols, off, ld,
                        offY);

                TypedArray yRef = ref.array(y);
                ref.columnSums(rows, cols, ref.array(x), off, ld, yRef, offY);
                TypedArray xIn = be.array(x);
                TypedArray yOut = be.array(y);
                be.columnSums(rows, cols, xIn, off, ld, yOut, offY);

                double[] bound = new double[cols];
                for (int c = 0; c < cols; c++) {
                    double terms = Math.abs(y[offY + c]);
                    for (int r = 0; r < rows; r++) {
                        terms += Math.abs(x[CrossCheck.at(off, ld, r, c)]);
                    }
                    bound[c] = ErrorBounds.reduction(dtype, rows + 1, terms);
                }
                CrossCheck.assertWithin(be, "columnSums", shape, "y", cols, CrossCheck.block(yOut, offY, cols, 1, cols),
                        CrossCheck.block(yRef, offY, cols, 1, cols), bound);
                CrossCheck.assertUntouched(be, "columnSums", shape, "y", be.array(y), yOut, offY, cols, 1, cols);
                CrossCheck.assertUnchanged(be, "columnSums", shape, "X", be.array(x), xIn);
            }
        }
    }
}
