package org.backprop4j.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.backprop4j.backend.Backend;

/**
 * One fuzzed backend call: its arguments (for messages), its array operands as built (never handed
 * to a backend, so they keep the values from before the call), and the regions the call may write.
 *
 * <p>Operands normally get an array each. One input in 16 is an <em>aliasing</em> case, where all
 * operands share one array, as a careless caller might pass them; results are then not compared
 * (the interface does not define them), but the call must still not crash nor write outside the
 * regions its outputs span.
 */
final class BackendCase {

    /** Makes the call on {@code ops}, the operands in the order they were added; returns a loss or 0. */
    interface Call {
        double invoke(Backend backend, Buf[] ops);
    }

    /**
     * Compares a backend's completed call with the reference's (tame, non-aliasing cases only) and
     * fails with {@link BackendCase#mismatch} if a result is off.
     */
    interface Check {
        void check(Result reference, Result actual);
    }

    /** The operands after a completed call, and its return value. */
    record Result(Backend backend, Buf[] ops, double value) {
    }

    final String op;
    final ArgSource src;
    /** True when operands share arrays in a way the interface does not define; results are then not compared. */
    boolean aliasing;

    private final List<Object> args = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final List<Boolean> nonNegative = new ArrayList<>();
    private final List<Integer> sameAs = new ArrayList<>();
    private final List<int[]> writes = new ArrayList<>();
    private Buf[] storages;
    private int[] storageOf;
    private Buf[] before;

    BackendCase(String op, ArgSource src) {
        this.op = op;
        this.src = src;
        this.aliasing = src.oneIn(16);
    }

    /** Records a scalar or enum argument for messages; returns it. */
    <T> T arg(String name, T value) {
        args.add(name);
        args.add(value);
        return value;
    }

    int arg(String name, int value) {
        args.add(name);
        args.add(value);
        return value;
    }

    double arg(String name, double value) {
        args.add(name);
        args.add(value);
        return value;
    }

    /**
     * Adds a {@code (rows, cols)} operand at {@code off} with leading dimension {@code ld}; its array
     * length (or null) is drawn by {@link ArgSource#length}. Returns the operand's index.
     */
    int matrix(String name, int rows, int cols, int ld, int off, boolean nonNegativeValues) {
        int length = src.length(ArgSource.extent(off, ld, rows, cols));
        args.add(name);
        args.add(new LengthArg(length));
        lengths.add(length);
        nonNegative.add(nonNegativeValues);
        sameAs.add(-1);
        return lengths.size() - 1;
    }

    /** Adds an {@code n}-element operand at {@code off}. */
    int vector(String name, int n, int off, boolean nonNegativeValues) {
        return matrix(name, 1, n, Math.max(1, n), off, nonNegativeValues);
    }

    /** Adds an operand that is the very array of {@code operand} (e.g. {@code dz == z}). */
    int same(String name, int operand) {
        args.add(name);
        args.add("same array as operand " + operand);
        lengths.add(lengths.get(operand));
        nonNegative.add(false);
        sameAs.add(operand);
        return lengths.size() - 1;
    }

    /** Adds a null operand. */
    int none(String name) {
        args.add(name);
        args.add(new LengthArg(-1));
        lengths.add(-1);
        nonNegative.add(false);
        sameAs.add(-1);
        return lengths.size() - 1;
    }

    /** Declares that a completed call may write the {@code (rows, cols)} region of {@code operand}. */
    void writes(int operand, int off, int ld, int rows, int cols) {
        if (rows > 0 && cols > 0) {
            writes.add(new int[] {operand, off, ld, rows, cols});
        }
    }

    /** Creates the arrays; call after every operand has been added. */
    void build() {
        int n = lengths.size();
        storageOf = new int[n];
        List<Buf> made = new ArrayList<>();
        int shared = -1;
        if (aliasing) {
            int max = -1;
            for (int length : lengths) {
                max = Math.max(max, length);
            }
            if (max >= 0) {
                shared = 0;
                made.add(src.array(max, false));
            }
        }
        for (int i = 0; i < n; i++) {
            int length = lengths.get(i);
            if (sameAs.get(i) >= 0) {
                storageOf[i] = storageOf[sameAs.get(i)];
            } else if (length < 0) {
                storageOf[i] = made.size();
                made.add(Buf.NULL);
            } else if (shared >= 0) {
                storageOf[i] = shared;
            } else {
                storageOf[i] = made.size();
                made.add(src.array(length, nonNegative.get(i)));
            }
        }
        storages = made.toArray(new Buf[0]);
        before = new Buf[n];
        for (int i = 0; i < n; i++) {
            before[i] = storages[storageOf[i]];
        }
    }

    /** The operand as it was before any call. Not to be modified. */
    Buf before(int operand) {
        return before[operand];
    }

    /** Fresh copies of the arrays, one per storage, so aliasing operands stay aliased. */
    Buf[] copyOperands(Buf[] storageCopies) {
        Buf[] ops = new Buf[storageOf.length];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = storageCopies[storageOf[i]];
        }
        return ops;
    }

    Buf[] copyStorages() {
        Buf[] copies = new Buf[storages.length];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = storages[i].copy();
        }
        return copies;
    }

    Buf[] storages() {
        return storages;
    }

    /** For each storage, which elements a completed call may have changed. */
    boolean[][] writable() {
        boolean[][] mask = new boolean[storages.length][];
        for (int s = 0; s < storages.length; s++) {
            mask[s] = new boolean[Math.max(0, storages[s].length())];
        }
        for (int[] w : writes) {
            boolean[] m = mask[storageOf[w[0]]];
            int off = w[1];
            int ld = w[2];
            for (int r = 0; r < w[3]; r++) {
                long row = off + (long) r * ld;
                if (row < 0 || row >= m.length) {
                    break;
                }
                for (int c = 0; c < w[4] && row + c < m.length; c++) {
                    m[(int) (row + c)] = true;
                }
            }
        }
        return mask;
    }

    /** The call as a line: operation, dtype, regime and every argument. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(op).append(String.format(Locale.ROOT, " [%s, %s%s](", src.dtype, src.tame ? "tame" : "wild",
                aliasing ? ", all operands in one array" : ""));
        for (int i = 0; i < args.size(); i += 2) {
            sb.append(i == 0 ? "" : ", ").append(args.get(i)).append('=').append(args.get(i + 1));
        }
        sb.append(')');
        if (aliasing && storages != null && storages.length > 0) {
            sb.append(", the shared array has ").append(storages[0].length()).append(" elements");
        }
        return sb.toString();
    }

    /** A failed comparison: the backend, the call, what differs. */
    AssertionError mismatch(Backend backend, String what) {
        return new AssertionError(backend.name() + ": " + describe() + ": " + what);
    }

    private record LengthArg(int length) {
        @Override
        public String toString() {
            return length < 0 ? "null" : "array[" + length + "]";
        }
    }
}
