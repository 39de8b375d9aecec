package org.backprop4j.data;

/**
 * A data file whose content cannot be turned into a {@link Dataset}: a value that is not a number,
 * a row of the wrong width, a missing label column, an empty file, and so on.
 *
 * <p>The message names the file and, where known, the line and column, for example
 * {@code digits.csv line 17, column 5: 'abc' is not a number}. The same location is readable from
 * {@link #source()}, {@link #line()} and {@link #column()}. (Not to be confused with
 * {@code java.util.zip.DataFormatException}, which is checked and about compressed streams.)
 */
public class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The file or resource name. */
    private final String source;
    /** The 1-based line number, or 0. */
    private final int line;
    /** The 1-based column number, or 0. */
    private final int column;

    /**
     * @param message the whole message, location included
     * @param source  the file or resource name, as shown to the user
     * @param line    1-based line number, or 0 when the problem is not on one line
     * @param column  1-based column number, or 0 when the problem is not in one column
     * @param cause   the underlying exception, or null
     */
    public DataFormatException(String message, String source, int line, int column, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** {@link #DataFormatException(String, String, int, int, Throwable)} without a cause. */
    public DataFormatException(String message, String source, int line, int column) {
        this(message, source, line, column, null);
    }

    /** The file or resource name. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 when unknown or not about one line. */
    public int line() {
        return line;
    }

    /** The 1-based column number, or 0 when unknown or not about one column. */
    public int column() {
        return column;
    }
}
