package org.backprop4j.nn;

import java.io.IOException;

/**
 * A model file cannot be read: it is not a backprop4j model, it is truncated or corrupt, or it was
 * written by a newer format version. The message names the file, the problem and, where it helps,
 * the byte offset.
 */
public class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with its message. */
    public ModelFormatException(String message) {
        super(message);
    }
}
