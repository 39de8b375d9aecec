package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.object.datatype.FixedPoint;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course's cat vs non-cat HDF5 files (skipped where absent), files written here with jHDF, and
 * malformed copies of both.
 */
class Hdf5LoaderTest {

    static final int[] FIRST_TRAIN_LABELS = {0, 0, 1, 0, 0, 0, 0, 1, 0, 0};
    static final int[] FIRST_TEST_LABELS = {1, 1, 1, 1, 1, 0, 1, 1, 1, 1};

    @TempDir
    Path dir;

    // ---- The real files ---------------------------------------------------------------------

    @Test
    void trainingSetAsTheDataReadmeDescribes() throws IOException {
        Path file = TestData.require("catvnoncat/train_catvnoncat.h5");
        Dataset d = Hdf5Loader.catVsNonCat(file.getParent(), true, DType.FLOAT64);
        assertEquals(209, d.size());
        assertEquals(12288, d.featureCount());
        assertEquals(List.of("non-cat", "cat"), d.classNames());
        assertArrayEquals(FIRST_TRAIN_LABELS, Arrays.copyOf(d.labels(), 10));
        assertArrayEquals(new int[] {137, 72}, TestData.classCounts(d));
        // Example 0, row 0, column 0: R, G, B = 17, 31, 56, features (r*64 + c)*3 + ch.
        assertEquals(17 / 255.0, d.feature(0, 0), 0.0);
        assertEquals(31 / 255.0, d.feature(0, 1), 0.0);
        assertEquals(56 / 255.0, d.feature(0, 2), 0.0);

        Dataset raw = Hdf5Loader.create().scalePixels(false).load(file);
        assertEquals(DType.FLOAT32, raw.dtype());
        assertEquals(17, raw.feature(0, 0), 0.0);
    }

    @Test
    void testSetFoundByDatasetNames() throws IOException {
        Path file = TestData.require("catvnoncat/test_catvnoncat.h5");
        Dataset d = Hdf5Loader.create().load(file);   // test_set_x, test_set_y, list_classes
        assertEquals(50, d.size());
        assertEquals(DType.FLOAT32, d.dtype());
        assertArrayEquals(FIRST_TEST_LABELS, Arrays.copyOf(d.labels(), 10));
        assertArrayEquals(new int[] {17, 33}, TestData.classCounts(d));
        assertEquals((float) (158 / 255.0), d.feature(0, 0), 0.0);
        assertEquals((float) (104 / 255.0), d.feature(0, 1), 0.0);
        assertEquals((float) (83 / 255.0), d.feature(0, 2), 0.0);
    }

    @Test
    void theHdf5FilesAndTheRawCopiesAgree() throws IOException {
        Path h5 = TestData.require("catvnoncat/train_catvnoncat.h5");
        TestData.require("catvnoncat/train_x.u8");
        for (boolean train : new boolean[] {true, false}) {
            Dataset a = Hdf5Loader.catVsNonCat(h5.getParent(), train, DType.FLOAT64);
            Dataset b = RawCatLoader.catVsNonCat(h5.getParent(), train, DType.FLOAT64);
            assertArrayEquals(a.labels(), b.labels());
            assertArrayEquals(a.featuresAsDouble(), b.featuresAsDouble(), 0.0);
            assertEquals(a.classNames(), b.classNames());
        }
    }

    @Test
    void truncatedCopiesOfTheRealFileSaySo() throws IOException {
        byte[] whole = Files.readAllBytes(TestData.require("catvnoncat/test_catvnoncat.h5"));
        for (int cut : new int[] {60, 1000, 300_000, whole.length - 1}) {
            Path file = write("test_catvnoncat.h5", Arrays.copyOf(whole, cut));
            DataFormatException e = assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(file));
            assertEquals(String.format(java.util.Locale.ROOT, "test_catvnoncat.h5: truncated HDF5 file: its superblock "
                    + "says it is 616,958 bytes long, but it ends at byte %,d", cut), e.getMessage());
            assertEquals("test_catvnoncat.h5", e.source());
        }
        Path inSuperblock = write("sb.h5", Arrays.copyOf(whole, 30));
        assertTrue(assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(inSuperblock)).getMessage()
                .contains("ends at byte 30, inside the superblock"));
    }

    /**
     * Dimensions forged in the dataspace: checked against the file length, and against what one array
     * can hold, before any array is made.
     */
    @Test
    void forgedDimensionsFailBeforeAllocating() throws IOException {
        byte[] whole = Files.readAllBytes(TestData.require("catvnoncat/test_catvnoncat.h5"));
        int dims = indexOf(whole, longs(50, 64, 64, 3));
        int labelDims = indexOf(Arrays.copyOfRange(whole, dims + 64, whole.length), longs(50)) + dims + 64;
        assertTrue(dims > 0 && labelDims > dims, "dataspace not found");

        Path more = write("more.h5", patchLong(whole, dims, 100));
        assertTrue(assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(more)).getMessage()
                .contains("'/test_set_x' of shape (100, 64, 64, 3) needs 1,228,800 bytes, but the whole file has 616,958"));

        Path huge = write("huge.h5", patchLong(whole, dims, 5_000_000));
        assertTrue(assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(huge)).getMessage()
                .contains("61,440,000,000 elements, more than one array can hold"));

        // (2^30)^3 x 3 overflows a long, and jHDF's own element count wraps around to 0.
        byte[] beyond = whole;
        for (int i = 0; i < 3; i++) {
            beyond = patchLong(beyond, dims + 8 * i, 1 << 30);
        }
        Path overflow = write("overflow.h5", beyond);
        assertTrue(assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(overflow)).getMessage()
                .contains("'/test_set_x' of shape (1073741824, 1073741824, 1073741824, 3) has over "
                        + "9,223,372,036,854,775,807 elements, more than one array can hold"));

        Path fewerLabels = write("fewer.h5", patchLong(whole, labelDims, 49));
        assertTrue(assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(fewerLabels)).getMessage()
                .contains("the labels dataset '/test_set_y' has shape (49); expected one label per sample"));
    }

    // ---- Files written here -----------------------------------------------------------------

    @Test
    void floatFeaturesLabelColumnsAndClassNames() throws IOException {
        Path file = sample();
        Dataset d = Hdf5Loader.create().datasets("a_x", "y_col").classNames("names").dtype(DType.FLOAT64).load(file);
        assertEquals(3, d.size());
        assertEquals(4, d.featureCount());
        assertEquals(List.of("u", "v", "w"), d.classNames());
        assertArrayEquals(new int[] {0, 2, 1}, d.labels());
        assertEquals(0.5, d.feature(1, 0), 0.0);            // floats are taken as they are
        assertEquals(7.0, d.feature(2, 3), 0.0);            // (3, 2, 2) flattened in C order

        Dataset byNumber = Hdf5Loader.create().datasets("a_x", "a_y").classNames("numbers").load(file);
        assertEquals(List.of("10", "20", "30"), byNumber.classNames());
        Dataset noNames = Hdf5Loader.create().datasets("a_x", "a_y").load(file);  // no list_classes in the file
        assertEquals(3, noNames.classCount());
    }

    @Test
    void missingOrAmbiguousDatasetsListWhatTheFileHolds() throws IOException {
        Path file = sample();
        String m = message(file, Hdf5Loader.create().datasets("train_set_x", "a_y"));
        assertTrue(m.startsWith("sample.h5: no dataset 'train_set_x' (features); the file holds "), m);
        assertTrue(m.contains("a_x (3, 2, 2) 32-bit floats"), m);

        m = message(file, Hdf5Loader.create());
        assertTrue(m.contains("3 datasets named *_x at the root"), m);

        m = message(file, Hdf5Loader.create().datasets("a_x", "a_y").classNames("list"));
        assertTrue(m.startsWith("sample.h5: no dataset 'list' (class names)"), m);

        m = message(file, Hdf5Loader.create().datasets("grp", "a_y"));
        assertTrue(m.startsWith("sample.h5: 'grp' is a group, not a dataset"), m);
    }

    @Test
    void wrongTypesAndShapesAreNamed() throws IOException {
        Path file = sample();
        assertEquals("sample.h5: the features dataset '/b_x' holds signed 8-bit integers; expected unsigned 8-bit "
                + "integers (pixels) or 32/64-bit floats", message(file, Hdf5Loader.create().datasets("b_x", "a_y")));
        assertEquals("sample.h5: the features dataset '/flat' has shape (3); expected (samples, features...) with at "
                + "least one sample and 2 or more dimensions", message(file, Hdf5Loader.create().datasets("flat", "a_y")));
        assertEquals("sample.h5: the labels dataset '/y_float' holds 64-bit floats; expected integers (class indices "
                + "0, 1, 2, ...)", message(file, Hdf5Loader.create().datasets("a_x", "y_float")));
        assertEquals("sample.h5: the labels dataset '/y_short' has shape (2); expected one label per sample of '/a_x' "
                + "(3, 2, 2): (3), (3, 1) or (1, 3)", message(file, Hdf5Loader.create().datasets("a_x", "y_short")));
        assertEquals("sample.h5: label -1 of sample 1 in '/y_neg' is negative; class labels are 0, 1, 2, ...",
                message(file, Hdf5Loader.create().datasets("a_x", "y_neg")));
        assertEquals("sample.h5: label 2 of sample 1 in '/a_y' is not below 2, the number of class names in '/two'",
                message(file, Hdf5Loader.create().datasets("a_x", "a_y").classNames("two")));
        assertEquals("sample.h5: '/one' names 1 class; classification needs at least 2",
                message(file, Hdf5Loader.create().datasets("a_x", "a_y").classNames("one")));
        assertTrue(message(file, Hdf5Loader.create().datasets("nan_x", "a_y")).contains("is NaN"));
    }

    @Test
    void notAnHdf5File() throws IOException {
        Path text = dir.resolve("notes.h5");
        Files.writeString(text, "train_set_x,train_set_y\n1,2\n");
        assertEquals("notes.h5: not an HDF5 file: no HDF5 signature (89 48 44 46 0D 0A 1A 0A) at byte 0, 512, 1024, "
                + "...; it starts with 74 72 61 69 6E 5F 73 65", message(text, Hdf5Loader.create()));

        Path gz = write("data.h5", IdxLoaderTest.gzip(Files.readAllBytes(sample())));
        assertEquals("data.h5: not an HDF5 file: it is gzip-compressed; decompress it first",
                message(gz, Hdf5Loader.create()));

        Path tiny = write("tiny.h5", new byte[] {1, 2, 3});
        assertEquals("tiny.h5: not an HDF5 file: it is only 3 bytes long", message(tiny, Hdf5Loader.create()));
    }

    @Test
    void truncatedCopiesOfAWrittenFileSaySo() throws IOException {
        byte[] whole = Files.readAllBytes(sample());
        for (int cut : new int[] {8, 40, 200, whole.length / 2, whole.length - 1}) {
            Path file = write("cut.h5", Arrays.copyOf(whole, cut));
            String m = message(file, Hdf5Loader.create().datasets("a_x", "a_y"));
            assertTrue(m.startsWith("cut.h5: truncated HDF5 file"), m);
        }
    }

    /**
     * Found by fuzzing: jHDF allocated an object header of the size its (forged) size field says before
     * reading it, an OutOfMemoryError in a 256 MB heap, and in a larger one seconds of reading the same
     * bytes over and over to fill it. Read from memory, the size points past the end of the file at once.
     */
    @Test
    void aForgedObjectHeaderSizeFailsAtOnceWithoutAllocatingIt() throws IOException {
        byte[] whole = Files.readAllBytes(sample());
        int header = indexOf(whole, new byte[] {'O', 'H', 'D', 'R'});
        assertTrue(header > 0, "no version 2 object header");
        int flags = whole[header + 5] & 0xFF;
        int sizeField = header + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        assertEquals(2, flags & 3, "the chunk size is stored in 4 bytes");
        byte[] forged = whole.clone();
        ByteBuffer.wrap(forged).order(ByteOrder.LITTLE_ENDIAN).putInt(sizeField, 1 << 30);
        Path file = write("forged.h5", forged);

        long before = IdxLoaderTest.allocatedBytes();
        long start = System.nanoTime();
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Hdf5Loader.create().datasets("a_x", "a_y").load(file));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = IdxLoaderTest.allocatedBytes() - before;
        assertTrue(e.getMessage().startsWith("forged.h5: cannot read the HDF5 file (corrupt or truncated?): "),
                e.getMessage());
        assertTrue(millis < 2000, "took " + millis + " ms");
        if (before >= 0) {
            assertTrue(allocated < 64 << 20, "allocated " + allocated + " bytes");
        }
    }

    /**
     * Found by fuzzing: a 58-byte file (superblock version 1) whose root object header says it is far
     * longer than the file took 2 to 11 seconds to reject, allocating that size and filling it by
     * rereading the file's last bytes.
     */
    @Test
    void aShortFileWithAHugeObjectHeaderIsRejectedQuickly() throws IOException {
        Path file = write("short.h5", hex("894844460d0a1a0a0184fc444202000000460d0afffffffffeff88080000000000000000"
                + "25ff0800000000000000003258023a00000000ff0d0a"));
        long start = System.nanoTime();
        DataFormatException e = assertThrows(DataFormatException.class, () -> Hdf5Loader.create().load(file));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().startsWith("short.h5: cannot read the HDF5 file (corrupt or truncated?): "),
                e.getMessage());
        assertEquals("short.h5", e.source());
        assertTrue(millis < 2000, "took " + millis + " ms");
    }

    /**
     * A compressed dataset cannot be checked against the file's length, but no compression jHDF reads
     * gives more than 1,032 times: a claim beyond {@link JhdfReader#MAX_EXPANSION} times is refused.
     */
    @Test
    void aCompressedDatasetCanClaimOnlySoMuchMoreThanTheFile() {
        io.jhdf.api.Dataset huge = dataset("/x", new int[] {1000, 1000, 1000}, true);
        assertEquals("f.h5: the compressed dataset '/x' of shape (1000, 1000, 1000) needs 1,000,000,000 bytes, more than "
                + "1,100 times the whole file (100,000 bytes), which no compression that jHDF reads gives (truncated or "
                + "corrupt)", assertThrows(DataFormatException.class,
                        () -> JhdfReader.checkSize(huge, "f.h5", 100_000)).getMessage());
        JhdfReader.checkSize(dataset("/x", new int[] {1000, 1000, 100}, true), "f.h5", 100_000);
        assertTrue(assertThrows(DataFormatException.class, () -> JhdfReader.checkSize(
                dataset("/x", new int[] {1000, 1000, 100}, false), "f.h5", 100_000)).getMessage()
                .contains("needs 100,000,000 bytes, but the whole file has 100,000"));
        assertTrue(assertThrows(DataFormatException.class, () -> JhdfReader.checkSize(
                dataset("/x", new int[] {1 << 16, 1 << 16, 1 << 16, 1 << 16}, true), "f.h5", 100_000)).getMessage()
                .contains("has over 9,223,372,036,854,775,807 elements, more than one array can hold"));
    }

    /** Found by fuzzing: without class names, a label beyond an int was a NullPointerException building this message. */
    @Test
    void aLabelTooLargeForAClassIndexIsNamed() throws IOException {
        Path file = sample();
        assertEquals("sample.h5: label 3000000000 of sample 1 in '/y_big' is too large for a class index (at most "
                + "2,147,483,646)", message(file, Hdf5Loader.create().datasets("a_x", "y_big")));
        assertEquals("sample.h5: label 2147483647 of sample 1 in '/y_max' is too large for a class index (at most "
                + "2,147,483,646)", message(file, Hdf5Loader.create().datasets("a_x", "y_max")));
    }

    /** Files over {@link JhdfReader#IN_HEAP_BYTES} are mapped rather than read: the same datasets, the same checks. */
    @Test
    void aLargeFileIsReadTheSameWay() throws IOException {
        Path file = dir.resolve("large.h5");
        Files.copy(sample(), file);
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            ch.position(JhdfReader.IN_HEAP_BYTES).write(ByteBuffer.wrap(new byte[] {1}));  // sparse where it can be
        }
        Dataset d = Hdf5Loader.create().datasets("a_x", "y_col").classNames("names").dtype(DType.FLOAT64).load(file);
        assertEquals(List.of("u", "v", "w"), d.classNames());
        assertArrayEquals(new int[] {0, 2, 1}, d.labels());
        assertEquals(7.0, d.feature(2, 3), 0.0);
        assertEquals("large.h5: label 3000000000 of sample 1 in '/y_big' is too large for a class index (at most "
                + "2,147,483,646)", message(file, Hdf5Loader.create().datasets("a_x", "y_big")));
    }

    @Test
    void datasetsInGroupsAreFoundByPath() throws IOException {
        Path file = sample();
        Dataset d = Hdf5Loader.create().datasets("/a_x", "grp/inner_y").load(file);
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertTrue(message(file, Hdf5Loader.create().datasets("a_x", "grp/none")).startsWith(
                "sample.h5: no dataset 'grp/none' (labels); the file holds "));
        assertTrue(message(file, Hdf5Loader.create().datasets("a_x", "a_y/below")).startsWith(
                "sample.h5: no dataset 'a_y/below' (labels); the file holds "));
    }

    /** A structure broken where the superblock cannot tell: the reader's own error, wrapped with the file name. */
    @Test
    void readerErrorsAreWrapped() throws IOException {
        byte[] whole = Files.readAllBytes(sample());
        byte[] broken = whole.clone();
        Arrays.fill(broken, 48, Math.min(broken.length, 1024), (byte) 0xA5);
        Path file = write("broken.h5", broken);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Hdf5Loader.create().datasets("a_x", "a_y").load(file));
        assertTrue(e.getMessage().startsWith("broken.h5: "), e.getMessage());
        assertNotNull(e.getCause(), e.getMessage());
    }

    @Test
    void withoutJhdfTheMessageSaysWhatToAdd() throws Exception {
        Path file = sample();
        URL classes = Hdf5Loader.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> loader = isolated.loadClass(Hdf5Loader.class.getName());
            assertFalse((Boolean) loader.getMethod("isAvailable").invoke(null));
            Object instance = loader.getMethod("create").invoke(null);
            Method load = loader.getMethod("load", Path.class);
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> load.invoke(instance, file));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(cause.getMessage().startsWith("Hdf5Loader needs io.jhdf:jhdf on the class path: add the "
                    + "dependency"), cause.getMessage());
        }
        assertTrue(Hdf5Loader.isAvailable());
    }

    // ---- Helpers ----------------------------------------------------------------------------

    /** A small file with good and bad datasets side by side. */
    private Path sample() throws IOException {
        Path file = dir.resolve("sample.h5");
        if (Files.exists(file)) {
            return file;
        }
        try (WritableHdfFile f = HdfFile.write(file)) {
            f.putDataset("a_x", new float[][][] {{{1, 2}, {3, 4}}, {{0.5f, 6}, {7, 8}}, {{9, 10}, {11, 7}}});
            f.putDataset("a_y", new long[] {0, 2, 1});
            f.putDataset("b_x", new byte[][] {{1, 2}, {3, 4}, {5, 6}});
            f.putDataset("nan_x", new double[][] {{1, Double.NaN}, {3, 4}, {5, 6}});
            f.putDataset("flat", new double[] {1, 2, 3});
            f.putDataset("y_col", new long[][] {{0}, {2}, {1}});
            f.putDataset("y_float", new double[] {0, 1, 1});
            f.putDataset("y_short", new long[] {0, 1});
            f.putDataset("y_neg", new int[] {0, -1, 1});
            f.putDataset("names", new String[] {"u", "v", "w"});
            f.putDataset("numbers", new int[] {10, 20, 30});
            f.putDataset("two", new String[] {"u", "v"});
            f.putDataset("one", new String[] {"u"});
            f.putDataset("y_big", new long[] {0, 3_000_000_000L, 1});
            f.putDataset("y_max", new long[] {0, Integer.MAX_VALUE, 1});
            // (jhdf 0.11.0 writes an unreadable file for an empty group named "group" here)
            f.putGroup("grp").putDataset("inner_y", new int[] {1, 0, 1});
        }
        return file;
    }

    /** A dataset of unsigned bytes of this shape, with one (unnamed) filter or none, for {@link JhdfReader#checkSize}. */
    private static io.jhdf.api.Dataset dataset(String path, int[] dims, boolean compressed) {
        return (io.jhdf.api.Dataset) Proxy.newProxyInstance(Hdf5LoaderTest.class.getClassLoader(),
                new Class<?>[] {io.jhdf.api.Dataset.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getPath": return path;
                        case "getDimensions": return dims.clone();
                        case "getDataType": return new FixedPoint(1);
                        case "getFilters": return compressed ? Collections.singletonList(null) : List.of();
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static String message(Path file, Hdf5Loader loader) {
        return assertThrows(DataFormatException.class, () -> loader.load(file)).getMessage();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static byte[] hex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    private static byte[] patchLong(byte[] bytes, int at, long value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        return copy;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
