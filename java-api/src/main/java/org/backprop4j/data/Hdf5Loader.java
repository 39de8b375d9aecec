package org.backprop4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.backprop4j.nn.DType;

/**
 * Reads an image data set from an HDF5 file in the layout of the deeplearning.ai course files
 * ({@code train_catvnoncat.h5}, {@code test_catvnoncat.h5}, and the SIGNS and "happy" files made
 * the same way): a features dataset {@code (m, ...)}, a labels dataset of {@code m} integers, and
 * optionally the class names.
 *
 * <pre>{@code
 * Dataset train = Hdf5Loader.catVsNonCat(Path.of("data/catvnoncat"), true, DType.FLOAT64); // 209 x 12288
 * Dataset test = Hdf5Loader.create().dtype(DType.FLOAT64).load(Path.of("test_catvnoncat.h5"));
 * }</pre>
 *
 * <p><b>Needs the pure-Java HDF5 reader jHDF</b> ({@code io.jhdf:jhdf}) on the class path. It is an
 * optional dependency of this module, so add it to your build to load HDF5 files; without it
 * {@link #load} throws an {@link IllegalStateException} that says so. {@link RawCatLoader} reads
 * raw copies of the cat images without it.
 *
 * <p>Datasets: by default the features are the one root dataset whose name ends in {@code _x}
 * ({@code train_set_x}), the labels the one ending in {@code _y} ({@code train_set_y}), and the class
 * names {@code list_classes} if the file has it; {@link #datasets} and {@link #classNames} name them
 * explicitly. Features must be unsigned 8-bit integers (pixels, scaled to {@code x/255} unless
 * {@link #scalePixels scalePixels(false)}) or floating point (taken as they are); they are flattened in
 * C order, so a {@code (m, 64, 64, 3)} image array gives feature {@code (r*64 + c)*3 + ch}, the course's
 * {@code x.reshape(m, -1)}. Labels are integers of shape {@code (m)}, {@code (m, 1)} or {@code (1, m)};
 * class names are strings or integers.
 *
 * <p>Every problem with the file is a {@link DataFormatException} naming the file and the problem:
 * not an HDF5 file, a file shorter than its superblock says (truncated), a dataset that is missing
 * (the message lists the ones present), of the wrong type or shape, or that claims more bytes than
 * the file holds; errors of the HDF5 reader are wrapped, with it as the cause. A size in the file is
 * not trusted for an allocation: a dataset is checked against the file's length before it is read,
 * and jHDF reads files up to 2 GB from memory (mapped when large), so that a forged size in the
 * file's structure fails at once instead of allocating what it says.
 */
public final class Hdf5Loader {

    /** The class that must be loadable for HDF5 support. */
    static final String JHDF_CLASS = "io.jhdf.HdfFile";

    /** {@code \211 H D F \r \n \032 \n}: the HDF5 format signature. */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final String featuresName;
    private final String labelsName;
    private final String classNamesName;
    private final boolean classNamesGiven;
    private final boolean scalePixels;
    private final DType dtype;

    private Hdf5Loader(String featuresName, String labelsName, String classNamesName, boolean classNamesGiven,
                       boolean scalePixels, DType dtype) {
        this.featuresName = featuresName;
        this.labelsName = labelsName;
        this.classNamesName = classNamesName;
        this.classNamesGiven = classNamesGiven;
        this.scalePixels = scalePixels;
        this.dtype = dtype;
    }

    /** A loader with the defaults: datasets found by name, pixels scaled to {@code x/255}, {@link DType#FLOAT32}. */
    public static Hdf5Loader create() {
        return new Hdf5Loader(null, null, "list_classes", false, true, DType.FLOAT32);
    }

    /**
     * The course's cat vs non-cat set: {@code dir/train_catvnoncat.h5} (209 images) or
     * {@code dir/test_catvnoncat.h5} (50 images), 12,288 features scaled to {@code x/255}, classes
     * {@code non-cat} and {@code cat}.
     */
    public static Dataset catVsNonCat(Path dir, boolean train, DType dtype) throws IOException {
        String split = train ? "train" : "test";
        return create().datasets(split + "_set_x", split + "_set_y").classNames("list_classes").dtype(dtype)
                .load(dir.resolve(split + "_catvnoncat.h5"));
    }

    /** True if jHDF is on the class path, so that {@link #load} can work. */
    public static boolean isAvailable() {
        try {
            Class.forName(JHDF_CLASS, false, Hdf5Loader.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The same loader reading the features and the labels from these datasets (names or paths in the file). */
    public Hdf5Loader datasets(String features, String labels) {
        return new Hdf5Loader(requireName(features, "features"), requireName(labels, "labels"), classNamesName,
                classNamesGiven, scalePixels, dtype);
    }

    /** The same loader taking the class names from this dataset, which must then exist; null for none. */
    public Hdf5Loader classNames(String dataset) {
        return new Hdf5Loader(featuresName, labelsName, dataset == null ? null : requireName(dataset, "class names"),
                true, scalePixels, dtype);
    }

    /** The same loader storing features as {@code dtype}. */
    public Hdf5Loader dtype(DType dtype) {
        return new Hdf5Loader(featuresName, labelsName, classNamesName, classNamesGiven, scalePixels,
                Objects.requireNonNull(dtype, "dtype"));
    }

    /** The same loader scaling 8-bit pixels to {@code x/255} (true, the default) or keeping them as 0..255. */
    public Hdf5Loader scalePixels(boolean scale) {
        return new Hdf5Loader(featuresName, labelsName, classNamesName, classNamesGiven, scale, dtype);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalStateException if jHDF is not on the class path
     * @throws DataFormatException   if the file is not HDF5, is truncated, or lacks fitting datasets
     * @throws IOException           if the file cannot be read
     */
    public Dataset load(Path file) throws IOException {
        String name = name(file);
        long size = Files.size(file);
        requireJhdf();
        checkStructure(file, name, size);
        JhdfReader.Contents arrays;
        try {
            arrays = JhdfReader.read(file, name, size, featuresName, labelsName, classNamesName, classNamesGiven);
        } catch (NoClassDefFoundError e) {
            throw missing(e);
        }
        return toDataset(arrays, name);
    }

    @Override
    public String toString() {
        return "Hdf5Loader[features " + (featuresName != null ? featuresName : "*_x") + ", labels "
                + (labelsName != null ? labelsName : "*_y") + ", class names " + classNamesName + ", "
                + (scalePixels ? "x/255" : "raw") + ", " + dtype + "]";
    }

    private Dataset toDataset(JhdfReader.Contents a, String file) {
        int m = a.featureShape()[0];
        long width = 1;
        for (int i = 1; i < a.featureShape().length; i++) {
            width *= a.featureShape()[i];
        }
        double[] features = new double[(int) ((long) m * width)];
        if (a.features() instanceof int[] pixels) {
            double[] table = new double[256];
            for (int v = 0; v < 256; v++) {
                table[v] = scalePixels ? v / 255.0 : v;
            }
            for (int i = 0; i < pixels.length; i++) {
                int v = pixels[i];
                if (v < 0 || v > 255) {
                    throw new DataFormatException(file + ": value " + v + " at element " + i + " of '"
                            + a.featuresName() + "' is not an unsigned byte", file, 0, 0);
                }
                features[i] = table[v];
            }
        } else if (a.features() instanceof float[] f) {
            for (int i = 0; i < f.length; i++) {
                features[i] = f[i];
            }
        } else {
            double[] d = (double[]) a.features();
            System.arraycopy(d, 0, features, 0, d.length);
        }
        for (int i = 0; i < features.length; i++) {
            if (!dtype.holds(features[i])) {
                throw new DataFormatException(file + ": element " + i + " (sample " + i / width + ", feature "
                        + i % width + ") of '" + a.featuresName() + "' is " + features[i] + "; data must be finite"
                        + (Double.isFinite(features[i]) ? " in float32: load it as float64" : ""), file, 0, 0);
            }
        }
        long[] raw = a.labels();
        int[] labels = new int[raw.length];
        List<String> names = a.classNames() == null ? null : Arrays.asList(a.classNames());
        if (names != null && names.size() < 2) {
            throw new DataFormatException(file + ": '" + a.classNamesName() + "' names " + names.size()
                    + (names.size() == 1 ? " class" : " classes") + "; classification needs at least 2", file, 0, 0);
        }
        // Without class names, the class count is the largest label + 1, which must be an int.
        long limit = names != null ? names.size() : Integer.MAX_VALUE;
        for (int i = 0; i < raw.length; i++) {
            long v = raw[i];
            if (v < 0 || v >= limit) {
                String why = v < 0 ? "negative; class labels are 0, 1, 2, ..."
                        : names != null ? "not below " + names.size() + ", the number of class names in '"
                                + a.classNamesName() + "'"
                        : String.format(Locale.ROOT, "too large for a class index (at most %,d)", limit - 1);
                throw new DataFormatException(file + ": label " + v + " of sample " + i + " in '" + a.labelsName()
                        + "' is " + why, file, 0, 0);
            }
            labels[i] = (int) v;
        }
        Dataset d = Dataset.ofClasses(features, (int) width, labels, names != null ? names.size() : 0, dtype);
        return names != null ? d.withClassNames(names) : d;
    }

    /**
     * Checks, without the HDF5 library, that this is an HDF5 file and that it is as long as its
     * superblock says: a truncated copy is then named as such instead of failing somewhere inside
     * the reader.
     */
    static void checkStructure(Path file, String name, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long base = -1;
            // The superblock is at 0, or after a user block at 512, 1024, 2048, ...
            for (long at = 0; at + SIGNATURE.length <= size; at = at == 0 ? 512 : at * 2) {
                if (Arrays.equals(read(ch, at, SIGNATURE.length), SIGNATURE)) {
                    base = at;
                    break;
                }
            }
            if (base < 0) {
                byte[] start = read(ch, 0, (int) Math.min(8, size));
                String why = size < SIGNATURE.length ? "it is only " + size + " bytes long"
                        : start[0] == 0x1f && (start[1] & 0xFF) == 0x8b ? "it is gzip-compressed; decompress it first"
                        : "no HDF5 signature (89 48 44 46 0D 0A 1A 0A) at byte 0, 512, 1024, ...; it starts with "
                                + hex(start);
                throw new DataFormatException(name + ": not an HDF5 file: " + why, name, 0, 0);
            }
            ByteBuffer sb = ByteBuffer.wrap(read(ch, base, (int) Math.min(96, size - base))).order(ByteOrder.LITTLE_ENDIAN);
            if (sb.limit() < 10) {
                throw truncatedSuperblock(name, base, size);
            }
            int version = sb.get(8) & 0xFF;
            int offsets;
            int eofField;
            if (version == 0 || version == 1) {
                if (sb.limit() < 14) {
                    throw truncatedSuperblock(name, base, size);
                }
                offsets = sb.get(13) & 0xFF;
                int addresses = version == 0 ? 24 : 28;  // base address, free space, end of file, driver info
                eofField = addresses + 2 * offsets;
            } else if (version == 2 || version == 3) {
                offsets = sb.get(9) & 0xFF;
                eofField = 12 + 2 * offsets;             // base address, superblock extension, end of file
            } else {
                return;                                  // a newer format: let the reader judge it
            }
            if (offsets != 2 && offsets != 4 && offsets != 8) {
                throw new DataFormatException(name + ": corrupt HDF5 superblock at byte " + base + ": size of offsets "
                        + offsets + " (expected 2, 4 or 8)", name, 0, 0);
            }
            if (sb.limit() < eofField + offsets) {
                throw truncatedSuperblock(name, base, size);
            }
            long baseAddress = address(sb, eofField - 2 * offsets, offsets);
            long eof = address(sb, eofField, offsets);
            if (baseAddress < 0) {
                baseAddress = base;
            }
            if (eof >= 0 && baseAddress + eof > size) {
                throw new DataFormatException(String.format(Locale.ROOT, "%s: truncated HDF5 file: its superblock says "
                        + "it is %,d bytes long, but it ends at byte %,d", name, baseAddress + eof, size), name, 0, 0);
            }
        }
    }

    /** A little-endian address of {@code bytes} bytes, or -1 for the undefined address (all ones). */
    private static long address(ByteBuffer b, int at, int bytes) {
        long v = 0;
        boolean allOnes = true;
        for (int i = bytes - 1; i >= 0; i--) {
            int x = b.get(at + i) & 0xFF;
            allOnes &= x == 0xFF;
            v = v << 8 | x;
        }
        return allOnes || v < 0 ? -1 : v;
    }

    private static DataFormatException truncatedSuperblock(String name, long base, long size) {
        return new DataFormatException(String.format(Locale.ROOT, "%s: truncated HDF5 file: it ends at byte %,d, "
                + "inside the superblock that starts at byte %,d", name, size, base), name, 0, 0);
    }

    private static byte[] read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static String hex(byte[] bytes) {
        List<String> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(String.format(Locale.ROOT, "%02X", b & 0xFF));
        }
        return String.join(" ", out);
    }

    private static void requireJhdf() {
        try {
            Class.forName(JHDF_CLASS, false, Hdf5Loader.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw missing(e);
        }
    }

    private static IllegalStateException missing(Throwable cause) {
        return new IllegalStateException("Hdf5Loader needs io.jhdf:jhdf on the class path: add the dependency "
                + "io.jhdf:jhdf (version 0.11.0 or newer; Maven: <groupId>io.jhdf</groupId><artifactId>jhdf</artifactId>), "
                + "or read the raw .u8 copies with RawCatLoader (missing: " + cause.getMessage() + ")", cause);
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the " + what + " dataset name must not be blank");
        }
        return name.trim();
    }

    private static String name(Path file) {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }
}
