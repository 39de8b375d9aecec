package org.backprop4j.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The only class that touches jHDF, so that {@link Hdf5Loader} loads, and says what is missing,
 * without it on the class path. Returns the arrays as read; {@link Hdf5Loader} turns them into a
 * {@link Dataset}.
 *
 * <p>jHDF reads a file through a buffer: from a {@link FileChannel} it first allocates as many
 * bytes as a size field in the file says (a forged object header size in a 500-byte file is an
 * {@link OutOfMemoryError}), then fills that buffer by reading the same bytes again and again
 * until it is full (seconds for a few hundred megabytes). Read from memory instead, the same
 * size is a slice of the bytes that are really there, and one past the end is an exception at
 * once. So files up to 2 GB are given to jHDF in memory: small ones read into the heap, larger
 * ones mapped. Larger files still go through the channel.
 */
final class JhdfReader {

    /** Files up to this size are read into the heap; larger ones are mapped (mappings are freed only by the GC). */
    static final long IN_HEAP_BYTES = 64L << 20;
    /** The largest file jHDF can read from memory: its in-memory reader addresses bytes with an {@code int}. */
    static final long IN_MEMORY_BYTES = Integer.MAX_VALUE;
    /**
     * How many times its stored size a compressed dataset can be: deflate, the strongest of jHDF's
     * filters, expands at most 1,032 times (LZ4 255, LZF under 100; shuffles and checksums do not
     * compress). A larger claim is a forged size, or chunks that were never written.
     */
    static final long MAX_EXPANSION = 1100;

    /**
     * What was read.
     *
     * @param features   {@code int[]} for unsigned bytes, {@code float[]} or {@code double[]}, C order
     * @param classNames null if the file has none (and none were asked for)
     */
    record Contents(String featuresName, int[] featureShape, Object features, String labelsName, long[] labels,
                  String classNamesName, String[] classNames) {
    }

    private JhdfReader() {
    }

    static Contents read(Path file, String name, long fileSize, String featuresName, String labelsName,
                       String classNamesName, boolean classNamesRequired) throws IOException {
        try (HdfFile hdf = open(file, fileSize)) {
            io.jhdf.api.Dataset x = featuresName != null ? require(hdf, name, featuresName, "features")
                    : findBySuffix(hdf, name, "_x", "features");
            io.jhdf.api.Dataset y = labelsName != null ? require(hdf, name, labelsName, "labels")
                    : findBySuffix(hdf, name, "_y", "labels");
            io.jhdf.api.Dataset c = null;
            if (classNamesName != null) {
                c = classNamesRequired ? require(hdf, name, classNamesName, "class names")
                        : optional(hdf, name, classNamesName);
            }

            int[] xShape = x.getDimensions();
            DataType xType = x.getDataType();
            boolean pixels = xType instanceof FixedPoint fp && fp.getSize() == 1 && !fp.isSigned();
            boolean floats = xType instanceof FloatingPoint && (xType.getSize() == 4 || xType.getSize() == 8);
            if (!pixels && !floats) {
                throw error(name, "the features dataset '" + x.getPath() + "' holds " + describe(xType)
                        + "; expected unsigned 8-bit integers (pixels) or 32/64-bit floats");
            }
            if (xShape.length < 2 || xShape[0] < 1 || elements(xShape) == 0) {
                throw error(name, "the features dataset '" + x.getPath() + "' has shape " + shape(xShape)
                        + "; expected (samples, features...) with at least one sample and 2 or more dimensions");
            }
            checkSize(x, name, fileSize);
            int m = xShape[0];

            int[] yShape = y.getDimensions();
            if (!(y.getDataType() instanceof FixedPoint)) {
                throw error(name, "the labels dataset '" + y.getPath() + "' holds " + describe(y.getDataType())
                        + "; expected integers (class indices 0, 1, 2, ...)");
            }
            boolean column = yShape.length == 1 || yShape.length == 2 && (yShape[0] == 1 || yShape[1] == 1);
            if (!column || y.getSize() != m) {
                throw error(name, "the labels dataset '" + y.getPath() + "' has shape " + shape(yShape)
                        + "; expected one label per sample of '" + x.getPath() + "' " + shape(xShape) + ": (" + m
                        + "), (" + m + ", 1) or (1, " + m + ")");
            }
            checkSize(y, name, fileSize);

            String[] classNames = null;
            if (c != null) {
                boolean strings = c.getDataType() instanceof StringData;
                if (!strings && !(c.getDataType() instanceof FixedPoint) || c.getDimensions().length != 1) {
                    throw error(name, "the class names dataset '" + c.getPath() + "' holds " + describe(c.getDataType())
                            + " of shape " + shape(c.getDimensions()) + "; expected a list of strings or integers");
                }
                checkSize(c, name, fileSize);
                Object names = c.getDataFlat();
                classNames = new String[Array.getLength(names)];
                for (int i = 0; i < classNames.length; i++) {
                    classNames[i] = strings ? ((String) Array.get(names, i)).trim() : Long.toString(toLong(names, i));
                }
            }
            Object features = x.getDataFlat();
            Object rawLabels = y.getDataFlat();
            long[] labels = new long[m];
            for (int i = 0; i < m; i++) {
                labels[i] = toLong(rawLabels, i);
            }
            return new Contents(x.getPath(), xShape, features, y.getPath(), labels, c == null ? null : c.getPath(),
                    classNames);
        } catch (DataFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // jHDF's HdfException, and whatever a corrupt structure makes it throw on the way
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new DataFormatException(name + ": cannot read the HDF5 file (corrupt or truncated?): " + e
                    + (root != e ? " (" + root + ")" : ""), name, 0, 0, e);
        } catch (OutOfMemoryError e) {
            // Datasets are checked against the file size before they are read, and jHDF reads the structure
            // from memory, so this is a size in the structure that jHDF trusts for an allocation of its own.
            throw new DataFormatException(String.format(Locale.ROOT, "%s: reading the HDF5 file ran out of memory "
                    + "(%s, maximum heap %,d MB): a size in the file is corrupt, or the JVM needs more memory (-Xmx)",
                    name, e.getMessage(), Runtime.getRuntime().maxMemory() >> 20), name, 0, 0, e);
        } catch (StackOverflowError e) {
            throw new DataFormatException(name + ": cannot read the HDF5 file: its structure refers to itself or is "
                    + "nested too deeply (corrupt?)", name, 0, 0, e);
        }
    }

    /** The file for jHDF, in memory where it can be: see the class comment. */
    private static HdfFile open(Path file, long size) throws IOException {
        if (size <= IN_HEAP_BYTES) {
            return HdfFile.fromBytes(Files.readAllBytes(file));
        }
        if (size <= IN_MEMORY_BYTES) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return HdfFile.fromByteBuffer(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
            }
        }
        return new HdfFile(file);
    }

    /**
     * Refuses a dataset that claims more elements than an array can hold, or more bytes than the file
     * has, before anything is allocated for it.
     */
    static void checkSize(io.jhdf.api.Dataset d, String name, long fileSize) {
        if (Arrays.stream(d.getDimensions()).anyMatch(dim -> dim < 0)) {
            throw error(name, "the dataset '" + d.getPath() + "' has shape " + shape(d.getDimensions())
                    + ", with a negative dimension (corrupt)");
        }
        long elements = elements(d.getDimensions());
        if (elements < 0 || elements > IdxLoader.MAX_ARRAY) {
            throw error(name, String.format(Locale.ROOT, "the dataset '%s' of shape %s has %s elements, more than "
                    + "one array can hold", d.getPath(), shape(d.getDimensions()),
                    elements < 0 ? String.format(Locale.ROOT, "over %,d", Long.MAX_VALUE)
                            : String.format(Locale.ROOT, "%,d", elements)));
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, Integer.toUnsignedLong(d.getDataType().getSize()));
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (d.getFilters().isEmpty() && bytes > fileSize) {
            throw error(name, String.format(Locale.ROOT, "the dataset '%s' of shape %s needs %,d bytes, but the whole "
                    + "file has %,d (truncated or corrupt)", d.getPath(), shape(d.getDimensions()), bytes, fileSize));
        }
        if (bytes / MAX_EXPANSION > fileSize) {
            throw error(name, String.format(Locale.ROOT, "the compressed dataset '%s' of shape %s needs %,d bytes, more "
                    + "than %,d times the whole file (%,d bytes), which no compression that jHDF reads gives "
                    + "(truncated or corrupt)", d.getPath(), shape(d.getDimensions()), bytes, MAX_EXPANSION, fileSize));
        }
    }

    /** The product of the dimensions, or -1 if it overflows a {@code long} (jHDF's own product wraps around). */
    private static long elements(int[] dims) {
        long n = 1;
        for (int dim : dims) {
            try {
                n = Math.multiplyExact(n, (long) dim);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    private static long toLong(Object array, int i) {
        Object v = Array.get(array, i);
        if (v instanceof BigInteger b) {
            return b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE;
        }
        return ((Number) v).longValue();
    }

    private static io.jhdf.api.Dataset require(HdfFile hdf, String name, String path, String what) {
        io.jhdf.api.Dataset d = optional(hdf, name, path);
        if (d == null) {
            throw error(name, "no dataset '" + path + "' (" + what + "); the file holds " + contents(hdf));
        }
        return d;
    }

    private static io.jhdf.api.Dataset optional(HdfFile hdf, String name, String path) {
        Node node = find(hdf, path);
        if (node == null) {
            return null;
        }
        if (!(node instanceof io.jhdf.api.Dataset d)) {
            throw error(name, "'" + path + "' is a " + node.getType().toString().toLowerCase(Locale.ROOT)
                    + ", not a dataset; the file holds " + contents(hdf));
        }
        return d;
    }

    /**
     * The node at {@code path} (soft links followed), or null. Not {@link HdfFile#getByPath}: for a
     * missing path it builds its exception with the file's path, which a file read from memory has not.
     */
    private static Node find(HdfFile hdf, String path) {
        Node node = hdf;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!(node instanceof Group group)) {
                return null;
            }
            node = group.getChild(part);
            if (node instanceof Link link) {
                node = link.getTarget();
            }
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static io.jhdf.api.Dataset findBySuffix(HdfFile hdf, String name, String suffix, String what) {
        List<io.jhdf.api.Dataset> found = new ArrayList<>();
        for (Node n : hdf) {
            if (n instanceof io.jhdf.api.Dataset d && n.getName().endsWith(suffix)) {
                found.add(d);
            }
        }
        if (found.size() != 1) {
            throw error(name, (found.isEmpty() ? "no" : found.size()) + " datasets named *" + suffix + " at the root "
                    + "to take the " + what + " from (the course's files have train_set" + suffix + " or test_set"
                    + suffix + "); the file holds " + contents(hdf) + "; name them with Hdf5Loader.datasets(...)");
        }
        return found.get(0);
    }

    /** The root's members with their shapes and types, sorted by name, for messages. */
    private static String contents(HdfFile hdf) {
        List<String> out = new ArrayList<>();
        for (Node n : hdf) {
            if (n instanceof io.jhdf.api.Dataset d) {
                out.add(n.getName() + " " + shape(d.getDimensions()) + " " + describe(d.getDataType()));
            } else {
                out.add(n.getName() + " (" + n.getType().toString().toLowerCase(Locale.ROOT) + ")");
            }
        }
        out.sort(null);
        return out.isEmpty() ? "nothing" : String.join(", ", out);
    }

    private static String describe(DataType t) {
        if (t instanceof FixedPoint fp) {
            return (fp.isSigned() ? "signed " : "unsigned ") + 8 * fp.getSize() + "-bit integers";
        }
        if (t instanceof FloatingPoint) {
            return 8 * t.getSize() + "-bit floats";
        }
        if (t instanceof StringData) {
            return "strings";
        }
        return t.getClass().getSimpleName();
    }

    private static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    private static DataFormatException error(String name, String message) {
        return new DataFormatException(name + ": " + message, name, 0, 0);
    }
}
