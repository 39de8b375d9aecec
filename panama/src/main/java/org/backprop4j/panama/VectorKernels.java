package org.backprop4j.panama;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.backprop4j.nn.Activation;

/**
 * Sigmoid, tanh and softmax with the Vector API ({@code jdk.incubator.vector}), whose
 * {@code EXP} and {@code TANH} compile to the JDK's vector math library (SVML on x86-64): the
 * optional fast path of the panama backend for the element-wise kernels that {@code exp}
 * dominates ({@link PanamaBackend#vectorUnusable()} says when it is used). Everything else, and
 * every call whose operands share an array, stays with {@link JavaKernels}.
 *
 * <p>Measured on JDK 25 (x86-64, AVX-512, 2 cores shared with other work), through the backend
 * with and without this path, 1000 x 1000 with the bias and including the copy that restores the
 * input (0.27 ms float32, 0.55 ms float64), fastest of 40 interleaved rounds, two runs: float32
 * sigmoid 0.87-0.89 ms against 2.11-2.13 (2.4x), tanh 0.99-1.04 against 2.35-2.46 (2.4x), softmax
 * 1.44-1.53 against 3.06-3.08 (2.0x); float64 sigmoid 1.73-1.79 against 11.2 (6.2-6.5x), tanh
 * 2.54-2.66 against 10.9 (4.1-4.3x), softmax 3.55-3.67 against 7.06-7.58 (2.0x). The openblas
 * backend's C++ kernels in the same runs: float32 1.10, 1.04-1.08, 1.27-1.36; float64 2.0, 2.0-2.1,
 * 2.5-2.7. Without this path, float64 sigmoid, tanh and softmax call {@link Math#exp} and
 * {@link Math#tanh} one element at a time, which no loop vectorizes.
 *
 * <p>Accuracy. float32 is computed in float lanes ({@code x + bias} rounded to float, then a
 * float {@code exp} or {@code tanh}, 1 ulp): up to 7 ulp from the reference for sigmoid and 13
 * for softmax on those inputs (in [-8, 8]), where the rounding of the argument is amplified as
 * {@code ErrorBounds} allows (at most 0.26 of the bound), and 1 ulp for tanh. float64 lanes gave
 * the reference's bits for all 10^6 sigmoid and softmax elements. The tails of rows shorter than
 * a vector use the reference's scalar formulas.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    /** One line for the backend's description, e.g. {@code "512-bit vectors"}. */
    static String describe() {
        return F.vectorBitSize() + "-bit vectors";
    }

    /**
     * Whether the vector path can be used: this JVM resolved {@code jdk.incubator.vector} (it is
     * only with {@code --add-modules jdk.incubator.vector}), and it runs on x86-64 with vectors of
     * at least 256 bits, where {@code EXP} and {@code TANH} were measured to compile to vector
     * code. Elsewhere they may fall back to a scalar loop per lane, many times slower than the
     * plain kernels. Call only after checking that the module is present.
     */
    static boolean fast() {
        String arch = System.getProperty("os.arch", "");
        return (arch.equals("amd64") || arch.equals("x86_64")) && F.vectorBitSize() >= 256;
    }

    // ---- Bias + sigmoid or tanh --------------------------------------------------------------

    // X[r][c] = g(X[r][c] + bias[c]), g sigmoid or tanh; x and bias are different arrays
    // X is (rows, cols), bias is (cols)
    static void sbiasActivation(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                float[] bias, int offBias) {
        boolean sigmoid = act == Activation.SIGMOID;
        int bound = F.loopBound(cols);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector z = FloatVector.fromArray(F, x, xr + c).add(FloatVector.fromArray(F, bias, offBias + c));
                FloatVector g;
                if (sigmoid) {
                    // 1 / (1 + e^-z) for z > 0, else e^z / (1 + e^z): e = e^-|z| never overflows.
                    FloatVector e = z.abs().neg().lanewise(VectorOperators.EXP);
                    VectorMask<Float> positive = z.compare(VectorOperators.GT, 0f);
                    g = e.blend(one, positive).div(e.add(one));
                } else {
                    g = z.lanewise(VectorOperators.TANH);
                }
                g.intoArray(x, xr + c);
            }
            for (; c < cols; c++) {
                double z = (double) x[xr + c] + bias[offBias + c];
                x[xr + c] = (float) (sigmoid ? sigmoid(z) : Math.tanh(z));
            }
        }
    }

    // X[r][c] = g(X[r][c] + bias[c]), g sigmoid or tanh; x and bias are different arrays
    // X is (rows, cols), bias is (cols)
    static void dbiasActivation(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                double[] bias, int offBias) {
        boolean sigmoid = act == Activation.SIGMOID;
        int bound = D.loopBound(cols);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            int c = 0;
            for (; c < bound; c += D.length()) {
                DoubleVector z = DoubleVector.fromArray(D, x, xr + c).add(DoubleVector.fromArray(D, bias, offBias + c));
                DoubleVector g;
                if (sigmoid) {
                    DoubleVector e = z.abs().neg().lanewise(VectorOperators.EXP);
                    VectorMask<Double> positive = z.compare(VectorOperators.GT, 0.0);
                    g = e.blend(one, positive).div(e.add(one));
                } else {
                    g = z.lanewise(VectorOperators.TANH);
                }
                g.intoArray(x, xr + c);
            }
            for (; c < cols; c++) {
                double z = x[xr + c] + bias[offBias + c];
                x[xr + c] = sigmoid ? sigmoid(z) : Math.tanh(z);
            }
        }
    }

    /** The reference's sigmoid. */
    private static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    // ---- Softmax -----------------------------------------------------------------------------

    // X[r][c] = exp(X[r][c] - max_r) / Σ_j exp(X[r][j] - max_r), in place: the exps are stored in
    // X, summed, then divided
    // X is (rows, cols)
    static void ssoftmax(int rows, int cols, float[] x, int offX, int ldx) {
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[xr + c]); // NaN if any is NaN, as the reference
            }
            FloatVector m = FloatVector.broadcast(F, max);
            FloatVector lanes = FloatVector.zero(F);
            int c = 0;
            for (; c < bound; c += F.length()) {
                FloatVector e = FloatVector.fromArray(F, x, xr + c).sub(m).lanewise(VectorOperators.EXP);
                e.intoArray(x, xr + c);
                lanes = lanes.add(e);
            }
            double sum = lanes.reduceLanes(VectorOperators.ADD);
            for (; c < cols; c++) {
                float e = (float) Math.exp((double) x[xr + c] - max);
                x[xr + c] = e;
                sum += e;
            }
            FloatVector s = FloatVector.broadcast(F, (float) sum);
            for (c = 0; c < bound; c += F.length()) {
                FloatVector.fromArray(F, x, xr + c).div(s).intoArray(x, xr + c);
            }
            for (; c < cols; c++) {
                x[xr + c] = (float) (x[xr + c] / sum);
            }
        }
    }

    // As ssoftmax; the exps are summed in the reference's order, so that the same exps give the
    // same bits
    // X is (rows, cols)
    static void dsoftmax(int rows, int cols, double[] x, int offX, int ldx) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[xr + c]);
            }
            DoubleVector m = DoubleVector.broadcast(D, max);
            int c = 0;
            for (; c < bound; c += D.length()) {
                DoubleVector.fromArray(D, x, xr + c).sub(m).lanewise(VectorOperators.EXP).intoArray(x, xr + c);
            }
            for (; c < cols; c++) {
                x[xr + c] = Math.exp(x[xr + c] - max);
            }
            double sum = 0;
            for (c = 0; c < cols; c++) {
                sum += x[xr + c];
            }
            DoubleVector s = DoubleVector.broadcast(D, sum);
            for (c = 0; c < bound; c += D.length()) {
                DoubleVector.fromArray(D, x, xr + c).div(s).intoArray(x, xr + c);
            }
            for (; c < cols; c++) {
                x[xr + c] = x[xr + c] / sum;
            }
        }
    }
}
