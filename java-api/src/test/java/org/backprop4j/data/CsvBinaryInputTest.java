package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary files given to CsvLoader: one message saying what the file is, not a CSV error from its first lines. */
class CsvBinaryInputTest {

    @TempDir
    Path dir;

    private DataFormatException failure(String name, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        return assertThrows(DataFormatException.class, () -> CsvLoader.classification().load(file));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** An IDX image file as in MNIST: magic 0x803, count, rows, columns, then pixels. */
    private static byte[] idxImages(int count) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * 784);
        b.putInt(0x803).putInt(count).putInt(28).putInt(28);
        for (int i = 0; i < count * 784; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    @Test
    void gzippedIdxImagesSayIdxAndTheFix() throws IOException {
        DataFormatException e = failure("t10k-images-idx3-ubyte.gz", gzip(idxImages(3)));

        assertEquals("t10k-images-idx3-ubyte.gz is an IDX file (MNIST images), not CSV: use IdxLoader, or on the "
                + "command line --data mnist:DIR (the directory holding the MNIST files)", e.getMessage());
        assertEquals("t10k-images-idx3-ubyte.gz", e.source());
    }

    @Test
    void plainIdxLabelsSayIdxLabels() throws IOException {
        byte[] labels = ByteBuffer.allocate(8 + 4).putInt(0x801).putInt(4).put(new byte[] {1, 2, 3, 4}).array();

        DataFormatException e = failure("labels", labels);

        assertTrue(e.getMessage().startsWith("labels is an IDX file (MNIST labels), not CSV: use IdxLoader"),
                e.getMessage());
    }

    @Test
    void hdf5SignatureSaysHdf5() throws IOException {
        byte[] h5 = new byte[64];
        System.arraycopy(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 0, h5, 0, 8);

        DataFormatException e = failure("cats.data", h5);

        assertTrue(e.getMessage().startsWith("cats.data is an HDF5 file, not CSV: use Hdf5Loader, or on the command "
                + "line --data FILE.h5"), e.getMessage());
    }

    @Test
    void nulByteSaysBinaryAndWhere() throws IOException {
        byte[] content = "1,2,0\n3,4\0,1\n".getBytes(StandardCharsets.UTF_8);

        DataFormatException e = failure("points.csv", content);

        assertEquals("points.csv is binary, not CSV text (a NUL byte at offset 9)", e.getMessage());
    }

    @Test
    void rawPixelBytesSayBinaryAndNameTheRawCatReader() throws IOException {
        // The start of the course's test_x.u8: pixel bytes, the first of them not valid UTF-8.
        byte[] pixels = new byte[3000];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (0x9e + i * 37);
        }

        DataFormatException e = failure("test_x.u8", pixels);

        assertTrue(e.getMessage().startsWith("test_x.u8 is binary, not CSV text (byte 0x9e at offset 0 is not UTF-8)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("RawCatLoader") && e.getMessage().contains("--data cat:DIR"),
                e.getMessage());
    }

    @Test
    void latin1TextSaysSaveAsUtf8() throws IOException {
        byte[] content = "caf\u00e9,x,label\n1,2,0\n3,4,1\n".getBytes(StandardCharsets.ISO_8859_1);

        DataFormatException e = failure("latin1.csv", content);

        assertTrue(e.getMessage().startsWith("latin1.csv is not UTF-8 text (byte 0xe9 at offset 3 is not UTF-8)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("save it as UTF-8"), e.getMessage());
    }

    @Test
    void utf16SaysSaveAsUtf8() throws IOException {
        DataFormatException e = failure("wide.csv", "1,2,0\n".getBytes(StandardCharsets.UTF_16));

        assertTrue(e.getMessage().startsWith("wide.csv is UTF-16 text"), e.getMessage());
    }

    @Test
    void textThatIsStillCsvLoadsAsBefore() throws IOException {
        // Multi-byte UTF-8 in the header and a byte order mark.
        StringBuilder text = new StringBuilder("\uFEFFa\u00e9,\u20ac,label\n");
        while (text.length() < TextCheck.PEEK - 1) {
            text.append("1,2,0\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Dataset d = CsvLoader.classification().load(new ByteArrayInputStream(bytes), "mem");
        assertTrue(d.size() > 600);
    }

    @Test
    void aCharacterCutAtTheEndOfTheExaminedBytesIsNotAnError() {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        byte[] head = new byte[10];
        System.arraycopy("1,2,".getBytes(StandardCharsets.US_ASCII), 0, head, 0, 4);
        head[4] = euro[0];
        head[5] = euro[1];

        assertEquals(null, TextCheck.problem(head, 6, false, "mem"));
        assertTrue(TextCheck.problem(head, 6, true, "mem").contains("is not UTF-8"));
    }

    @Test
    void theRealMnistAndCatFilesAreRecognized() {
        Path images = TestData.require("mnist/t10k-images-idx3-ubyte.gz");
        Path pixels = TestData.require("catvnoncat/test_x.u8");
        Path h5 = TestData.require("catvnoncat/test_catvnoncat.h5");

        assertTrue(assertThrows(DataFormatException.class, () -> CsvLoader.classification().load(images))
                .getMessage().startsWith("t10k-images-idx3-ubyte.gz is an IDX file (MNIST images), not CSV"));
        assertTrue(assertThrows(DataFormatException.class, () -> CsvLoader.classification().load(pixels))
                .getMessage().startsWith("test_x.u8 is binary, not CSV text"));
        assertTrue(assertThrows(DataFormatException.class, () -> CsvLoader.classification().load(h5))
                .getMessage().startsWith("test_catvnoncat.h5 is an HDF5 file, not CSV"));
    }
}
