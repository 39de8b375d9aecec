package org.backprop4j.backend.reference;

import org.backprop4j.backend.AbstractBackend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;

/**
 * The pure-Java backend: plain loops, every sum accumulated in {@code double} for both dtypes and
 * rounded to {@code float} only when stored. It is the numerical oracle the native backends are
 * checked against, so each kernel is written to be obviously correct rather than fast.
 */
public final class ReferenceBackend extends AbstractBackend {

    /** Creates the reference backend. */
    public ReferenceBackend() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String details() {
        return "pure Java reference kernels, double accumulation";
    }

    // ---- GEMM -------------------------------------------------------------------------------
    // Element (i, p) of op(A) sits at aRow + p * aStep with aRow = offA + i * lda, aStep = 1 when A
    // is used as stored, and aRow = offA + i, aStep = lda when A is stored transposed as (k, m).
    // Element (p, j) of op(B) likewise at bCol + p * bStep. One double accumulator per element of C.

    // C = alpha op(A) op(B) + beta C
    // op(A) is (m, k), op(B) is (k, n), C is (m, n)
    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k,
                          float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                          float beta, float[] c, int offC, int ldc) {
        boolean readAB = alpha != 0 && k > 0;
        int aStep = transA.isTransposed() ? lda : 1;
        int bStep = transB.isTransposed() ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            int aRow = transA.isTransposed() ? offA + i : offA + i * lda;
            int cRow = offC + i * ldc;
            for (int j = 0; j < n; j++) {
                double ab = 0;
                if (readAB) {
                    int bCol = transB.isTransposed() ? offB + j * ldb : offB + j;
                    for (int p = 0; p < k; p++) {
                        ab += (double) a[aRow + p * aStep] * b[bCol + p * bStep];
                    }
                }
                // beta == 0 must not read C: 0 * NaN would be NaN.
                double old = beta == 0 ? 0 : beta * (double) c[cRow + j];
                c[cRow + j] = (float) (readAB ? alpha * ab + old : old);
            }
        }
    }

    // C = alpha op(A) op(B) + beta C
    // op(A) is (m, k), op(B) is (k, n), C is (m, n)
    @Override
    protected void dgemmK(Transpose transA, Transpose transB, int m, int n, int k,
                          double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
                          double beta, double[] c, int offC, int ldc) {
        boolean readAB = alpha != 0 && k > 0;
        int aStep = transA.isTransposed() ? lda : 1;
        int bStep = transB.isTransposed() ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            int aRow = transA.isTransposed() ? offA + i : offA + i * lda;
            int cRow = offC + i * ldc;
            for (int j = 0; j < n; j++) {
                double ab = 0;
                if (readAB) {
                    int bCol = transB.isTransposed() ? offB + j * ldb : offB + j;
                    for (int p = 0; p < k; p++) {
                        ab += a[aRow + p * aStep] * b[bCol + p * bStep];
                    }
                }
                // beta == 0 must not read C: 0 * NaN would be NaN.
                double old = beta == 0 ? 0 : beta * c[cRow + j];
                c[cRow + j] = readAB ? alpha * ab + old : old;
            }
        }
    }

    // ---- Layer kernels ----------------------------------------------------------------------

    // X[r][c] = g(X[r][c] + bias[c])
    // X is (rows, cols), bias is (cols)
    @Override
    protected void sbiasActivationK(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                    float[] bias, int offBias) {
        for (int r = 0; r < rows; r++) {
            int row = offX + r * ldx;
            for (int c = 0; c < cols; c++) {
                x[row + c] = (float) forward(act, (double) x[row + c] + bias[offBias + c]);
            }
        }
    }

    // X[r][c] = g(X[r][c] + bias[c])
    // X is (rows, cols), bias is (cols)
    @Override
    protected void dbiasActivationK(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                    double[] bias, int offBias) {
        for (int r = 0; r < rows; r++) {
            int row = offX + r * ldx;
            for (int c = 0; c < cols; c++) {
                x[row + c] = forward(act, x[row + c] + bias[offBias + c]);
            }
        }
    }

    // dX[r][c] *= g'(z), taken from the output A[r][c] = g(z)
    // A and dX are (rows, cols)
    @Override
    protected void sactivationBackwardK(Activation act, int rows, int cols, float[] a, int offA, int lda,
                                        float[] dx, int offDx, int lddx) {
        for (int r = 0; r < rows; r++) {
            int aRow = offA + r * lda;
            int dxRow = offDx + r * lddx;
            for (int c = 0; c < cols; c++) {
                dx[dxRow + c] = (float) (dx[dxRow + c] * derivativeFromOutput(act, a[aRow + c]));
            }
        }
    }

    // dX[r][c] *= g'(z), taken from the output A[r][c] = g(z)
    // A and dX are (rows, cols)
    @Override
    protected void dactivationBackwardK(Activation act, int rows, int cols, double[] a, int offA, int lda,
                                        double[] dx, int offDx, int lddx) {
        for (int r = 0; r < rows; r++) {
            int aRow = offA + r * lda;
            int dxRow = offDx + r * lddx;
            for (int c = 0; c < cols; c++) {
                dx[dxRow + c] = dx[dxRow + c] * derivativeFromOutput(act, a[aRow + c]);
            }
        }
    }

    // X[r][c] = exp(X[r][c] - max_r) / Σ_j exp(X[r][j] - max_r)
    // X is (rows, cols)
    @Override
    protected void ssoftmaxK(int rows, int cols, float[] x, int offX, int ldx) {
        for (int r = 0; r < rows; r++) {
            int row = offX + r * ldx;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[row + c] - max);
            }
            // exp is evaluated again rather than stored, so each float is rounded once.
            for (int c = 0; c < cols; c++) {
                x[row + c] = (float) (Math.exp(x[row + c] - max) / sum);
            }
        }
    }

    // X[r][c] = exp(X[r][c] - max_r) / Σ_j exp(X[r][j] - max_r)
    // X is (rows, cols)
    @Override
    protected void dsoftmaxK(int rows, int cols, double[] x, int offX, int ldx) {
        for (int r = 0; r < rows; r++) {
            int row = offX + r * ldx;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[row + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                x[row + c] = Math.exp(x[row + c] - max) / sum;
            }
        }
    }

    // y[c] += Σ_r X[r][c]
    // X is (rows, cols), y is (cols)
    @Override
    protected void scolumnSumsK(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY) {
        for (int c = 0; c < cols; c++) {
            double sum = y[offY + c];
            for (int r = 0; r < rows; r++) {
                sum += x[offX + r * ldx + c];
            }
            y[offY + c] = (float) sum;
        }
    }

    // y[c] += Σ_r X[r][c]
    // X is (rows, cols), y is (cols)
    @Override
    protected void dcolumnSumsK(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY) {
        for (int c = 0; c < cols; c++) {
            double sum = y[offY + c];
            for (int r = 0; r < rows; r++) {
                sum += x[offX + r * ldx + c];
            }
            y[offY + c] = sum;
        }
    }

    // ---- Fused losses -----------------------------------------------------------------------
    // Each element of Z is read before the same element of dZ is written, so dZ may be Z itself.

    // Z = P = softmax(Z); loss = -(1/rows) Σ Y (Z - logSumExp); dZ = (P - Y) / rows
    // Z, Y, dZ are (rows, cols)
    @Override
    protected double ssoftmaxCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz,
                                           float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int zRow = offZ + r * ldz;
            int yRow = offY + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[zRow + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(z[zRow + c] - max);
            }
            double logSum = Math.log(sum);
            for (int c = 0; c < cols; c++) {
                double shifted = z[zRow + c] - max;
                double target = y[yRow + c];
                total += crossEntropyTerm(target, shifted - logSum);
                double p = Math.exp(shifted) / sum;
                z[zRow + c] = (float) p;
                if (dz != null) {
                    dz[offDz + r * lddz + c] = (float) ((p - target) / rows);
                }
            }
        }
        return total / rows;
    }

    // Z = P = softmax(Z); loss = -(1/rows) Σ Y (Z - logSumExp); dZ = (P - Y) / rows
    // Z, Y, dZ are (rows, cols)
    @Override
    protected double dsoftmaxCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz,
                                           double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int zRow = offZ + r * ldz;
            int yRow = offY + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[zRow + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(z[zRow + c] - max);
            }
            double logSum = Math.log(sum);
            for (int c = 0; c < cols; c++) {
                double shifted = z[zRow + c] - max;
                double target = y[yRow + c];
                total += crossEntropyTerm(target, shifted - logSum);
                double p = Math.exp(shifted) / sum;
                z[zRow + c] = p;
                if (dz != null) {
                    dz[offDz + r * lddz + c] = (p - target) / rows;
                }
            }
        }
        return total / rows;
    }

    // Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log(1 + e^-|z|)); dZ = (P - Y) / (rows cols)
    // Z, Y, dZ are (rows, cols)
    @Override
    protected double ssigmoidBinaryCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz,
                                                 float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int zi = offZ + r * ldz + c;
                double logit = z[zi];
                double target = y[offY + r * ldy + c];
                total += binaryCrossEntropyFromLogit(logit, target);
                double p = sigmoid(logit);
                z[zi] = (float) p;
                if (dz != null) {
                    dz[offDz + r * lddz + c] = (float) ((p - target) / count);
                }
            }
        }
        return total / count;
    }

    // Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log(1 + e^-|z|)); dZ = (P - Y) / (rows cols)
    // Z, Y, dZ are (rows, cols)
    @Override
    protected double dsigmoidBinaryCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz,
                                                 double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int zi = offZ + r * ldz + c;
                double logit = z[zi];
                double target = y[offY + r * ldy + c];
                total += binaryCrossEntropyFromLogit(logit, target);
                double p = sigmoid(logit);
                z[zi] = p;
                if (dz != null) {
                    dz[offDz + r * lddz + c] = (p - target) / count;
                }
            }
        }
        return total / count;
    }

    // loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols)
    // A, Y, dA are (rows, cols)
    @Override
    protected double smeanSquaredErrorK(int rows, int cols, float[] a, int offA, int lda,
                                        float[] y, int offY, int ldy, float[] da, int offDa, int ldda) {
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double diff = (double) a[offA + r * lda + c] - y[offY + r * ldy + c];
                total += diff * diff;
                if (da != null) {
                    da[offDa + r * ldda + c] = (float) (2 * diff / count);
                }
            }
        }
        return total / count;
    }

    // loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols)
    // A, Y, dA are (rows, cols)
    @Override
    protected double dmeanSquaredErrorK(int rows, int cols, double[] a, int offA, int lda,
                                        double[] y, int offY, int ldy, double[] da, int offDa, int ldda) {
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double diff = a[offA + r * lda + c] - y[offY + r * ldy + c];
                total += diff * diff;
                if (da != null) {
                    da[offDa + r * ldda + c] = 2 * diff / count;
                }
            }
        }
        return total / count;
    }

    // ---- Vector operations ------------------------------------------------------------------

    // y += alpha x
    // x and y are (n)
    @Override
    protected void saxpyK(int n, float alpha, float[] x, int offX, float[] y, int offY) {
        for (int i = 0; i < n; i++) {
            y[offY + i] = (float) (y[offY + i] + (double) alpha * x[offX + i]);
        }
    }

    // y += alpha x
    // x and y are (n)
    @Override
    protected void daxpyK(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        for (int i = 0; i < n; i++) {
            y[offY + i] += alpha * x[offX + i];
        }
    }

    // x *= alpha, exact zeros when alpha == 0 (0 * NaN would be NaN)
    // x is (n)
    @Override
    protected void sscalK(int n, float alpha, float[] x, int offX) {
        for (int i = 0; i < n; i++) {
            x[offX + i] = alpha == 0 ? 0f : (float) ((double) alpha * x[offX + i]);
        }
    }

    // x *= alpha, exact zeros when alpha == 0 (0 * NaN would be NaN)
    // x is (n)
    @Override
    protected void dscalK(int n, double alpha, double[] x, int offX) {
        for (int i = 0; i < n; i++) {
            x[offX + i] = alpha == 0 ? 0.0 : alpha * x[offX + i];
        }
    }

    // ---- Optimizer steps --------------------------------------------------------------------

    // w -= lr g
    // w and g are (n)
    @Override
    protected void ssgdStepK(int n, float lr, float[] w, int offW, float[] g, int offG) {
        for (int i = 0; i < n; i++) {
            w[offW + i] = (float) (w[offW + i] - (double) lr * g[offG + i]);
        }
    }

    // w -= lr g
    // w and g are (n)
    @Override
    protected void dsgdStepK(int n, double lr, double[] w, int offW, double[] g, int offG) {
        for (int i = 0; i < n; i++) {
            w[offW + i] -= lr * g[offG + i];
        }
    }

    // v = mu v + g; w -= lr (nesterov ? g + mu v : v)     (Sutskever et al. 2013, PyTorch's form)
    // w, g, v are (n)
    @Override
    protected void smomentumStepK(int n, float lr, float mu, boolean nesterov,
                                  float[] w, int offW, float[] g, int offG, float[] v, int offV) {
        for (int i = 0; i < n; i++) {
            double grad = g[offG + i];
            double vel = (double) mu * v[offV + i] + grad;
            double step = nesterov ? grad + mu * vel : vel;
            v[offV + i] = (float) vel;
            w[offW + i] = (float) (w[offW + i] - lr * step);
        }
    }

    // v = mu v + g; w -= lr (nesterov ? g + mu v : v)     (Sutskever et al. 2013, PyTorch's form)
    // w, g, v are (n)
    @Override
    protected void dmomentumStepK(int n, double lr, double mu, boolean nesterov,
                                  double[] w, int offW, double[] g, int offG, double[] v, int offV) {
        for (int i = 0; i < n; i++) {
            double grad = g[offG + i];
            double vel = mu * v[offV + i] + grad;
            double step = nesterov ? grad + mu * vel : vel;
            v[offV + i] = vel;
            w[offW + i] -= lr * step;
        }
    }

    // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
    // (Kingma and Ba 2015, Algorithm 1)     w, g, m, v are (n)
    @Override
    protected void sadamStepK(int n, float lr, float beta1, float beta2, float eps, int t,
                              float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV) {
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < n; i++) {
            double grad = g[offG + i];
            double mom = beta1 * (double) m[offM + i] + (1 - (double) beta1) * grad;
            double var = beta2 * (double) v[offV + i] + (1 - (double) beta2) * grad * grad;
            m[offM + i] = (float) mom;
            v[offV + i] = (float) var;
            w[offW + i] = (float) (w[offW + i]
                    - lr * (mom / correction1) / (Math.sqrt(var / correction2) + eps));
        }
    }

    // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
    // (Kingma and Ba 2015, Algorithm 1)     w, g, m, v are (n)
    @Override
    protected void dadamStepK(int n, double lr, double beta1, double beta2, double eps, int t,
                              double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV) {
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < n; i++) {
            double grad = g[offG + i];
            double mom = beta1 * m[offM + i] + (1 - beta1) * grad;
            double var = beta2 * v[offV + i] + (1 - beta2) * grad * grad;
            m[offM + i] = mom;
            v[offV + i] = var;
            w[offW + i] -= lr * (mom / correction1) / (Math.sqrt(var / correction2) + eps);
        }
    }

    // s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps)     (Hinton, Coursera lecture 6e)
    // w, g, s are (n)
    @Override
    protected void srmspropStepK(int n, float lr, float rho, float eps,
                                 float[] w, int offW, float[] g, int offG, float[] s, int offS) {
        for (int i = 0; i < n; i++) {
            double grad = g[offG + i];
            double sq = rho * (double) s[offS + i] + (1 - (double) rho) * grad * grad;
            s[offS + i] = (float) sq;
            w[offW + i] = (float) (w[offW + i] - lr * grad / (Math.sqrt(sq) + eps));
        }
    }

    // s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps)     (Hinton, Coursera lecture 6e)
    // w, g, s are (n)
    @Override
    protected void drmspropStepK(int n, double lr, double rho, double eps,
                                 double[] w, int offW, double[] g, int offG, double[] s, int offS) {
        for (int i = 0; i < n; i++) {
            double grad = g[offG + i];
            double sq = rho * s[offS + i] + (1 - rho) * grad * grad;
            s[offS + i] = sq;
            w[offW + i] -= lr * grad / (Math.sqrt(sq) + eps);
        }
    }

    // ---- Element functions, in double, shared by both twins ----------------------------------

    /** {@code g(z)} for an element-wise activation. NaN in gives NaN out (also for relu). */
    static double forward(Activation act, double z) {
        switch (act) {
            case IDENTITY:
                return z;
            case RELU:
                return Math.max(0.0, z);
            case LEAKY_RELU:
                return z > 0 ? z : Activation.LEAKY_RELU_SLOPE * z;
            case SIGMOID:
                return sigmoid(z);
            case TANH:
                return Math.tanh(z);
            default:
                throw new IllegalArgumentException(act + " is not element-wise");
        }
    }

    /**
     * {@code g'(z)} from the output {@code a = g(z)}: relu and leaky relu have {@code a > 0}
     * exactly when {@code z > 0}; sigmoid and tanh derivatives are polynomials of {@code a}.
     */
    static double derivativeFromOutput(Activation act, double a) {
        switch (act) {
            case IDENTITY:
                return 1;
            case RELU:
                return a > 0 ? 1 : 0;
            case LEAKY_RELU:
                return a > 0 ? 1 : Activation.LEAKY_RELU_SLOPE;
            case SIGMOID:
                return a * (1 - a);
            case TANH:
                return 1 - a * a;
            default:
                throw new IllegalArgumentException(act + " is not element-wise");
        }
    }

    /** {@code 1 / (1 + e^-z)}, evaluated so that {@code exp} never overflows. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /**
     * {@code -y log p} given {@code log p}. A zero target contributes exactly 0 (the limit of
     * {@code 0 log 0}), so a logit of -Infinity with target 0 does not make the loss NaN.
     */
    static double crossEntropyTerm(double target, double logP) {
        return target == 0 ? 0 : -target * logP;
    }

    /** {@code -(y log p + (1 - y) log(1 - p))} for {@code p = sigmoid(z)}, stable for any {@code z}. */
    static double binaryCrossEntropyFromLogit(double z, double y) {
        return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
