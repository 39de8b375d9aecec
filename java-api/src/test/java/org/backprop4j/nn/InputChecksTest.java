package org.backprop4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values that would silently become infinite or NaN, and half-applied changes, are refused up front. */
class InputChecksTest {

    private static Network floatNet() {
        return Network.builder().input(2).dense(4, Activation.TANH).dense(2, Activation.SOFTMAX).seed(1)
                .backend(new ReferenceBackend()).build();
    }

    @Test
    void valuesBeyondTheFloat32RangeAreRefusedNotStoredAsInfinity() {
        IllegalArgumentException data = assertThrows(IllegalArgumentException.class, () -> Dataset.ofClasses(
                new double[][] {{1, 2}, {3, 1e39}}, new int[] {0, 1}, 2, DType.FLOAT32));
        assertEquals("row 1, column 1 is 1.0E39, beyond the float32 range (3.4028235E38): use DType.FLOAT64 or "
                + "scale the data", data.getMessage());
        assertEquals(1e39, Dataset.ofClasses(new double[][] {{1, 2}, {3, 1e39}}, new int[] {0, 1}, 2, DType.FLOAT64)
                .feature(1, 1));

        Network net = floatNet();
        IllegalArgumentException predict = assertThrows(IllegalArgumentException.class,
                () -> net.predict(new double[][] {{1e39, 0}}));
        assertTrue(predict.getMessage().startsWith("sample 0, feature 0 is 1.0E39, beyond the float32 range"),
                predict::getMessage);
    }

    @Test
    void aClassificationHasAtLeastTwoClasses() {
        for (int classCount : new int[] {1, -5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.ofClasses(
                    new double[][] {{1}, {2}}, new int[] {0, 0}, classCount, DType.FLOAT64));
            assertTrue(e.getMessage().startsWith("classCount " + classCount + ": a classification has at least 2"),
                    e::getMessage);
        }
        assertEquals(2, Dataset.ofClasses(new double[][] {{1}, {2}}, new int[] {0, 0}, 0, DType.FLOAT64).classCount());
    }

    @Test
    void setParametersChecksEveryValueBeforeWritingAny() {
        Network net = floatNet();
        double[] before = net.parameters();
        double[] bad = before.clone();
        bad[0] = 7;
        bad[bad.length - 1] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> net.setParameters(bad));
        assertArrayEquals(before, net.parameters(), "a rejected call changes nothing");
        bad[bad.length - 1] = 1e39;
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> net.setParameters(bad));
        assertTrue(big.getMessage().endsWith("parameters must be finite in float32"), big::getMessage);
    }

    @Test
    void aNullBackendIsRefusedWhereItIsGiven(@TempDir Path dir) throws Exception {
        Network net = floatNet();
        Path file = dir.resolve("m.bp4j");
        net.save(file);
        assertThrows(NullPointerException.class, () -> Network.load(file, null));
        assertThrows(NullPointerException.class, () -> net.withBackend(null));
    }
}
