package org.backprop4j.crosscheck;

import java.util.List;

/**
 * Everything {@link CrossCheck#check} found about one backend.
 *
 * @param name          the backend's name
 * @param details       its {@link org.backprop4j.backend.Backend#details()}: library, version, threads
 * @param kernels       one result per kernel (and per output of a fused kernel) and dtype
 * @param training      one result per training workload
 * @param elapsedMillis how long the checks took, reference runs included
 */
public record BackendReport(String name, String details, List<KernelResult> kernels, List<TrainingResult> training,
                            long elapsedMillis) {

    /** Makes unmodifiable copies of the lists. */
    public BackendReport {
        kernels = List.copyOf(kernels);
        training = List.copyOf(training);
    }

    /** True when every kernel and every training run passed. */
    public boolean passed() {
        return kernels.stream().allMatch(KernelResult::passed) && training.stream().allMatch(TrainingResult::passed);
    }

    /** The kernel results that failed. */
    public List<KernelResult> failedKernels() {
        return kernels.stream().filter(k -> !k.passed()).toList();
    }

    /** The training results that failed. */
    public List<TrainingResult> failedTraining() {
        return training.stream().filter(t -> !t.passed()).toList();
    }
}
