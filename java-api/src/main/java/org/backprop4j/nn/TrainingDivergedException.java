package org.backprop4j.nn;

/**
 * Training stopped because the cost became NaN or infinite. The message names the iteration and
 * the likely cause; the network keeps the weights it had at the end of the last good epoch, and
 * {@link #history()} holds what happened up to the failure.
 */
public class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TrainingHistory history;

    /** Creates the exception with its message and the history up to the failure. */
    public TrainingDivergedException(String message, TrainingHistory history) {
        super(message);
        this.history = history;
    }

    /** The costs and epochs up to the failure. */
    public TrainingHistory history() {
        return history;
    }
}
