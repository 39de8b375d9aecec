package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * The three fused losses ({@code softmaxCrossEntropy}, {@code sigmoidBinaryCrossEntropy},
 * {@code meanSquaredError}, both dtypes) with fuzzed shapes, offsets and lengths, and a gradient
 * output that is null, a separate array, or (for the two cross-entropies, as documented) {@code Z}
 * itself; see {@link BackendHarness}. The loss, the probabilities left in {@code Z} and the
 * gradient must be within their {@link ErrorBounds} of the reference.
 */
class LossFuzzTest {

    private static final String[] KINDS = {"softmaxCrossEntropy", "sigmoidBinaryCrossEntropy", "meanSquaredError"};

    @FuzzTest(maxDuration = "20s")
    void loss(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        int kind = data.consumeInt(0, 2);
        boolean mse = kind == 2;
        BackendCase c = new BackendCase((f32 ? "s" : "d") + KINDS[kind], s);
        int rows = c.arg("rows", s.dim());
        int cols = c.arg("cols", s.dim());
        int offZ = c.arg("offZ", s.offset());
        int ldz = c.arg("ldz", s.ld(cols));
        int z = c.matrix("z", rows, cols, ldz, offZ, false);
        int offY = c.arg("offY", s.offset());
        int ldy = c.arg("ldy", s.ld(cols));
        int y = c.matrix("y", rows, cols, ldy, offY, false);
        // The gradient: null, Z itself (same array, offset and leading dimension), or its own array.
        int gradient = data.consumeInt(0, 3);
        boolean inPlace = gradient == 1;
        int offDz = c.arg("offDz", inPlace ? offZ : s.offset());
        int lddz = c.arg("lddz", inPlace ? ldz : s.ld(cols));
        int dz = gradient == 0 ? c.none("dz") : inPlace ? c.same("dz", z) : c.matrix("dz", rows, cols, lddz, offDz, false);
        if (inPlace && mse) {
            c.aliasing = true; // dA == A is not documented for the mean squared error
        }
        if (!mse) {
            c.writes(z, offZ, ldz, rows, cols);
        }
        c.writes(dz, offDz, lddz, rows, cols); // (nothing when dz turns out null)

        BackendHarness.run(c, rows > 0 && cols > 0, (be, ops) -> {
            if (f32) {
                float[] zz = ops[z].f;
                float[] yy = ops[y].f;
                float[] dd = ops[dz].f;
                switch (kind) {
                    case 0:
                        return be.ssoftmaxCrossEntropy(rows, cols, zz, offZ, ldz, yy, offY, ldy, dd, offDz, lddz);
                    case 1:
                        return be.ssigmoidBinaryCrossEntropy(rows, cols, zz, offZ, ldz, yy, offY, ldy, dd, offDz, lddz);
                    default:
                        return be.smeanSquaredError(rows, cols, zz, offZ, ldz, yy, offY, ldy, dd, offDz, lddz);
                }
            }
            double[] zz = ops[z].d;
            double[] yy = ops[y].d;
            double[] dd = ops[dz].d;
            switch (kind) {
                case 0:
                    return be.dsoftmaxCrossEntropy(rows, cols, zz, offZ, ldz, yy, offY, ldy, dd, offDz, lddz);
                case 1:
                    return be.dsigmoidBinaryCrossEntropy(rows, cols, zz, offZ, ldz, yy, offY, ldy, dd, offDz, lddz);
                default:
                    return be.dmeanSquaredError(rows, cols, zz, offZ, ldz, yy, offY, ldy, dd, offDz, lddz);
            }
        }, (ref, out) -> {
            Buf z0 = c.before(z);
            Buf y0 = c.before(y);
            double[] zd = z0.toDouble();
            double[] yd = y0.toDouble();
            if (mse) {
                Compare.value(c, out, "loss", out.value(), ref.value(),
                        ErrorBounds.meanSquaredError(s.dtype, rows, cols, zd, offZ, ldz, yd, offY, ldy));
                if (!ref.ops()[dz].isNull()) {
                    Compare.region(c, out, ref, dz, "da", offDz, lddz, rows, cols,
                            (r, col, expected) -> ErrorBounds.elementwise(s.dtype, expected));
                }
                return;
            }
            // The exact probabilities, for the bounds' magnitudes (the reference's differ by a rounding).
            double[][] p = new double[rows][cols];
            double[][] pBound = new double[rows][cols];
            double[] max = SoftmaxFuzzTest.rowMax(z0, offZ, ldz, rows, cols);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int col = 0; col < cols; col++) {
                    double logit = z0.get(offZ + r * ldz + col);
                    p[r][col] = kind == 0 ? Math.exp(logit - max[r]) : 1 / (1 + Math.exp(-logit));
                    sum += p[r][col];
                }
                for (int col = 0; col < cols; col++) {
                    double logit = z0.get(offZ + r * ldz + col);
                    if (kind == 0) {
                        p[r][col] /= sum;
                        pBound[r][col] = ErrorBounds.softmax(s.dtype, cols, logit - max[r], p[r][col]);
                    } else {
                        pBound[r][col] = ErrorBounds.activation(s.dtype, Activation.SIGMOID, logit, p[r][col]);
                    }
                }
            }
            double lossBound = kind == 0
                    ? ErrorBounds.softmaxCrossEntropy(s.dtype, rows, cols, zd, offZ, ldz, yd, offY, ldy)
                    : ErrorBounds.sigmoidBinaryCrossEntropy(s.dtype, rows, cols, zd, offZ, ldz, yd, offY, ldy);
            Compare.value(c, out, "loss", out.value(), ref.value(), lossBound);
            if (!inPlace) {
                Compare.region(c, out, ref, z, "p (in z)", offZ, ldz, rows, cols, (r, col, expected) -> pBound[r][col]);
            }
            if (!ref.ops()[dz].isNull()) {
                double count = kind == 0 ? rows : (double) rows * cols;
                Compare.region(c, out, ref, dz, "dz", offDz, lddz, rows, cols, (r, col, expected) ->
                        ErrorBounds.lossGradient(s.dtype, pBound[r][col], p[r][col], y0.get(offY + r * ldy + col), count));
            }
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("loss");
    }
}
