package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MNIST's IDX files: the real ones (skipped where absent), and small valid and malformed ones made here. */
class IdxLoaderTest {

    static final int[] TRAIN_COUNTS = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    static final int[] TEST_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @TempDir
    Path dir;

    // ---- The real files ---------------------------------------------------------------------

    @Test
    void mnistTrainingSetAsTheDataReadmeDescribes() throws IOException {
        Path images = TestData.require("mnist/train-images-idx3-ubyte.gz");
        TestData.require("mnist/train-labels-idx1-ubyte.gz");
        Dataset d = IdxLoader.mnist(images.getParent(), true, DType.FLOAT32);
        assertEquals(60000, d.size());
        assertEquals(784, d.featureCount());
        assertEquals(10, d.classCount());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(d.labels(), 10));
        assertArrayEquals(TRAIN_COUNTS, TestData.classCounts(d));

        IdxLoader.Images raw = IdxLoader.readImages(images);
        assertEquals(28, raw.rows());
        assertEquals(28, raw.columns());
        assertEquals(33.318, mean(raw.pixels()), 0.0005);
        for (int i : new int[] {0, 1, 59999}) {
            for (int j = 0; j < 784; j++) {
                assertEquals((float) (raw.pixel(i, j / 28, j % 28) / 255.0), d.feature(i, j), 0.0);
            }
        }
    }

    @Test
    void mnistTestSetRawAndInFloat64() throws IOException {
        Path images = TestData.require("mnist/t10k-images-idx3-ubyte.gz");
        Path labels = TestData.require("mnist/t10k-labels-idx1-ubyte.gz");
        Dataset d = IdxLoader.create().scalePixels(false).dtype(DType.FLOAT64).load(images, labels);
        assertEquals(10000, d.size());
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(d.labels(), 10));
        assertArrayEquals(TEST_COUNTS, TestData.classCounts(d));
        double sum = 0;
        double max = 0;
        for (double v : d.featuresAsDouble()) {
            sum += v;
            max = Math.max(max, v);
            assertEquals(Math.rint(v), v, 0.0);
        }
        assertEquals(33.791, sum / (10000.0 * 784), 0.0005);
        assertEquals(255, max, 0.0);

        Dataset scaled = IdxLoader.mnist(images.getParent(), false, DType.FLOAT64);
        for (int j = 0; j < 784; j++) {
            assertEquals(d.feature(0, j) / 255.0, scaled.feature(0, j), 0.0);
        }
    }

    // ---- Small valid files ------------------------------------------------------------------

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void readsSmallFilesPlainOrGzip(boolean gzip) throws IOException {
        byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 255, (byte) 128, 9, 10, 11, 12};  // 2 images of 2x3
        Path images = write("x.idx", images(2, 2, 3, pixels), gzip);
        Path labels = write("y.idx", labels(new byte[] {7, 0}), gzip);

        Dataset d = IdxLoader.create().dtype(DType.FLOAT64).load(images, labels);
        assertEquals(2, d.size());
        assertEquals(6, d.featureCount());
        assertEquals(10, d.classCount());
        assertArrayEquals(new int[] {7, 0}, d.labels());
        assertEquals(1 / 255.0, d.feature(0, 1), 0.0);
        assertEquals(1.0, d.feature(1, 0), 0.0);
        assertEquals(128 / 255.0, d.feature(1, 1), 0.0);

        Dataset raw = IdxLoader.create().scalePixels(false).dtype(DType.FLOAT32).load(images, labels);
        assertEquals(255, raw.feature(1, 0), 0.0);
        assertEquals(12, raw.feature(1, 5), 0.0);

        IdxLoader.Images read = IdxLoader.readImages(images);
        assertEquals(2, read.count());
        assertEquals(6, read.pixelsPerImage());
        assertEquals(128, read.pixel(1, 0, 1));
    }

    @Test
    void mnistFindsUncompressedAndDotNamedFiles() throws IOException {
        byte[] pixels = new byte[2 * 784];
        pixels[783] = (byte) 200;
        Files.write(dir.resolve("train-images.idx3-ubyte"), images(2, 28, 28, pixels));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(new byte[] {3, 9}));
        Dataset d = IdxLoader.mnist(dir, true, DType.FLOAT32);
        assertArrayEquals(new int[] {3, 9}, d.labels());
        assertEquals((float) (200 / 255.0), d.feature(0, 783), 0.0);
    }

    @Test
    void mnistNamesTheFilesItLookedFor() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxLoader.mnist(dir, false, DType.FLOAT32));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-images.idx3-ubyte"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> IdxLoader.mnist(dir.resolve("absent"), true, DType.FLOAT32));
    }

    @Test
    void mnistRejectsImagesThatAreNot28By28() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), images(1, 2, 2, new byte[4]));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(new byte[] {1}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.mnist(dir, true, DType.FLOAT32));
        assertTrue(e.getMessage().contains("28x28"), e.getMessage());
    }

    @Test
    void classCountAllowsMoreLabels() throws IOException {
        Path images = write("x", images(1, 1, 1, new byte[] {5}), false);
        Path labels = write("y", labels(new byte[] {12}), false);
        assertEquals(13, IdxLoader.create().classCount(13).load(images, labels).classCount());
        assertThrows(IllegalArgumentException.class, () -> IdxLoader.create().classCount(1));
    }

    // ---- Malformed files --------------------------------------------------------------------

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void truncatedAnywhereNamesTheFileAndTheByte(boolean gzip) throws IOException {
        byte[] whole = images(5, 2, 3, new byte[30]);  // 16 + 30 bytes
        String data = gzip ? "the decompressed data" : "the file";
        for (int cut : new int[] {0, 3, 10, 15}) {
            Path file = write("cut" + cut, Arrays.copyOf(whole, cut), gzip);
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file));
            assertEquals("cut" + cut, e.source());
            assertTrue(e.getMessage().startsWith("cut" + cut + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(data + " ends at byte " + cut + ", inside the 16-byte header"),
                    e.getMessage());
        }
        for (int cut : new int[] {16, 17, 30, 45}) {
            Path file = write("cut" + cut, Arrays.copyOf(whole, cut), gzip);
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file));
            assertTrue(e.getMessage().contains("the header says 5 images of 2x3: expected 30 pixel bytes after the "
                    + "16-byte header but " + data + " ends at byte " + cut), e.getMessage());
        }
        byte[] labelBytes = labels(new byte[] {1, 2, 3});
        Path file = write("labels", Arrays.copyOf(labelBytes, labelBytes.length - 1), gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readLabels(file));
        assertTrue(e.getMessage().contains("expected 3 label bytes after the 8-byte header but " + data
                + " ends at byte 10"), e.getMessage());
    }

    @Test
    void aTruncatedGzipStreamIsAFormatError() throws IOException {
        byte[] gz = gzip(images(50, 28, 28, pseudoRandom(50 * 784)));
        for (int cut : new int[] {5, 20, gz.length / 2, gz.length - 4}) {
            Path file = dir.resolve("cut" + cut + ".gz");
            Files.write(file, Arrays.copyOf(gz, cut));
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file));
            assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void extraBytesAfterTheLastImageAreAnError(boolean gzip) throws IOException {
        byte[] whole = images(2, 2, 2, new byte[8]);
        Path file = write("long", Arrays.copyOf(whole, whole.length + 3), gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file));
        assertTrue(e.getMessage().contains("which end at byte 24"), e.getMessage());
        assertTrue(e.getMessage().contains(gzip ? "goes on after the last image" : "3 extra bytes after the last image"),
                e.getMessage());
    }

    @Test
    void wrongMagicNumbersSayWhatTheFileIs() throws IOException {
        Path labelFile = write("labels", labels(new byte[] {1}), false);
        DataFormatException swapped = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(labelFile));
        assertTrue(swapped.getMessage().contains("magic number 0x00000801 at byte 0, expected 0x00000803"),
                swapped.getMessage());
        assertTrue(swapped.getMessage().contains("swapped"), swapped.getMessage());
        Path imageFile = write("images", images(1, 1, 1, new byte[1]), false);
        assertTrue(assertThrows(DataFormatException.class, () -> IdxLoader.readLabels(imageFile)).getMessage()
                .contains("swapped"));

        Path text = dir.resolve("text");
        Files.writeString(text, "0,1,2,3\n4,5,6,7\n");
        assertTrue(assertThrows(DataFormatException.class, () -> IdxLoader.readImages(text)).getMessage()
                .contains("not an IDX file"));

        byte[] floats = images(1, 1, 1, new byte[4]);
        floats[2] = 0x0D;
        Path floatFile = write("floats", floats, false);
        String m = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(floatFile)).getMessage();
        assertTrue(m.contains("element type 0x0D at byte 2 (32-bit float) is not supported"), m);

        byte[] twoDims = images(1, 1, 1, new byte[1]);
        twoDims[3] = 2;
        Path twoDimFile = write("twodims", twoDims, false);
        m = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(twoDimFile)).getMessage();
        assertTrue(m.contains("byte 3 says 2 dimensions, images need 3"), m);
    }

    @Test
    void countsMustBePositive() throws IOException {
        Path zero = write("zero", images(0, 28, 28, new byte[0]), false);
        String m = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(zero)).getMessage();
        assertTrue(m.contains("the image count at byte 4 is 0"), m);
        byte[] negativeRows = images(1, 1, 1, new byte[1]);
        ByteBuffer.wrap(negativeRows).putInt(8, -28);
        Path rows = write("rows", negativeRows, false);
        m = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(rows)).getMessage();
        assertTrue(m.contains("the row count at byte 8 is -28"), m);
    }

    @Test
    void labelAndImageCountsMustAgree() throws IOException {
        Path images = write("img", images(3, 1, 2, new byte[6]), true);
        Path labels = write("lab", labels(new byte[] {1, 2}), true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.create().load(images, labels));
        assertEquals("lab: the header at byte 4 says 2 labels, but img holds 3 images; the files do not belong together",
                e.getMessage());
    }

    @Test
    void labelsAboveNineNameTheSampleAndByte() throws IOException {
        Path images = write("img", images(4, 1, 1, new byte[4]), false);
        Path labels = write("lab", labels(new byte[] {0, 9, 3, 12}), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.create().load(images, labels));
        assertEquals("lab: label 12 of sample 3 (byte 11) is not below the class count 10", e.getMessage());
    }

    /** A header claiming 1.5 GB in a 100-byte file fails at once, without allocating anything like it. */
    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void aForgedHugeCountFailsWithoutAHugeAllocation(boolean gzip) throws IOException {
        byte[] forged = Arrays.copyOf(images(2_000_000, 28, 28, new byte[0]), 100);
        Path file = write("forged", forged, gzip);
        long before = allocatedBytes();
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file));
        long allocated = allocatedBytes() - before;
        assertTrue(e.getMessage().contains("expected 1,568,000,000 pixel bytes after the 16-byte header but "
                + (gzip ? "the decompressed data" : "the file") + " ends at byte 100"), e.getMessage());
        if (before >= 0) {
            assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes");
        }

        byte[] labelsForged = Arrays.copyOf(labels(new byte[0]), 20);
        ByteBuffer.wrap(labelsForged).putInt(4, Integer.MAX_VALUE);
        Path labelFile = write("forged-labels", labelsForged, gzip);
        assertThrows(DataFormatException.class, () -> IdxLoader.readLabels(labelFile));
    }

    @Test
    void aCountBeyondAnyArrayIsRefusedFromTheHeader() throws IOException {
        Path file = write("huge", images(100_000_000, 28, 28, new byte[0]), false);
        String m = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file)).getMessage();
        assertEquals("huge: the header says 100,000,000 images of 28x28, 78,400,000,000 bytes, more than one array can "
                + "hold (2,147,483,639); see the image count, row count and column count at bytes 4, 8 and 12", m);
    }

    /**
     * Found by fuzzing: count x rows x columns beyond 2^63 wrapped around to a negative byte count, which
     * was a NegativeArraySizeException for a gzip file, and a nonsensical length check for a plain one.
     */
    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void countTimesRowsTimesColumnsBeyond64BitsIsAFormatError(boolean gzip) throws IOException {
        byte[] forged = images(0x00FF_FFFF, 0x0300_009C, 0x029C_9C9C, new byte[] {0, 1, 2, 3, 4, 5, -6, -5, -4, -3, -2, -1});
        Path file = write("overflow", forged, gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.readImages(file));
        assertEquals("overflow: the header says 16,777,215 images of 50331804x43818140, over 9,223,372,036,854,775,807 "
                + "pixel bytes (count x rows x columns overflows 64 bits), more than one array can hold (2,147,483,639); "
                + "see the image count, row count and column count at bytes 4, 8 and 12", e.getMessage());
        assertEquals("overflow", e.source());

        // 2^30 cubed is 2^90, which a long would wrap around to exactly 0.
        Path square = write("square", images(0x4000_0000, 0x4000_0000, 0x4000_0000, new byte[0]), gzip);
        assertTrue(assertThrows(DataFormatException.class, () -> IdxLoader.readImages(square)).getMessage()
                .contains("overflows 64 bits"));
    }

    // ---- Helpers ----------------------------------------------------------------------------

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxLoader.IMAGE_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] labels(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxLoader.LABEL_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, gzip ? gzip(content) : content);
        return file;
    }

    private static byte[] pseudoRandom(int n) {
        byte[] b = new byte[n];
        new java.util.Random(3).nextBytes(b);
        return b;
    }

    private static double mean(byte[] pixels) {
        long sum = 0;
        for (byte p : pixels) {
            sum += p & 0xFF;
        }
        return (double) sum / pixels.length;
    }

    /** Bytes allocated by this thread so far, or -1 where the JVM cannot tell. */
    static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    @Test
    void defaultsAreDescribed() {
        assertEquals("IdxLoader[x/255, 10 classes, float32]", IdxLoader.create().toString());
        assertEquals("IdxLoader[raw 0..255, 12 classes, float64]",
                IdxLoader.create().scalePixels(false).classCount(12).dtype(DType.FLOAT64).toString());
    }
}
