package org.backprop4j.crosscheck;

import java.util.List;
import org.backprop4j.nn.DType;

/**
 * The result of a {@link CrossCheck} run: where it ran, with which settings, and what each backend
 * did against the reference.
 *
 * @param machine          CPU, SIMD features, cores, OS
 * @param jvm              Java version and vendor
 * @param referenceDetails the reference backend's {@link org.backprop4j.backend.Backend#details()}
 * @param seed             the seed of every random shape, operand and training run
 * @param dtypes           the dtypes checked
 * @param quick            true for the reduced set of cases
 * @param backends         one report per backend checked
 * @param unavailable      backends that could not be checked, with the reason
 * @param elapsedMillis    how long the whole run took
 */
public record Report(Machine machine, Jvm jvm, String referenceDetails, long seed, List<DType> dtypes, boolean quick,
                     List<BackendReport> backends, List<Selection.Unavailable> unavailable, long elapsedMillis) {

    /** Makes unmodifiable copies of the lists. */
    public Report {
        dtypes = List.copyOf(dtypes);
        backends = List.copyOf(backends);
        unavailable = List.copyOf(unavailable);
    }

    /** True when every backend checked passed (also when none could be checked). */
    public boolean passed() {
        return backends.stream().allMatch(BackendReport::passed);
    }
}
