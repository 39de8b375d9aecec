package org.backprop4j.tests;

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
 * axpy and scal of every backend against the reference, within {@link ErrorBounds#step}, at
 * offsets; {@code scal} by 0 writes zeros over NaN.
 */
class VectorCrossCheckTest {

    private static final int[] SIZES = {1, 7, 103, 1000};

    static Stream<Arguments> dtypes() {
        return Backends4Test.availableWith(CrossCheck.DTYPES);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void axpy(Backend backend, DType dtype) {
        SplittableRandom rnd = new SplittableRandom(42);
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedBackend be = new TypedBackend(backend, dtype);
        for (int n : SIZES) {
            for (double alphaIn : new double[] {1, -0.7, 0, 3.5}) {
                double alpha = CrossCheck.round(dtype, alphaIn);
                int offX = 3;
                int offY = 1;
                double[] x = CrossCheck.vector(rnd, dtype, offX, n, -1, 1);
                double[] y = CrossCheck.vector(rnd, dtype, offY, n, -1, 1);
                String shape = String.format(Locale.ROOT, "n=%d alpha=%s offX=%d offY=%d", n, alpha, offX, offY);

                TypedArray yRef = ref.array(y);
                ref.axpy(n, alpha, ref.array(x), offX, yRef, offY);
                TypedArray xIn = be.array(x);
                TypedArray yOut = be.array(y);
                be.axpy(n, alpha, xIn, offX, yOut, offY);

                double[] bound = new double[n];
                for (int i = 0; i < n; i++) {
                    bound[i] = ErrorBounds.step(dtype, Math.abs(y[offY + i]) + Math.abs(alpha * x[offX + i]));
                }
                CrossCheck.assertWithin(be, "axpy", shape, "y", n, CrossCheck.block(yOut, offY, n, 1, n),
                        CrossCheck.block(yRef, offY, n, 1, n), bound);
                CrossCheck.assertUntouched(be, "axpy", shape, "y", be.array(y), yOut, offY, n, 1, n);
                CrossCheck.assertUnchanged(be, "axpy", shape, "x", be.array(x), xIn);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void scal(Backend backend, DType dtype) {
        SplittableRandom rnd = new SplittableRandom(42);
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedBackend be = new TypedBackend(backend, dtype);
        for (int n : SIZES) {
            for (double alphaIn : new double[] {0.5, -0.7, 1, 0}) {
                double alpha = CrossCheck.round(dtype, alphaIn);
                int off = 3;
                double[] x = CrossCheck.vector(rnd, dtype, off, n, -1, 1);
                if (alpha == 0) {
                    // zeroing gradients: whatever was there, NaN included, becomes 0
                    for (int i = 0; i < n; i += 2) {
                        x[off + i] = Double.NaN;
                    }
                }
                String shape = String.format(Locale.ROOT, "n=%d alpha=%s off=%d", n, alpha, off);

                TypedArray xRef = ref.array(x);
                ref.scal(n, alpha, xRef, off);
                TypedArray xOut = be.array(x);
                be.scal(n, alpha, xOut, off);

                double[] bound = new double[n];
                for (int i = 0; i < n; i++) {
                    bound[i] = alpha == 0 ? 0 : ErrorBounds.step(dtype, Math.abs(alpha * x[off + i]));
                }
                CrossCheck.assertWithin(be, "scal", shape, "x", n, CrossCheck.block(xOut, off, n, 1, n),
                        CrossCheck.block(xRef, off, n, 1, n), bound);
                CrossCheck.assertUntouched(be, "scal", shape, "x", be.array(x), xOut, off, n, 1, n);
            }
        }
    }
}
