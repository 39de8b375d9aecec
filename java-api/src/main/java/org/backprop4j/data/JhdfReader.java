package org.backprop4j.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfInvalidPathException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The only class that touches jHDF, so that {@link Hdf5Loader} loads, and says what is missing,
 * without it on the class path. Returns the arrays as read; {@link Hdf5Loader} turns them into a
 * {@link Dataset}.
 */
final class JhdfReader {

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
                       String classNamesName, boolean classNamesRequired) {
        try (HdfFile hdf = new HdfFile(file)) {
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
            if (xShape.length < 2 || xShape[0] < 1 || x.getSize() < 1) {
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
            throw new DataFormatException(name + ": cannot read the HDF5 file (corrupt or truncated?): " + e, name, 0, 0, e);
        }
    }

    /** Refuses a dataset that claims more bytes than the file has, before anything is allocated for it. */
    private static void checkSize(io.jhdf.api.Dataset d, String name, long fileSize) {
        long elements = d.getSize();
        long bytes = d.getSizeInBytes();
        if (elements > IdxLoader.MAX_ARRAY) {
            throw error(name, String.format(Locale.ROOT, "the dataset '%s' of shape %s has %,d elements, more than "
                    + "one array can hold", d.getPath(), shape(d.getDimensions()), elements));
        }
        if (d.getFilters().isEmpty() && bytes > fileSize) {
            throw error(name, String.format(Locale.ROOT, "the dataset '%s' of shape %s needs %,d bytes, but the whole "
                    + "file has %,d (truncated or corrupt)", d.getPath(), shape(d.getDimensions()), bytes, fileSize));
        }
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
        Node node;
        try {
            node = hdf.getByPath(path);
        } catch (HdfInvalidPathException e) {
            return null;
        }
        if (!(node instanceof io.jhdf.api.Dataset d)) {
            throw error(name, "'" + path + "' is a " + node.getType().toString().toLowerCase(Locale.ROOT)
                    + ", not a dataset; the file holds " + contents(hdf));
        }
        return d;
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
        return java.util.Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    private static DataFormatException error(String name, String message) {
        return new DataFormatException(name + ": " + message, name, 0, 0);
    }
}
