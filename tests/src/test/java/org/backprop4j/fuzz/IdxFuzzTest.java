package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import org.backprop4j.data.DataFormatException;
import org.backprop4j.data.IdxLoader;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes loaded as IDX (MNIST) files either give images, labels or a dataset, or throw
 * {@link DataFormatException}: no other exception, no {@link OutOfMemoryError} from a forged count
 * (run it with a small heap), no hang. The first byte of the input picks what is read (low 2 bits:
 * an image file, a label file, or both as a dataset) and whether the files are gzip-compressed
 * first (bit 2); for a dataset the next two bytes say where the image file ends and the label file
 * starts.
 */
class IdxFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void idx(byte[] input) {
        FileInputs.input("idx");
        int mode = input.length == 0 ? 0 : input[0] & 0xFF;
        boolean gzip = (mode & 4) != 0;
        String what;
        try {
            switch (mode & 3) {
                case 0:
                    what = "IdxLoader.readImages";
                    IdxLoader.readImages(file("images", rest(input, 1), gzip));
                    break;
                case 1:
                    what = "IdxLoader.readLabels";
                    IdxLoader.readLabels(file("labels", rest(input, 1), gzip));
                    break;
                default:
                    what = "IdxLoader.load";
                    byte[] body = rest(input, 3);
                    int split = input.length < 3 ? 0 : Math.min(body.length, (input[1] & 0xFF) << 8 | input[2] & 0xFF);
                    Path images = file("images", Arrays.copyOfRange(body, 0, split), gzip);
                    Path labels = file("labels", Arrays.copyOfRange(body, split, body.length), gzip);
                    IdxLoader loader = (mode & 8) != 0 ? IdxLoader.create() : IdxLoader.create().scalePixels(false)
                            .classCount(256).dtype(DType.FLOAT64);
                    loader.load(images, labels);
            }
        } catch (DataFormatException e) {
            FileInputs.rejected("idx");
            return;
        } catch (Throwable t) {
            throw FileInputs.finding("IdxLoader (mode " + mode + ")", input, t);
        }
        FileInputs.accepted("idx");
    }

    private static byte[] rest(byte[] input, int from) {
        return input.length <= from ? new byte[0] : Arrays.copyOfRange(input, from, input.length);
    }

    private static Path file(String name, byte[] bytes, boolean gzip) {
        return gzip ? FileInputs.write(name + ".gz", FileInputs.gzip(bytes)) : FileInputs.write(name, bytes);
    }

    @AfterAll
    static void stats() {
        FileInputs.printStats();
    }
}
