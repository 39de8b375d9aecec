package org.backprop4j.tests;

import org.backprop4j.nn.DType;

/** A {@code float[]} or {@code double[]} operand of a kernel, built from and read back as {@code double}. */
final class Typed {

    final DType dtype;
    final float[] f;
    final double[] d;

    private Typed(DType dtype, float[] f, double[] d) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    /** A copy of {@code values} in {@code dtype} (values are expected to be representable in it). */
    static Typed of(DType dtype, double[] values) {
        if (dtype == DType.FLOAT64) {
            return new Typed(dtype, null, values.clone());
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new Typed(dtype, f, null);
    }

    int length() {
        return d != null ? d.length : f.length;
    }

    double get(int i) {
        return d != null ? d[i] : f[i];
    }

    /** The raw bits of element {@code i}: equal bits mean untouched, NaN payload and zero sign included. */
    long bits(int i) {
        return d != null ? Double.doubleToRawLongBits(d[i]) : Float.floatToRawIntBits(f[i]);
    }

    double[] toDouble() {
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }
}
