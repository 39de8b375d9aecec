package org.backprop4j.crosscheck;

import org.backprop4j.nn.DType;

/**
 * How one kernel of a backend compared with the reference backend over all its cases in one
 * dtype. A fused kernel has one result per output (probabilities, gradient, loss value).
 *
 * @param kernel   the kernel as {@link org.backprop4j.backend.Backend} names it without its
 *                 {@code s}/{@code d} prefix, and what distinguishes the row: {@code "gemm NT"},
 *                 {@code "biasActivation relu"}, {@code "softmaxCrossEntropy dZ"},
 *                 {@code "momentumStep nesterov"}
 * @param dtype    float32 ({@code s} kernels) or float64 ({@code d} kernels)
 * @param cases    how many calls were compared
 * @param maxError the largest {@code |actual − reference|} over every element checked (infinite
 *                 where one side is NaN and the other not)
 * @param maxRatio the largest error as a fraction of its {@link ErrorBounds} bound; the kernel
 *                 passes when it is at most 1. A write outside the output, a change to an input or
 *                 an exception counts as infinite.
 * @param worst    where {@code maxRatio} was reached: kernel, case (shape, scalars, offsets,
 *                 leading dimensions), element, both values and the bound; null if every error was 0
 */
public record KernelResult(String kernel, DType dtype, int cases, double maxError, double maxRatio, String worst) {

    /** True when every error was within its bound. */
    public boolean passed() {
        return maxRatio <= 1;
    }
}
