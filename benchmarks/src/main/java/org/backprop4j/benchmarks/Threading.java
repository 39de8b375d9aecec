package org.backprop4j.benchmarks;

import org.backprop4j.backend.Backend;
import org.backprop4j.openblas.OpenBlasBackend;

/** Applies the thread settings of a benchmark to an openblas backend (other backends have none). */
final class Threading {

    private Threading() {
    }

    /**
     * @param threads     OpenBLAS threads, or "default" to keep the configured count
     * @param parallelMin GEMMs below this many multiply-adds run on one thread, or "default"
     */
    static void apply(Backend backend, String threads, String parallelMin) {
        if (backend instanceof OpenBlasBackend) {
            OpenBlasBackend b = (OpenBlasBackend) backend;
            if (!threads.equals("default")) {
                b.setThreads(Integer.parseInt(threads));
            }
            if (!parallelMin.equals("default")) {
                b.setParallelGemmMin(Long.parseLong(parallelMin));
            }
        }
    }
}
