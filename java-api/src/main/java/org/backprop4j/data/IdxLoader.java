package org.backprop4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.backprop4j.nn.DType;

/**
 * Reads images and labels in the IDX format of MNIST (and of Fashion-MNIST, which uses the same
 * files): plain or gzip-compressed, recognized by the gzip magic bytes {@code 1f 8b} whatever the
 * file name.
 *
 * <pre>{@code
 * Dataset train = IdxLoader.mnist(Path.of("data/mnist"), true, DType.FLOAT32);   // 60000 x 784, x/255
 * Dataset raw = IdxLoader.create().scalePixels(false)
 *         .load(Path.of("t10k-images-idx3-ubyte.gz"), Path.of("t10k-labels-idx1-ubyte.gz"));
 * }</pre>
 *
 * <p>Format (after decompression; header integers are 32-bit big-endian):
 * <pre>
 * images: int32 magic 0x00000803 (unsigned bytes, 3 dimensions), int32 count, int32 rows, int32 columns,
 *         then count x rows x columns pixel bytes, row-major: image i, row r, column c at
 *         16 + (i*rows + r)*columns + c
 * labels: int32 magic 0x00000801 (unsigned bytes, 1 dimension), int32 count, then count label bytes
 * </pre>
 * A sample's features are its pixels in that order ({@code r*columns + c}), scaled to {@code x/255}
 * by default.
 *
 * <p>Every problem with a file's content is a {@link DataFormatException} whose message names the
 * file and the byte offset (of the decompressed data, for gzip): a wrong magic number, a count or a
 * size that does not fit, a file that ends early or goes on after the last image, label and image
 * counts that differ, a label outside the classes. A header is never trusted for an allocation:
 * the buffer grows only as data actually arrives, so a forged count in a small file fails cleanly.
 * I/O failures are {@link IOException}s.
 */
public final class IdxLoader {

    /** Magic number of an image file: unsigned bytes ({@code 0x08}), 3 dimensions. */
    public static final int IMAGE_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes ({@code 0x08}), 1 dimension. */
    public static final int LABEL_MAGIC = 0x00000801;

    private static final int IMAGE_HEADER_BYTES = 16;
    private static final int LABEL_HEADER_BYTES = 8;
    private static final int UNSIGNED_BYTE = 0x08;
    /** The largest array length every JVM allows. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** First buffer size where the decompressed length is unknown; it doubles as data arrives. */
    private static final int FIRST_CHUNK = 1 << 20;

    /** Images as stored: {@code count × rows × columns} unsigned bytes (read them as {@code b & 0xFF}). */
    public record Images(int count, int rows, int columns, byte[] pixels) {
        /** Pixels per image. */
        public int pixelsPerImage() {
            return rows * columns;
        }

        /** Pixel {@code (r, c)} of image {@code i}, 0..255. */
        public int pixel(int i, int r, int c) {
            return pixels[(i * rows + r) * columns + c] & 0xFF;
        }
    }

    private final boolean scalePixels;
    private final int classCount;
    private final DType dtype;

    private IdxLoader(boolean scalePixels, int classCount, DType dtype) {
        this.scalePixels = scalePixels;
        this.classCount = classCount;
        this.dtype = dtype;
    }

    /** A loader with the defaults: pixels scaled to {@code x/255}, 10 classes, {@link DType#FLOAT32}. */
    public static IdxLoader create() {
        return new IdxLoader(true, 10, DType.FLOAT32);
    }

    /** The same loader storing features as {@code dtype}. */
    public IdxLoader dtype(DType dtype) {
        return new IdxLoader(scalePixels, classCount, Objects.requireNonNull(dtype, "dtype"));
    }

    /** The same loader scaling pixels to {@code x/255} (true, the default) or keeping them as 0..255 (false). */
    public IdxLoader scalePixels(boolean scale) {
        return new IdxLoader(scale, classCount, dtype);
    }

    /** The same loader expecting labels {@code 0..classCount-1} (default 10); a larger label is an error. */
    public IdxLoader classCount(int classCount) {
        if (classCount < 2 || classCount > 256) {
            throw new IllegalArgumentException("classCount must be in [2, 256] (labels are bytes), got " + classCount);
        }
        return new IdxLoader(scalePixels, classCount, dtype);
    }

    /**
     * Reads an image file and its label file into a dataset of {@code rows × columns} features per
     * sample.
     *
     * @throws DataFormatException if either file is not valid IDX, or they do not belong together
     * @throws IOException         if a file cannot be read
     */
    public Dataset load(Path images, Path labels) throws IOException {
        Images x = readImages(images);
        int[] y = readLabels(labels);
        if (y.length != x.count()) {
            throw new DataFormatException(String.format(Locale.ROOT,
                    "%s: the header at byte 4 says %,d labels, but %s holds %,d images; the files do not belong together",
                    name(labels), y.length, name(images), x.count()), name(labels), 0, 0);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= classCount) {
                throw new DataFormatException(String.format(Locale.ROOT,
                        "%s: label %d of sample %,d (byte %,d) is not below the class count %d",
                        name(labels), y[i], i, LABEL_HEADER_BYTES + (long) i, classCount), name(labels), 0, 0);
            }
        }
        double[] table = new double[256];
        for (int v = 0; v < 256; v++) {
            table[v] = scalePixels ? v / 255.0 : v;
        }
        byte[] pixels = x.pixels();
        double[] features = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = table[pixels[i] & 0xFF];
        }
        return Dataset.ofClasses(features, x.pixelsPerImage(), y, classCount, dtype);
    }

    /**
     * MNIST from a directory holding the standard files, {@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * each with or without {@code .gz} (a dot instead of the dash before {@code idx} is accepted too):
     * 784 features scaled to {@code x/255}, 10 classes.
     *
     * @param train the 60,000 training images (true) or the 10,000 test images (false)
     * @throws NoSuchFileException  if a file is missing, naming the names tried
     * @throws DataFormatException  if a file is not valid, or its images are not 28 × 28
     */
    public static Dataset mnist(Path dir, boolean train, DType dtype) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images", "idx3-ubyte");
        Path labels = find(dir, prefix + "-labels", "idx1-ubyte");
        Dataset d = create().dtype(dtype).load(images, labels);
        if (d.featureCount() != 28 * 28) {
            throw new DataFormatException(name(images) + ": MNIST images are 28x28 (784 pixels), these have "
                    + d.featureCount() + " pixels (see the header at byte 8)", name(images), 0, 0);
        }
        return d;
    }

    /**
     * Reads an IDX image file (magic {@code 0x00000803}), plain or gzip-compressed.
     *
     * @throws DataFormatException if the content is not a valid image file
     */
    public static Images readImages(Path file) throws IOException {
        try (Source in = Source.open(file)) {
            byte[] header = in.readHeader(IMAGE_HEADER_BYTES, IMAGE_MAGIC, 3, "images", "count, rows, columns");
            int count = positive(in, header, 4, "image count");
            int rows = positive(in, header, 8, "row count");
            int columns = positive(in, header, 12, "column count");
            String claim = String.format(Locale.ROOT, "%,d images of %dx%d", count, rows, columns);
            String fields = "the image count, row count and column count at bytes 4, 8 and 12";
            long need;
            try {
                need = Math.multiplyExact(Math.multiplyExact((long) count, rows), columns);
            } catch (ArithmeticException e) {
                // Three 31-bit factors: up to 2^93 bytes, which a long cannot count.
                throw in.error(String.format(Locale.ROOT, "%s: the header says %s, over %,d pixel bytes (count x rows "
                        + "x columns overflows 64 bits), more than one array can hold (%,d); see %s", in.name, claim,
                        Long.MAX_VALUE, MAX_ARRAY, fields));
            }
            byte[] pixels = in.readBody(need, IMAGE_HEADER_BYTES, claim, fields, "pixel bytes", "the last image");
            return new Images(count, rows, columns, pixels);
        }
    }

    /**
     * Reads an IDX label file (magic {@code 0x00000801}), plain or gzip-compressed; the labels are
     * returned as 0..255.
     *
     * @throws DataFormatException if the content is not a valid label file
     */
    public static int[] readLabels(Path file) throws IOException {
        try (Source in = Source.open(file)) {
            byte[] header = in.readHeader(LABEL_HEADER_BYTES, LABEL_MAGIC, 1, "labels", "count");
            int count = positive(in, header, 4, "label count");
            String claim = String.format(Locale.ROOT, "%,d labels", count);
            byte[] bytes = in.readBody(count, LABEL_HEADER_BYTES, claim, "the label count at byte 4", "label bytes",
                    "the last label");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    @Override
    public String toString() {
        return "IdxLoader[" + (scalePixels ? "x/255" : "raw 0..255") + ", " + classCount + " classes, " + dtype + "]";
    }

    private static void checkMagic(Source in, byte[] h, int expected, int dims, String kind, String dimNames) {
        int magic = readInt(h, 0);
        if (magic == expected) {
            return;
        }
        String start = String.format(Locale.ROOT, "%s: magic number 0x%08X at byte 0, expected 0x%08X (IDX %s)",
                in.name, magic, expected, kind);
        if (magic == IMAGE_MAGIC || magic == LABEL_MAGIC) {
            throw in.error(start + ": this is an IDX " + (magic == IMAGE_MAGIC ? "image" : "label")
                    + " file; were the image and label files swapped?");
        }
        if (h[0] != 0 || h[1] != 0) {
            throw in.error(start + ": this is not an IDX file (an IDX file starts with two zero bytes)");
        }
        if (h[2] != UNSIGNED_BYTE) {
            throw in.error(start + String.format(Locale.ROOT, ": element type 0x%02X at byte 2 (%s) is not supported, "
                    + "only unsigned bytes (0x08)", h[2] & 0xFF, typeName(h[2] & 0xFF)));
        }
        throw in.error(start + ": byte 3 says " + (h[3] & 0xFF) + " dimensions, " + kind + " need " + dims
                + " (" + dimNames + ")");
    }

    private static String typeName(int code) {
        switch (code) {
            case 0x09: return "signed byte";
            case 0x0B: return "16-bit integer";
            case 0x0C: return "32-bit integer";
            case 0x0D: return "32-bit float";
            case 0x0E: return "64-bit float";
            default: return "unknown";
        }
    }

    private static int positive(Source in, byte[] h, int offset, String what) {
        int v = readInt(h, offset);
        if (v < 1) {
            throw in.error(String.format(Locale.ROOT, "%s: the %s at byte %d is %,d; it must be at least 1",
                    in.name, what, offset, v));
        }
        return v;
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static Path find(Path dir, String stem, String suffix) throws NoSuchFileException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory (expected the MNIST IDX files in it)");
        }
        List<String> tried = new ArrayList<>();
        for (String sep : new String[] {"-", "."}) {
            for (String ext : new String[] {".gz", ""}) {
                String fileName = stem + sep + suffix + ext;
                Path p = dir.resolve(fileName);
                if (Files.isRegularFile(p)) {
                    return p;
                }
                tried.add(fileName);
            }
        }
        throw new NoSuchFileException(dir.resolve(tried.get(0)).toString(), null,
                "no MNIST file in " + dir + "; tried " + String.join(", ", tried));
    }

    private static String name(Path file) {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }

    /** A plain or gzip stream that knows its position and, when plain, its length. */
    private static final class Source implements AutoCloseable {
        final String name;
        final boolean gzip;
        /** Length of the plain file, or -1 for gzip (the decompressed length is known only at the end). */
        final long length;
        final InputStream in;
        long position;

        private Source(String name, boolean gzip, long length, InputStream in) {
            this.name = name;
            this.gzip = gzip;
            this.length = length;
            this.in = in;
        }

        static Source open(Path file) throws IOException {
            long size = Files.size(file);
            BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            try {
                buffered.mark(2);
                boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
                buffered.reset();
                InputStream in = buffered;
                if (gzip) {
                    try {
                        in = new GZIPInputStream(buffered, 1 << 16);
                    } catch (ZipException | EOFException e) {
                        throw new DataFormatException(name(file) + ": the gzip header is corrupt or truncated ("
                                + e.getMessage() + ")", name(file), 0, 0, e);
                    }
                }
                return new Source(name(file), gzip, gzip ? -1 : size, in);
            } catch (IOException | RuntimeException e) {
                buffered.close();
                throw e;
            }
        }

        /** "the file" or "the decompressed data": what a byte offset counts. */
        String data() {
            return gzip ? "the decompressed data" : "the file";
        }

        /** The header, its magic number checked first (a short file with the wrong magic is named for that). */
        byte[] readHeader(int bytes, int magic, int dims, String kind, String dimNames) throws IOException {
            byte[] h = new byte[bytes];
            int n = read(h, 0, bytes);
            if (n >= 4) {
                checkMagic(this, h, magic, dims, kind, dimNames);
            }
            if (n < bytes) {
                throw error(String.format(Locale.ROOT, "%s: %s ends at byte %d, inside the %d-byte header of an IDX %s file",
                        name, data(), n, bytes, kind));
            }
            return h;
        }

        /**
         * Reads exactly {@code need} bytes after a header of {@code headerBytes}, and checks that nothing
         * follows. Allocates no more than the data that is really there (twice that at most for gzip).
         *
         * @param need   the byte count the header claims, 1 or more
         * @param fields the header fields {@code need} comes from, with their byte offsets, for messages
         */
        byte[] readBody(long need, int headerBytes, String claim, String fields, String what, String last)
                throws IOException {
            if (need > MAX_ARRAY) {
                throw error(String.format(Locale.ROOT, "%s: the header says %s, %,d bytes, more than one array can "
                        + "hold (%,d); see %s", name, claim, need, MAX_ARRAY, fields));
            }
            if (length >= 0 && length - headerBytes != need) {
                // A plain file: its length is known, so check it before allocating anything.
                if (length - headerBytes < need) {
                    throw truncated(need, headerBytes, claim, what, length);
                }
                throw error(String.format(Locale.ROOT, "%s: the header says %s, which end at byte %,d, but the file "
                        + "goes on to byte %,d (%,d extra bytes after %s)", name, claim, headerBytes + need, length,
                        length - headerBytes - need, last));
            }
            int n = (int) need;
            byte[] buf = new byte[length >= 0 ? n : Math.min(n, FIRST_CHUNK)];
            int filled = 0;
            while (filled < n) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
                }
                int r = read(buf, filled, buf.length - filled);
                if (r == 0) {
                    throw truncated(need, headerBytes, claim, what, headerBytes + (long) filled);
                }
                filled += r;
            }
            if (read(new byte[1], 0, 1) > 0) {
                throw error(String.format(Locale.ROOT, "%s: the header says %s, which end at byte %,d, but %s goes on "
                        + "after %s", name, claim, headerBytes + need, data(), last));
            }
            return buf;
        }

        private DataFormatException truncated(long need, int headerBytes, String claim, String what, long end) {
            return error(String.format(Locale.ROOT, "%s: the header says %s: expected %,d %s after the %d-byte header "
                    + "but %s ends at byte %,d (truncated?)", name, claim, need, what, headerBytes, data(), end));
        }

        /** Reads up to {@code len} bytes, fewer only at the end of the data; a broken gzip stream is a format error. */
        private int read(byte[] b, int off, int len) throws IOException {
            int total = 0;
            while (total < len) {
                int r;
                try {
                    r = in.read(b, off + total, len - total);
                } catch (ZipException | EOFException e) {
                    if (!gzip) {
                        throw e;
                    }
                    throw error(String.format(Locale.ROOT, "%s: the gzip data is corrupt or truncated after %,d "
                            + "decompressed bytes (%s)", name, position + total, e.getMessage()), e);
                }
                if (r < 0) {
                    break;
                }
                total += r;
            }
            position += total;
            return total;
        }

        DataFormatException error(String message) {
            return error(message, null);
        }

        DataFormatException error(String message, Throwable cause) {
            return new DataFormatException(message, name, 0, 0, cause);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
