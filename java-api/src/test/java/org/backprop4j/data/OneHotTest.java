package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OneHotTest {

    @Test
    void encode() {
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, OneHot.encode(new int[] {1, 0, 2}, 3), 0.0);
        assertArrayEquals(new double[0], OneHot.encode(new int[0], 3), 0.0);
    }

    @Test
    void decodeTakesTheArgmaxOfEachRow() {
        assertArrayEquals(new int[] {1, 0, 2}, OneHot.decode(new double[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, 3));
        assertArrayEquals(new int[] {2, 0}, OneHot.decode(new double[] {0.2, 0.3, 0.5, -1, -2, -3}, 3));
        assertArrayEquals(new int[] {1, 0}, OneHot.decode(new float[] {0.1f, 0.9f, 0.6f, 0.4f}, 2));
    }

    @Test
    void tiesGoToTheFirstColumn() {
        assertArrayEquals(new int[] {0, 1}, OneHot.decode(new double[] {0.5, 0.5, 0.1, 0.2, 0.4, 0.4}, 3));
        assertArrayEquals(new int[] {1}, OneHot.decode(new double[] {0, 1, 1}, 3));
    }

    @Test
    void roundTrip() {
        int[] labels = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
        assertArrayEquals(labels, OneHot.decode(OneHot.encode(labels, 10), 10));
    }

    @Test
    void errors() {
        assertEquals("label 3 at index 1 is outside [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> OneHot.encode(new int[] {0, 3}, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(new int[] {-1}, 3));
        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(new int[] {0}, 0));
        assertEquals("array length 5 is not a multiple of classCount 2",
                assertThrows(IllegalArgumentException.class, () -> OneHot.decode(new double[5], 2)).getMessage());
        assertEquals("row 1, column 0 is NaN: cannot pick a class", assertThrows(IllegalArgumentException.class,
                () -> OneHot.decode(new double[] {1, 0, Double.NaN, 1}, 2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> OneHot.decode(new float[] {Float.NaN, 1}, 2));
    }
}
