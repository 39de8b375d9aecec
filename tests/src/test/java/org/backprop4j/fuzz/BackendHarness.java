package org.backprop4j.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.backprop4j.backend.AbstractBackend;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendStatus;
import org.backprop4j.backend.Backends;
import org.backprop4j.backend.reference.ReferenceBackend;

/**
 * Runs one fuzzed call on the reference backend and on every other available backend, each on its
 * own copy of the arrays, and turns anything but the contract into an {@link AssertionError} (a
 * finding for Jazzer). The contract ({@link Backend}, {@link AbstractBackend}):
 * <ul>
 * <li>a call either completes or throws exactly {@link IllegalArgumentException},
 *     {@link IndexOutOfBoundsException} or {@link NullPointerException}, thrown by the validation
 *     in {@link AbstractBackend} (its top stack frame), before anything is written; an
 *     {@code ArrayIndexOutOfBoundsException} from a kernel, say, is a finding;</li>
 * <li>every backend throws the same exception class as the reference for the same arguments;</li>
 * <li>a completed call changes no element outside the regions its outputs span, bit for bit
 *     (inputs included);</li>
 * <li>a call with nothing to compute returns 0, like the reference;</li>
 * <li>in any regime, the exact contracts a target checks ({@code always}: GEMM with
 *     {@code alpha == 0} or {@code k == 0} gives {@code beta·C}, and {@code beta == 0} overwrites
 *     NaN; {@code scal} by 0 writes zeros);</li>
 * <li>in the tame regime without aliasing, the results are within the
 *     {@link org.backprop4j.crosscheck.ErrorBounds} of the reference's (the target's {@code check}).</li>
 * </ul>
 * A native out-of-bounds access would instead kill the JVM, which Jazzer and Surefire report.
 */
final class BackendHarness {

    static final Backend REFERENCE = new ReferenceBackend();
    /** Every available backend but the reference, which is the oracle. */
    static final List<Backend> BACKENDS = others();
    /** The backends compared with the reference, and why any other is unavailable, for the statistics. */
    private static final String BACKEND_NAMES = names();
    /** {@code -Dbackprop4j.fuzz.verbose}: print every call and its time, e.g. to replay a finding. */
    static final boolean VERBOSE = System.getProperty("backprop4j.fuzz.verbose") != null;

    // Per operation: executions, calls the reference completed, of those calls with work to do.
    private static final Map<String, AtomicLongArray> STATS = new TreeMap<>();

    private BackendHarness() {
    }

    private static List<Backend> others() {
        List<Backend> out = new ArrayList<>();
        for (Backend b : Backends.allAvailable()) {
            if (!(b instanceof ReferenceBackend)) {
                out.add(b);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Runs {@code c} everywhere and checks it. {@code hasWork} says whether the call, if valid, has
     * a non-empty output: only then are results compared (an empty one must return 0 and change
     * nothing). {@code check} compares results in the tame regime and may be null.
     */
    static void run(BackendCase c, boolean hasWork, BackendCase.Call call, BackendCase.Check check) {
        run(c, hasWork, call, check, null);
    }

    /**
     * As {@link #run(BackendCase, boolean, BackendCase.Call, BackendCase.Check)}, with {@code always}
     * checking every completed call with work whatever the regime (exact contracts such as
     * "{@code beta == 0} overwrites NaN"); it sees the reference's result first, then each backend's.
     */
    static void run(BackendCase c, boolean hasWork, BackendCase.Call call, BackendCase.Check check,
                    BackendCase.Check always) {
        long start = System.nanoTime();
        c.build();
        try {
            runBuilt(c, hasWork, call, check, always);
        } finally {
            if (VERBOSE) {
                System.out.print(String.format(Locale.ROOT, "%.3f ms: %s%n", (System.nanoTime() - start) / 1e6,
                        c.describe()));
            }
        }
    }

    private static void runBuilt(BackendCase c, boolean hasWork, BackendCase.Call call, BackendCase.Check check,
                                 BackendCase.Check always) {
        Outcome ref = execute(REFERENCE, c, call);
        count(c.op, ref.thrown == null, hasWork);
        BackendCase.Result refResult = ref.thrown == null ? new BackendCase.Result(REFERENCE, ref.ops, ref.value) : null;
        if (refResult != null && !hasWork && Double.compare(ref.value, 0.0) != 0) {
            throw c.mismatch(REFERENCE, "returned " + ref.value + " for an empty call; a loss must return 0");
        }
        if (always != null && refResult != null && hasWork && !c.aliasing) {
            always.check(refResult, refResult);
        }
        for (Backend b : BACKENDS) {
            Outcome out = execute(b, c, call);
            if (ref.thrown != null || out.thrown != null) {
                if (ref.thrown == null || out.thrown == null || ref.thrown.getClass() != out.thrown.getClass()) {
                    AssertionError e = c.mismatch(b, (out.thrown == null ? "completed" : "threw " + out.thrown)
                            + ", but the reference " + (ref.thrown == null ? "completed" : "threw " + ref.thrown));
                    if (out.thrown != null) {
                        e.initCause(out.thrown);
                    }
                    throw e;
                }
                continue;
            }
            BackendCase.Result result = new BackendCase.Result(b, out.ops, out.value);
            if (!hasWork) {
                // Nothing to compute: a loss must return 0 like the reference.
                if (Double.compare(out.value, ref.value) != 0) {
                    throw c.mismatch(b, "returned " + out.value + " for an empty call, the reference " + ref.value);
                }
                continue; // (and a bound loop over 2^31 empty rows would be slow)
            }
            if (c.aliasing) {
                continue;
            }
            if (always != null) {
                always.check(refResult, result);
            }
            if (check != null && c.src.tame) {
                check.check(refResult, result);
            }
        }
    }

    private record Outcome(Buf[] ops, double value, Throwable thrown) {
    }

    private static Outcome execute(Backend backend, BackendCase c, BackendCase.Call call) {
        Buf[] storages = c.copyStorages();
        Buf[] ops = c.copyOperands(storages);
        double value;
        try {
            value = call.invoke(backend, ops);
        } catch (Throwable t) {
            if (!isValidationError(t)) {
                throw new AssertionError(backend.name() + ": " + c.describe() + ": threw " + t
                        + " (expected IllegalArgumentException, IndexOutOfBoundsException or NullPointerException"
                        + " from the validation in AbstractBackend)", t);
            }
            Buf[] original = c.storages();
            for (int s = 0; s < storages.length; s++) {
                for (int i = 0; i < storages[s].length(); i++) {
                    if (storages[s].bits(i) != original[s].bits(i)) {
                        throw new AssertionError(backend.name() + ": " + c.describe() + ": threw " + t
                                + " but changed element " + i + " of array " + s + " first", t);
                    }
                }
            }
            return new Outcome(null, 0, t);
        }
        boolean[][] writable = c.writable();
        Buf[] original = c.storages();
        for (int s = 0; s < storages.length; s++) {
            for (int i = 0; i < storages[s].length(); i++) {
                if (!writable[s][i] && storages[s].bits(i) != original[s].bits(i)) {
                    throw new AssertionError(String.format(Locale.ROOT,
                            "%s: %s: changed element %d of array %d (%s -> %s), outside every output region",
                            backend.name(), c.describe(), i, s, original[s].get(i), storages[s].get(i)));
                }
            }
        }
        return new Outcome(ops, value, null);
    }

    /** Exactly one of the three documented classes, thrown by AbstractBackend's own checks. */
    static boolean isValidationError(Throwable t) {
        Class<?> k = t.getClass();
        if (k != IllegalArgumentException.class && k != IndexOutOfBoundsException.class
                && k != NullPointerException.class) {
            return false;
        }
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().equals(AbstractBackend.class.getName());
    }

    private static void count(String op, boolean completed, boolean hasWork) {
        AtomicLongArray a;
        synchronized (STATS) {
            a = STATS.computeIfAbsent(op, k -> new AtomicLongArray(3));
        }
        a.incrementAndGet(0);
        if (completed) {
            a.incrementAndGet(1);
            if (hasWork) {
                a.incrementAndGet(2);
            }
        }
    }

    /**
     * When fuzzing (JAZZER_FUZZ set), prints one line per operation, executions and how many reached a
     * kernel, then the target's total: libFuzzer's runs and the regression inputs replayed before them.
     */
    static void printStats(String target) {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty()) {
            return;
        }
        synchronized (STATS) {
            long[] total = new long[3];
            for (Map.Entry<String, AtomicLongArray> e : STATS.entrySet()) {
                AtomicLongArray a = e.getValue();
                // One write per line: libFuzzer writes to the same console from native code.
                System.out.print(String.format(Locale.ROOT, "fuzz %s: %s: %d executions, %d accepted by the validation, "
                                + "%d ran a kernel with work, on reference + %s%n", target, e.getKey(), a.get(0), a.get(1),
                        a.get(2), BACKEND_NAMES));
                for (int i = 0; i < 3; i++) {
                    total[i] += a.get(i);
                }
            }
            System.out.print(String.format(Locale.ROOT, "fuzz %s: %d executions, %d accepted by the validation, %d ran "
                    + "a kernel with work%n", target, total[0], total[1], total[2]));
        }
    }

    private static String names() {
        StringBuilder sb = new StringBuilder();
        for (Backend b : BACKENDS) {
            sb.append(sb.length() == 0 ? "" : ", ").append(b.name());
        }
        if (sb.length() == 0) {
            sb.append("no other backend");
        }
        for (BackendStatus s : Backends.survey()) {
            if (!s.availability().available()) {
                sb.append("; ").append(s.name()).append(" unavailable: ").append(s.availability().detail());
            }
        }
        return sb.toString();
    }
}
