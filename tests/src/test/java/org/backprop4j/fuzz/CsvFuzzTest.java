package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import org.backprop4j.data.CsvLoader;
import org.backprop4j.data.DataFormatException;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes loaded as CSV either give a dataset or throw {@link DataFormatException}: no other
 * exception (an I/O error cannot happen on bytes in memory), no {@link OutOfMemoryError}, no hang.
 * The first byte of the input picks the loader options (low 3 bits) and whether the rest is
 * gzip-compressed first (bit 3), so the gzip path sees valid streams of fuzzed text too.
 */
class CsvFuzzTest {

    private static final CsvLoader[] LOADERS = {
        CsvLoader.classification(),
        CsvLoader.regression(),
        CsvLoader.sklearn(),
        CsvLoader.classification().header(CsvLoader.Header.NONE).labelColumn(0),
        CsvLoader.regression().labelColumn("y"),
        CsvLoader.classification().delimiter(';').dtype(DType.FLOAT64).classCount(3),
        CsvLoader.classification().header(CsvLoader.Header.NAMES).labelColumn(-2),
        CsvLoader.regression().header(CsvLoader.Header.NONE).delimiter('\t').dtype(DType.FLOAT64),
    };

    @FuzzTest(maxDuration = "20s")
    void csv(byte[] input) {
        FileInputs.input("csv");
        int options = input.length == 0 ? 0 : input[0] & 0xFF;
        byte[] text = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        if ((options & 8) != 0) {
            text = FileInputs.gzip(text);
        }
        CsvLoader loader = LOADERS[options & 7];
        try {
            loader.load(new ByteArrayInputStream(text), "fuzz.csv");
        } catch (DataFormatException e) {
            FileInputs.rejected("csv");
            return;
        } catch (Throwable t) {
            throw FileInputs.finding(loader + ".load", input, t);
        }
        FileInputs.accepted("csv");
    }

    @AfterAll
    static void stats() {
        FileInputs.printStats();
    }
}
