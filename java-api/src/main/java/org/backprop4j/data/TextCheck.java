package org.backprop4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Recognises, from its first bytes, data given to a CSV reader that is not CSV text: an IDX file
 * (MNIST), an HDF5 file, UTF-16 text, or other binary data (a NUL byte, or bytes that are not UTF-8).
 * Without this check such a file fails somewhere in its first lines with a message about columns or
 * quotes that does not say what is wrong; with it, the message says what the file looks like and
 * what reads it.
 *
 * <p>Used by {@link CsvLoader}, and by other readers of the same CSV format.
 */
public final class TextCheck {

    /** How many bytes from the start are examined. */
    public static final int PEEK = 4096;

    /** {@code \211 H D F \r \n \032 \n}: the HDF5 format signature. */
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private TextCheck() {
    }

    /**
     * Throws if the stream does not start like text. The stream is left where it was (it is marked,
     * read up to {@link #PEEK} bytes and reset), so it must support mark; for compressed data, pass the
     * decompressed stream.
     *
     * @param in     the data, at its start, with {@link InputStream#markSupported()}
     * @param source the name messages give the data, e.g. a file name
     * @throws DataFormatException if the first bytes are not CSV text; the message says what they look like
     * @throws IOException         if the stream cannot be read
     */
    public static void requireText(InputStream in, String source) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark and reset, e.g. a BufferedInputStream");
        }
        in.mark(PEEK);
        byte[] head = in.readNBytes(PEEK);
        in.reset();
        String problem = problem(head, head.length, head.length < PEEK, source);
        if (problem != null) {
            throw new DataFormatException(problem, source, 0, 0);
        }
    }

    /**
     * What is wrong with data starting with {@code head[0..length)}, as a whole message naming
     * {@code source}, or null if it looks like text.
     *
     * @param complete the bytes are the whole data (so a multi-byte character cut at the end is an error)
     */
    static String problem(byte[] head, int length, boolean complete, String source) {
        if (length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && (head[3] == 1 || head[3] == 3)) {
            return source + " is an IDX file (MNIST " + (head[3] == 3 ? "images" : "labels") + "), not CSV: use "
                    + "IdxLoader, or on the command line --data mnist:DIR (the directory holding the MNIST files)";
        }
        if (startsWith(head, length, HDF5)) {
            return source + " is an HDF5 file, not CSV: use Hdf5Loader, or on the command line --data FILE.h5 (a name ending in .h5)";
        }
        if (length >= 2 && ((head[0] == (byte) 0xff && head[1] == (byte) 0xfe)
                || (head[0] == (byte) 0xfe && head[1] == (byte) 0xff))) {
            return source + " is UTF-16 text (it starts with a UTF-16 byte order mark), but CSV files are read as "
                    + "UTF-8: save it as UTF-8";
        }
        int nul = -1;
        int odd = 0; // control characters other than tab, line feed, carriage return and form feed
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b == 0 && nul < 0) {
                nul = i;
            }
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7f) {
                odd++;
            }
        }
        int invalid = firstInvalidUtf8(head, length, complete);
        if (nul < 0 && invalid < 0) {
            return null;
        }
        if (nul >= 0 && (invalid < 0 || nul < invalid)) {
            return source + " is binary, not CSV text (a NUL byte at offset " + nul + ")" + hint(source);
        }
        int high = 0;
        for (int i = 0; i < length; i++) {
            if (head[i] < 0) {
                high++;
            }
        }
        String at = String.format(Locale.ROOT, "byte 0x%02x at offset %d is not UTF-8", head[invalid] & 0xff, invalid);
        if (odd == 0 && high * 10 < length) {
            // Mostly ASCII text with a few bytes of another encoding, such as Latin-1.
            return source + " is not UTF-8 text (" + at + "): CSV files are read as UTF-8; if it is text in "
                    + "another encoding, save it as UTF-8";
        }
        return source + " is binary, not CSV text (" + at + ")" + hint(source);
    }

    /** What reads a known kind of binary file, from its name: "; use ..." or "". */
    private static String hint(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".u8")) {
            return "; raw cat vs non-cat images (*_x.u8 with *_y.u8) are read by RawCatLoader, or on the command "
                    + "line --data cat:DIR";
        }
        return "";
    }

    private static boolean startsWith(byte[] head, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The offset of the first byte that is not part of valid UTF-8, or -1. */
    private static int firstInvalidUtf8(byte[] head, int length, boolean complete) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(head, 0, length);
        CharBuffer chars = CharBuffer.allocate(length + 1);
        CoderResult r = decoder.decode(bytes, chars, complete);
        if (r.isError()) {
            return bytes.position();
        }
        if (complete) {
            r = decoder.flush(chars);
            if (r.isError()) {
                return bytes.position();
            }
        }
        return -1;
    }
}
