package org.backprop4j.backend;

/**
 * How many threads a BLAS backend runs its GEMMs on: {@code -Dbackprop4j.threads=N}, else one fewer
 * than the available processors, at least one ({@link #defaultFor}).
 *
 * <p>Why not all of them: the threads of OpenBLAS and of BLIS (OpenMP) wait for each other by
 * spinning, and when one of them loses its core (to the JVM's JIT or GC threads, or to another
 * process) a GEMM runs many times slower than on one thread. Measured on a shared 2-core machine:
 * the openblas backend trained W1 at 119,629 samples/s on 1 thread against 2,233 on 2 under load
 * (idle, 2 threads are about 1.8 times faster on large GEMMs); BLIS 0.9.0 took 0.3 s for the CLI's
 * default {@code train} on 1 thread and 9 to 30 s on 2. Leaving a core free bounds the worst case.
 */
public final class BlasThreads {

    /** The system property with the thread count. */
    public static final String PROPERTY = "backprop4j.threads";

    private BlasThreads() {
    }

    /**
     * The thread count {@value #PROPERTY} asks for, else {@link #defaultFor} the available processors.
     *
     * @throws IllegalArgumentException if the property is set but is not a whole number of at least one
     */
    public static int configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return defaultFor(Runtime.getRuntime().availableProcessors());
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a thread count: use a whole number >= 1");
    }

    /** One fewer than {@code cores}, at least one. */
    public static int defaultFor(int cores) {
        return Math.max(1, cores - 1);
    }
}
