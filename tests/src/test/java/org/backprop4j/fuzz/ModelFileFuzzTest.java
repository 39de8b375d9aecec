package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.ModelFormatException;
import org.backprop4j.nn.Network;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes loaded as a model file ({@link Network#load(Path, Backend)}) either give a network or
 * throw {@link ModelFormatException}: no other exception, no {@link OutOfMemoryError} from a forged
 * count (run it with a small heap), no hang. A network that loads must also predict, save and load
 * again with the same layers, loss, dtype and parameters.
 *
 * <p>Each input is loaded twice: as it is, and with its last four bytes replaced by the CRC-32 of
 * the others, so that mutated headers and parameters get past the checksum (which would otherwise
 * reject nearly every mutation) and reach the network construction. The seeds, valid files of every
 * dtype, activation and loss, with and without input scaling, are in {@code ModelFileFuzzTestInputs}.
 */
class ModelFileFuzzTest {

    private static final Backend REFERENCE = new ReferenceBackend();

    @FuzzTest(maxDuration = "20s")
    void modelFile(byte[] input) {
        FileInputs.input("modelFile");
        load(input, "Network.load");
        if (input.length >= 4) {
            byte[] fixed = input.clone();
            CRC32 crc = new CRC32();
            crc.update(fixed, 0, fixed.length - 4);
            int value = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                fixed[fixed.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
            }
            load(fixed, "Network.load (checksum fixed)");
        }
    }

    private static void load(byte[] bytes, String what) {
        Path file = FileInputs.write("model.bp4j", bytes);
        Network net;
        try {
            net = Network.load(file, REFERENCE);
        } catch (ModelFormatException e) {
            FileInputs.rejected("modelFile");
            return;
        } catch (Throwable t) {
            throw FileInputs.finding(what, bytes, t);
        }
        try {
            if (net.inputSize() <= 4096) {
                net.predict(new double[2][net.inputSize()]);
            }
            Path again = FileInputs.write("again.bp4j", new byte[0]);
            net.save(again);
            Network copy = Network.load(again, REFERENCE);
            if (!copy.layers().equals(net.layers()) || copy.loss() != net.loss() || copy.dtype() != net.dtype()
                    || copy.hasInputScaling() != net.hasInputScaling()
                    || !Arrays.equals(copy.parameters(), net.parameters())) {
                throw new AssertionError("a loaded model saved and loaded again differs: " + net.summary() + " vs "
                        + copy.summary());
            }
        } catch (IOException | RuntimeException e) {
            throw FileInputs.finding(what + ", then predict, save and load again", bytes, e);
        }
        FileInputs.accepted("modelFile");
    }

    @AfterAll
    static void stats() {
        FileInputs.printStats();
    }
}
