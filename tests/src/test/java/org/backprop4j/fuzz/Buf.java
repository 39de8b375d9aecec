package org.backprop4j.fuzz;

import java.util.Arrays;
import org.backprop4j.nn.DType;

/**
 * One array handed to a backend call: a {@code float[]}, a {@code double[]}, or null. Values are
 * read as {@code double} (float32 converts exactly) and compared bit for bit.
 */
final class Buf {

    static final Buf NULL = new Buf(null, null);

    final float[] f;
    final double[] d;

    private Buf(float[] f, double[] d) {
        this.f = f;
        this.d = d;
    }

    static Buf of(DType dtype, int length) {
        return dtype == DType.FLOAT32 ? new Buf(new float[length], null) : new Buf(null, new double[length]);
    }

    boolean isNull() {
        return f == null && d == null;
    }

    int length() {
        return f != null ? f.length : d != null ? d.length : -1;
    }

    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Stores {@code v} rounded to the dtype. */
    void set(int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    /** Raw bits, so that NaN payloads and signed zeros count as changes. */
    long bits(int i) {
        return f != null ? Float.floatToRawIntBits(f[i]) : Double.doubleToRawLongBits(d[i]);
    }

    Buf copy() {
        if (f != null) {
            return new Buf(f.clone(), null);
        }
        return d != null ? new Buf(null, d.clone()) : NULL;
    }

    /** The whole array as doubles, or null. */
    double[] toDouble() {
        if (d != null) {
            return d.clone();
        }
        if (f == null) {
            return null;
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Override
    public String toString() {
        if (isNull()) {
            return "null";
        }
        return (f != null ? "float[" : "double[") + length() + "]"
                + (length() <= 8 ? (f != null ? Arrays.toString(f) : Arrays.toString(d)) : "");
    }
}
