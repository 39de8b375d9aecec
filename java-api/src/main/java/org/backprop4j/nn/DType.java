package org.backprop4j.nn;

import java.util.Locale;

/** Element type of parameters, activations and data: 32-bit or 64-bit IEEE floating point. */
public enum DType {
    /** {@code float}, 4 bytes, unit roundoff 2^-24. */
    FLOAT32("float32", 4),
    /** {@code double}, 8 bytes, unit roundoff 2^-53. */
    FLOAT64("float64", 8);

    private final String id;
    private final int bytes;

    DType(String id, int bytes) {
        this.id = id;
        this.bytes = bytes;
    }

    /** {@code "float32"} or {@code "float64"}. */
    public String id() {
        return id;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True if {@code v} is finite and stays finite when stored in this type (float32 ends at about 3.4e38). */
    public boolean holds(double v) {
        return this == FLOAT32 ? Math.abs(v) <= Float.MAX_VALUE : Double.isFinite(v);
    }

    /** Unit roundoff {@code u}: half the distance from 1 to the next larger number. */
    public double unitRoundoff() {
        return this == FLOAT32 ? 0x1p-24 : 0x1p-53;
    }

    /**
     * Parses {@code float32}/{@code float}/{@code f32} or {@code float64}/{@code double}/{@code f64}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DType parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "float32": case "float": case "f32": case "fp32": return FLOAT32;
            case "float64": case "double": case "f64": case "fp64": return FLOAT64;
            default:
                throw new IllegalArgumentException("unknown dtype '" + name + "': use float32 or float64");
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
