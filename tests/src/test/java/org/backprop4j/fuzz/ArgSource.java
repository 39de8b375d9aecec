package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.SplittableRandom;
import org.backprop4j.nn.DType;

/**
 * Turns the fuzzer's bytes into the arguments of one backend call.
 *
 * <p>Every integer argument is drawn from a mix: mostly values that make a call valid or nearly
 * valid (small dimensions, leading dimensions a little wider than their rows, offsets near 0,
 * arrays exactly as long as the operand needs, or one or two elements longer or shorter), so that
 * the kernels run often; and sometimes edge values (0, ±1, powers of two, {@code 46341} whose
 * square overflows, {@code Integer.MIN_VALUE}/{@code MAX_VALUE}) or any int at all. Arrays have at
 * most {@value #MAX_ELEMENTS} elements so one execution stays fast, and may be null.
 *
 * <p>Values come in two regimes, chosen once per input:
 * <ul>
 * <li><em>tame</em>: multiples of 1/64 in [−8, 8] (exact in both dtypes) and realistic scalars, the
 *     regime the {@link org.backprop4j.crosscheck.ErrorBounds} are sound for, so results are
 *     compared with the reference;</li>
 * <li><em>wild</em>: any bit pattern, NaN, infinities, huge and subnormal numbers; only crashes,
 *     exceptions and writes outside the outputs are checked.</li>
 * </ul>
 * Array contents come from a {@link SplittableRandom} seeded by the input, not byte by byte: the
 * fuzzer steers shapes and scalars, which is where crashes hide, and inputs stay short.
 */
final class ArgSource {

    static final int MAX_ELEMENTS = 4096;

    private static final int[] EDGE_INTS = {
        0, 1, 2, 3, -1, -2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 4095, 4096, 4097,
        1 << 16, (1 << 16) + 1, 46340, 46341, 1 << 30, (1 << 30) + 1,
        Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE, Integer.MIN_VALUE + 1,
    };

    private static final double[] EDGE_VALUES = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -1, 0.5,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        1e30, -1e30, 1e300, -1e300, 88.8, -88.8, 89, -104, 709.8, -745.2, 1e-40, 3.4e38,
    };

    final FuzzedDataProvider data;
    final DType dtype;
    /** True when values and scalars stay where results can be compared with the reference. */
    final boolean tame;
    private final SplittableRandom rnd;
    private final int edgePercent;

    ArgSource(FuzzedDataProvider data) {
        this.data = data;
        this.dtype = data.consumeBoolean() ? DType.FLOAT64 : DType.FLOAT32;
        this.tame = data.consumeInt(0, 3) != 3;
        this.rnd = new SplittableRandom(data.consumeLong());
        this.edgePercent = data.consumeInt(0, 100);
    }

    // ---- Integers ---------------------------------------------------------------------------

    int edgeInt() {
        return EDGE_INTS[data.consumeInt(0, EDGE_INTS.length - 1)];
    }

    /**
     * A dimension: usually 1 to 20, sometimes 0 to 80 or up to the array cap, an edge value or any
     * int. (An exhausted input reads as zeros, which makes a valid 1 × 1 call.)
     */
    int dim() {
        switch (data.consumeInt(0, 9)) {
            case 0: case 1: case 2: case 3: case 4:
                return data.consumeInt(1, 20);
            case 5: case 6:
                return data.consumeInt(0, 80);
            case 7:
                return data.consumeInt(0, MAX_ELEMENTS + 1);
            case 8:
                return edgeInt();
            default:
                return data.consumeInt();
        }
    }

    /** A leading dimension for rows {@code rowWidth} wide: usually valid, sometimes one short, edge or any. */
    int ld(int rowWidth) {
        long min = Math.max(1, rowWidth);
        switch (data.consumeInt(0, 9)) {
            case 0: case 1: case 2: case 3: case 4: case 5:
                return saturate(min + data.consumeInt(0, 3));
            case 6:
                return saturate(min + data.consumeInt(0, 64));
            case 7:
                return saturate(min - 1);
            case 8:
                return edgeInt();
            default:
                return data.consumeInt();
        }
    }

    /** An offset: usually a few elements, sometimes anywhere in an array, an edge value or any int. */
    int offset() {
        switch (data.consumeInt(0, 9)) {
            case 0: case 1: case 2: case 3: case 4: case 5: case 6:
                return data.consumeInt(0, 8);
            case 7:
                return data.consumeInt(0, MAX_ELEMENTS);
            case 8:
                return edgeInt();
            default:
                return data.consumeInt();
        }
    }

    /**
     * The length of an array that should hold {@code needed} elements (its last index plus one):
     * usually exactly that or a little more, sometimes a little less, any length up to the cap,
     * or -1 for a null array.
     */
    int length(long needed) {
        long candidate;
        switch (data.consumeInt(0, 9)) {
            case 0: case 1: case 2: case 3: case 4:
                candidate = needed;
                break;
            case 5:
                candidate = needed + data.consumeInt(1, 3);
                break;
            case 6:
                candidate = needed - data.consumeInt(1, 3);
                break;
            case 7:
                return data.consumeInt(0, MAX_ELEMENTS);
            case 8:
                return -1;
            default:
                return 0;
        }
        return candidate >= 0 && candidate <= MAX_ELEMENTS ? (int) candidate : data.consumeInt(0, MAX_ELEMENTS);
    }

    /** Elements a {@code (rows, cols)} operand at {@code off} spans: its last index plus one (0 if empty). */
    static long extent(int off, int ld, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            return Math.max(0, off);
        }
        return Math.max(0, off + (long) (rows - 1) * ld + cols);
    }

    private static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** One of {@code values}, or now and then null. */
    <E> E pick(E[] values) {
        int i = data.consumeInt(0, 4 * values.length);
        return i == 4 * values.length ? null : values[i % values.length];
    }

    boolean bool() {
        return data.consumeBoolean();
    }

    /** True for about one input in {@code n}. */
    boolean oneIn(int n) {
        return data.consumeInt(0, n - 1) == 0;
    }

    // ---- Scalars and values -----------------------------------------------------------------

    /** Tame: one of {@code choices}; wild: an edge value, any double, or a multiple of 1/64. Rounded to the dtype. */
    double scalar(double... choices) {
        if (tame) {
            return round(choices[data.consumeInt(0, choices.length - 1)]);
        }
        switch (data.consumeInt(0, 3)) {
            case 0:
                return round(EDGE_VALUES[data.consumeInt(0, EDGE_VALUES.length - 1)]);
            case 1:
                return round(data.consumeDouble());
            case 2:
                return round(Float.intBitsToFloat(data.consumeInt()));
            default:
                return data.consumeInt(-1024, 1024) / 64.0;
        }
    }

    double round(double v) {
        return dtype == DType.FLOAT32 ? (double) (float) v : v;
    }

    /** A value for an array element; {@code nonNegative} applies to tame values (second moments). */
    double value(boolean nonNegative) {
        if (tame) {
            if (rnd.nextInt(8) == 0) {
                return 0;
            }
            int k = nonNegative ? rnd.nextInt(0, 513) : rnd.nextInt(-512, 513);
            return k / 64.0;
        }
        if (rnd.nextInt(100) < edgePercent) {
            return round(EDGE_VALUES[rnd.nextInt(EDGE_VALUES.length)]);
        }
        switch (rnd.nextInt(3)) {
            case 0:
                return dtype == DType.FLOAT32 ? Float.intBitsToFloat(rnd.nextInt()) : Double.longBitsToDouble(rnd.nextLong());
            case 1:
                return round(rnd.nextDouble(-1e4, 1e4));
            default:
                return rnd.nextInt(-512, 513) / 64.0;
        }
    }

    /** A new array of {@code length} elements filled with {@link #value}, or null for a negative length. */
    Buf array(int length, boolean nonNegative) {
        if (length < 0) {
            return Buf.NULL;
        }
        Buf b = Buf.of(dtype, length);
        for (int i = 0; i < length; i++) {
            b.set(i, value(nonNegative));
        }
        return b;
    }
}
