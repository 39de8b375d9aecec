package org.backprop4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;

class BuiltinDatasetsTest {

    @Test
    void embeddedDigits() {
        Dataset d = BuiltinDatasets.digits(DType.FLOAT32);
        assertEquals(DType.FLOAT32, d.dtype());
        RealDataTest.assertDigits(d);
        RealDataTest.assertDigits(BuiltinDatasets.digits(DType.FLOAT64));
    }

    @Test
    void embeddedDigitsEqualTheSharedFile() throws IOException {
        Path file = TestData.require("sklearn/digits.csv.gz");
        Dataset fromFile = CsvLoader.classification().dtype(DType.FLOAT64).load(file);
        Dataset embedded = BuiltinDatasets.digits(DType.FLOAT64);
        assertArrayEquals(fromFile.featuresAsDouble(), embedded.featuresAsDouble(), 0.0);
        assertArrayEquals(fromFile.labels(), embedded.labels());
    }

    @Test
    void licenseSitsBesideTheData() throws IOException {
        try (InputStream in = BuiltinDatasets.class.getResourceAsStream("/org/backprop4j/data/digits-LICENSE.txt")) {
            assertNotNull(in);
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("CC BY 4.0") && text.contains("Alpaydin") && text.contains("Kaynak"));
        }
    }

    @Test
    void byNameKnowsEveryListedName() {
        assertEquals(List.of("digits", "moons", "circles", "spirals", "xor"), BuiltinDatasets.names());
        for (String name : BuiltinDatasets.names()) {
            Dataset d = BuiltinDatasets.byName(name, 7, DType.FLOAT64);
            assertEquals(DType.FLOAT64, d.dtype(), name);
            assertTrue(d.hasClasses(), name);
        }
        assertEquals(1000, BuiltinDatasets.byName("moons", 1, DType.FLOAT32).size());
        assertEquals(3, BuiltinDatasets.byName("spirals", 1, DType.FLOAT32).classCount());
        assertEquals(1797, BuiltinDatasets.byName(" Digits ", 1, DType.FLOAT32).size());
    }

    @Test
    void byNameIsSeeded() {
        Dataset a = BuiltinDatasets.byName("moons", 3, DType.FLOAT64);
        Dataset b = BuiltinDatasets.byName("moons", 3, DType.FLOAT64);
        assertArrayEquals(a.featuresAsDouble(), b.featuresAsDouble(), 0.0);
        assertArrayEquals(Synthetic.twoMoons(1000, 0.2, 3, DType.FLOAT64).featuresAsDouble(), a.featuresAsDouble(), 0.0);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BuiltinDatasets.byName("mnist", 1, DType.FLOAT32));
        assertEquals("unknown built-in dataset 'mnist'; known: digits, moons, circles, spirals, xor", e.getMessage());
    }
}
