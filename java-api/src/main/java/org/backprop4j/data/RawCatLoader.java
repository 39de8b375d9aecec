package org.backprop4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.backprop4j.nn.DType;

/**
 * Reads the raw copies of the deeplearning.ai cat vs non-cat images ({@code train_x.u8} +
 * {@code train_y.u8}, {@code test_x.u8} + {@code test_y.u8}): the same bytes as the course's HDF5
 * arrays without a header, so they load without an HDF5 library (see {@link Hdf5Loader} for the
 * {@code .h5} files themselves).
 *
 * <p>Layout: the image file is {@code m × 64 × 64 × 3} unsigned bytes in C order
 * [example][row][column][channel], channels R, G, B; the label file is {@code m} bytes, 0 = non-cat,
 * 1 = cat. Example {@code i} is bytes {@code [i*12288, (i+1)*12288)}, so feature
 * {@code (r*64 + c)*3 + ch} is the course's {@code x.reshape(m, -1)} flattening; features are
 * scaled to {@code x/255} as in the course.
 *
 * <p>The sizes are checked against each other before anything is allocated: an image file that is
 * not a whole number of 12,288-byte images, or a label file whose length differs from the image
 * count, is a {@link DataFormatException} naming the file and byte offset, and so is a label that is
 * neither 0 nor 1.
 */
public final class RawCatLoader {

    /** Image height and width in pixels. */
    public static final int SIDE = 64;
    /** Colour channels per pixel (R, G, B). */
    public static final int CHANNELS = 3;
    /** Features per example: 64 × 64 × 3 = 12,288. */
    public static final int FEATURES = SIDE * SIDE * CHANNELS;
    /** Class 0 and class 1. */
    public static final List<String> CLASS_NAMES = List.of("non-cat", "cat");

    private RawCatLoader() {
    }

    /**
     * {@code dir/train_x.u8} + {@code dir/train_y.u8} (209 examples) or {@code dir/test_x.u8} +
     * {@code dir/test_y.u8} (50 examples), scaled to {@code x/255}.
     */
    public static Dataset catVsNonCat(Path dir, boolean train, DType dtype) throws IOException {
        String split = train ? "train" : "test";
        return load(dir.resolve(split + "_x.u8"), dir.resolve(split + "_y.u8"), dtype, true);
    }

    /**
     * Reads an image file and its label file.
     *
     * @param scalePixels scale to {@code x/255} (true) or keep 0..255 (false)
     * @throws DataFormatException if the sizes do not fit the layout or each other, or a label is not 0/1
     * @throws IOException         if a file cannot be read
     */
    public static Dataset load(Path images, Path labels, DType dtype, boolean scalePixels) throws IOException {
        String xName = name(images);
        String yName = name(labels);
        long xBytes = Files.size(images);
        long yBytes = Files.size(labels);
        if (xBytes == 0) {
            throw new DataFormatException(xName + ": the file is empty; expected 64x64x3 images of "
                    + FEATURES + " bytes each", xName, 0, 0);
        }
        if (xBytes % FEATURES != 0) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: %,d bytes is not a whole number of 64x64x3 "
                    + "images (%,d bytes each): the last image starts at byte %,d and the file ends at byte %,d "
                    + "(truncated?)", xName, xBytes, FEATURES, xBytes / FEATURES * FEATURES, xBytes), xName, 0, 0);
        }
        if (xBytes > IdxLoader.MAX_ARRAY) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: %,d bytes is more than one array can hold",
                    xName, xBytes), xName, 0, 0);
        }
        long count = xBytes / FEATURES;
        if (yBytes != count) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: %,d labels (one byte each), but %s holds "
                    + "%,d images; the files do not belong together", yName, yBytes, xName, count), yName, 0, 0);
        }
        byte[] y = readExactly(labels, (int) yBytes, yName);
        int[] classes = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new DataFormatException(String.format(Locale.ROOT, "%s: label %d at byte %,d is neither 0 "
                        + "(non-cat) nor 1 (cat)", yName, y[i] & 0xFF, i), yName, 0, 0);
            }
            classes[i] = y[i];
        }
        byte[] x = readExactly(images, (int) xBytes, xName);
        double[] table = new double[256];
        for (int v = 0; v < 256; v++) {
            table[v] = scalePixels ? v / 255.0 : v;
        }
        double[] features = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            features[i] = table[x[i] & 0xFF];
        }
        return Dataset.ofClasses(features, FEATURES, classes, 2, dtype).withClassNames(CLASS_NAMES);
    }

    /** The file's bytes; a file that changed length since it was measured is an error, not a short array. */
    private static byte[] readExactly(Path file, int length, String name) throws IOException {
        byte[] b = new byte[length];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(b, 0, length);
            if (n < length || in.read() >= 0) {
                throw new DataFormatException(name + ": the file changed length while it was read", name, 0, 0);
            }
        }
        return b;
    }

    private static String name(Path file) {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }
}
