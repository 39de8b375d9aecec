package org.backprop4j.crosscheck;

import org.backprop4j.nn.DType;

/**
 * A {@code float[]} or {@code double[]} operand of a {@link TypedBackend} call, built from and read
 * back as {@code double}.
 */
public final class TypedArray {

    final float[] f;
    final double[] d;

    private TypedArray(float[] f, double[] d) {
        this.f = f;
        this.d = d;
    }

    /** A copy of {@code values} in {@code dtype} (the values are representable in it); null stays null. */
    public static TypedArray of(DType dtype, double[] values) {
        if (values == null) {
            return null;
        }
        if (dtype == DType.FLOAT64) {
            return new TypedArray(null, values.clone());
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new TypedArray(f, null);
    }

    /** The number of elements. */
    public int length() {
        return d != null ? d.length : f.length;
    }

    /** Element {@code i}, widened to {@code double}. */
    public double get(int i) {
        return d != null ? d[i] : f[i];
    }

    /** The raw bits of element {@code i}: equal bits mean untouched, NaN payload and zero sign included. */
    public long bits(int i) {
        return d != null ? Double.doubleToRawLongBits(d[i]) : Float.floatToRawIntBits(f[i]);
    }

    /** All elements, widened to {@code double}. */
    public double[] toDouble() {
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }
}
