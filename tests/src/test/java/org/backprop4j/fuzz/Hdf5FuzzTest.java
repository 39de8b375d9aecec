package org.backprop4j.fuzz;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.backprop4j.data.DataFormatException;
import org.backprop4j.data.Hdf5Loader;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes loaded as an HDF5 file ({@link Hdf5Loader}, through jHDF) either give a dataset or throw
 * {@link DataFormatException}: no other exception from the loader or from jHDF, no
 * {@link OutOfMemoryError} from a forged size (run it with a small heap), no hang. Inputs of even
 * length use the default loader (datasets found by their {@code _x}/{@code _y} suffixes), odd ones
 * name the datasets and keep raw pixels in float64.
 */
class Hdf5FuzzTest {

    @FuzzTest(maxDuration = "20s")
    void hdf5(byte[] input) {
        assumeTrue(Hdf5Loader.isAvailable(), "jHDF is not on the class path");
        FileInputs.input("hdf5");
        Path file = FileInputs.write("data.h5", input);
        Hdf5Loader loader = input.length % 2 == 0 ? Hdf5Loader.create()
                : Hdf5Loader.create().datasets("train_set_x", "train_set_y").scalePixels(false).dtype(DType.FLOAT64);
        try {
            loader.load(file);
        } catch (DataFormatException e) {
            FileInputs.rejected("hdf5");
            return;
        } catch (Throwable t) {
            throw FileInputs.finding(loader + ".load", input, t);
        }
        FileInputs.accepted("hdf5");
    }

    @AfterAll
    static void stats() {
        FileInputs.printStats();
    }
}
