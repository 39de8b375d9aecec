package org.backprop4j.backend;

/** Whether a GEMM operand is used as stored ({@link #NO_TRANS}) or transposed ({@link #TRANS}). */
public enum Transpose {
    /** The operand is used as stored. */
    NO_TRANS,
    /** The operand is used transposed. */
    TRANS;

    /** True for {@link #TRANS}. */
    public boolean isTransposed() {
        return this == TRANS;
    }
}
