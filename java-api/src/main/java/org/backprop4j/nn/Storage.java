package org.backprop4j.nn;

import java.util.Arrays;

/**
 * A flat array of one {@link DType}: exactly one of {@link #f} and {@link #d} is non-null. Lets the
 * network code be written once for both dtypes; {@link Kernels} picks the backend twin.
 */
final class Storage {

    final DType dtype;
    final float[] f;
    final double[] d;

    private Storage(DType dtype, float[] f, double[] d) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    static Storage allocate(DType dtype, int length) {
        return dtype == DType.FLOAT32 ? new Storage(dtype, new float[length], null)
                : new Storage(dtype, null, new double[length]);
    }

    int length() {
        return f != null ? f.length : d.length;
    }

    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    void set(int i, double value) {
        if (f != null) {
            f[i] = (float) value;
        } else {
            d[i] = value;
        }
    }

    void fill(double value) {
        if (f != null) {
            Arrays.fill(f, (float) value);
        } else {
            Arrays.fill(d, value);
        }
    }

    /** Sets elements {@code [from, from + n)} to {@code value}. */
    void fill(int from, int n, double value) {
        if (f != null) {
            Arrays.fill(f, from, from + n, (float) value);
        } else {
            Arrays.fill(d, from, from + n, value);
        }
    }

    /** Copies all of {@code src} (same dtype and length) into this. */
    void copyFrom(Storage src) {
        if (f != null) {
            System.arraycopy(src.f, 0, f, 0, f.length);
        } else {
            System.arraycopy(src.d, 0, d, 0, d.length);
        }
    }

    /** A copy of the values as {@code double}. */
    double[] toDoubleArray() {
        if (d != null) {
            return d.clone();
        }
        double[] out = new double[f.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** A new storage of {@code dtype} holding {@code values} (rounded to float for float32). */
    static Storage of(DType dtype, double[] values) {
        Storage s = allocate(dtype, values.length);
        for (int i = 0; i < values.length; i++) {
            s.set(i, values[i]);
        }
        return s;
    }

    /** A copy of this storage converted to {@code dtype}. */
    Storage as(DType dtype) {
        return of(dtype, toDoubleArray());
    }
}
