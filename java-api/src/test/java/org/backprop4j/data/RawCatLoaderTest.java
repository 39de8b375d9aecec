package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw {@code .u8} copies of cat vs non-cat (skipped where absent), and malformed ones made here. */
class RawCatLoaderTest {

    @TempDir
    Path dir;

    @Test
    void realFilesAsTheDataReadmeDescribes() throws IOException {
        Path x = TestData.require("catvnoncat/train_x.u8");
        TestData.require("catvnoncat/test_x.u8");
        Dataset train = RawCatLoader.catVsNonCat(x.getParent(), true, DType.FLOAT64);
        assertEquals(209, train.size());
        assertEquals(12288, train.featureCount());
        assertEquals(List.of("non-cat", "cat"), train.classNames());
        assertArrayEquals(Hdf5LoaderTest.FIRST_TRAIN_LABELS, Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new int[] {137, 72}, TestData.classCounts(train));
        assertEquals(17 / 255.0, train.feature(0, 0), 0.0);
        assertEquals(31 / 255.0, train.feature(0, 1), 0.0);
        assertEquals(56 / 255.0, train.feature(0, 2), 0.0);

        Dataset test = RawCatLoader.catVsNonCat(x.getParent(), false, DType.FLOAT32);
        assertEquals(50, test.size());
        assertArrayEquals(Hdf5LoaderTest.FIRST_TEST_LABELS, Arrays.copyOf(test.labels(), 10));
        assertArrayEquals(new int[] {17, 33}, TestData.classCounts(test));
        assertEquals((float) (158 / 255.0), test.feature(0, 0), 0.0);
    }

    @Test
    void smallFilesRawAndScaled() throws IOException {
        byte[] x = new byte[2 * RawCatLoader.FEATURES];
        x[RawCatLoader.FEATURES + (5 * 64 + 7) * 3 + 2] = (byte) 200;  // example 1, row 5, column 7, blue
        Path xs = write("x.u8", x);
        Path ys = write("y.u8", new byte[] {1, 0});
        Dataset raw = RawCatLoader.load(xs, ys, DType.FLOAT32, false);
        assertEquals(200, raw.feature(1, (5 * 64 + 7) * 3 + 2), 0.0);
        assertArrayEquals(new int[] {1, 0}, raw.labels());
        Dataset scaled = RawCatLoader.load(xs, ys, DType.FLOAT64, true);
        assertEquals(200 / 255.0, scaled.feature(1, (5 * 64 + 7) * 3 + 2), 0.0);
    }

    @Test
    void aCutOffImageIsNamed() throws IOException {
        Path xs = write("train_x.u8", new byte[2 * RawCatLoader.FEATURES + 5]);
        Path ys = write("train_y.u8", new byte[2]);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> RawCatLoader.load(xs, ys, DType.FLOAT32, true));
        assertEquals("train_x.u8: 24,581 bytes is not a whole number of 64x64x3 images (12,288 bytes each): the last "
                + "image starts at byte 24,576 and the file ends at byte 24,581 (truncated?)", e.getMessage());
        assertEquals("train_x.u8", e.source());
    }

    @Test
    void labelCountMustMatchTheImages() throws IOException {
        Path xs = write("train_x.u8", new byte[3 * RawCatLoader.FEATURES]);
        Path ys = write("train_y.u8", new byte[2]);
        assertEquals("train_y.u8: 2 labels (one byte each), but train_x.u8 holds 3 images; the files do not belong "
                + "together", assertThrows(DataFormatException.class,
                        () -> RawCatLoader.load(xs, ys, DType.FLOAT32, true)).getMessage());
    }

    @Test
    void labelsAreZeroOrOne() throws IOException {
        Path xs = write("x.u8", new byte[2 * RawCatLoader.FEATURES]);
        Path ys = write("y.u8", new byte[] {1, 2});
        assertEquals("y.u8: label 2 at byte 1 is neither 0 (non-cat) nor 1 (cat)", assertThrows(DataFormatException.class,
                () -> RawCatLoader.load(xs, ys, DType.FLOAT32, true)).getMessage());
    }

    @Test
    void anEmptyImageFileIsAnError() throws IOException {
        Path xs = write("x.u8", new byte[0]);
        Path ys = write("y.u8", new byte[0]);
        assertEquals("x.u8: the file is empty; expected 64x64x3 images of 12288 bytes each",
                assertThrows(DataFormatException.class, () -> RawCatLoader.load(xs, ys, DType.FLOAT32, true)).getMessage());
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }
}
