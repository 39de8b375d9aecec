package org.backprop4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.backprop4j.nn.DType;

/**
 * Datasets that need no files: the UCI 8×8 handwritten digits embedded in this library, and the
 * {@link Synthetic} problems at default sizes, all reachable by name (for command lines and configs).
 */
public final class BuiltinDatasets {

    /** Classpath location of the embedded digits: gzip-compressed CSV, no header, label last. */
    public static final String DIGITS_RESOURCE = "/org/backprop4j/data/digits.csv.gz";

    private static final List<String> NAMES = List.of("digits", "moons", "circles", "spirals", "xor");

    private static volatile Dataset digits;

    private BuiltinDatasets() {
    }

    /**
     * The UCI "Optical Recognition of Handwritten Digits" test set as shipped by scikit-learn
     * (E. Alpaydin and C. Kaynak, 1998, CC BY 4.0; see {@code digits-LICENSE.txt} beside the
     * resource): 1797 samples of 64 features, the 8×8 image row by row with integer values 0..16
     * (unscaled; {@code Scaler.divideBy(16)} maps them to [0, 1]), and 10 classes, the digits 0..9.
     *
     * @throws IllegalStateException if the resource is missing from the classpath
     */
    public static Dataset digits(DType dtype) {
        // Parsed on first use and shared: the dataset is immutable. A race only parses it twice.
        Dataset d = digits;
        if (d == null) {
            d = loadDigits();
            digits = d;
        }
        return d.as(dtype);
    }

    /**
     * A built-in dataset by name (case-insensitive), with these defaults:
     * <ul>
     *   <li>{@code digits}: {@link #digits(DType)} (the seed is not used);</li>
     *   <li>{@code moons}: {@link Synthetic#twoMoons} with 1000 samples, noise 0.2;</li>
     *   <li>{@code circles}: {@link Synthetic#circles} with 1000 samples, noise 0.1, inner radius 0.5;</li>
     *   <li>{@code spirals}: {@link Synthetic#spirals} with 900 samples, 3 arms, noise 0.1;</li>
     *   <li>{@code xor}: {@link Synthetic#xor} with 1000 samples, noise 0.15.</li>
     * </ul>
     *
     * @param seed seed of the synthetic generators
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Dataset byName(String name, long seed, DType dtype) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "digits": return digits(dtype);
            case "moons": return Synthetic.twoMoons(1000, 0.2, seed, dtype);
            case "circles": return Synthetic.circles(1000, 0.1, 0.5, seed, dtype);
            case "spirals": return Synthetic.spirals(900, 3, 0.1, seed, dtype);
            case "xor": return Synthetic.xor(1000, 0.15, seed, dtype);
            default:
                throw new IllegalArgumentException("unknown built-in dataset '" + name + "'; known: "
                        + String.join(", ", NAMES));
        }
    }

    /** The names {@link #byName} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    private static Dataset loadDigits() {
        try (InputStream in = BuiltinDatasets.class.getResourceAsStream(DIGITS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DIGITS_RESOURCE + " is not on the classpath; "
                        + "it belongs in the backprop4j-api jar");
            }
            return CsvLoader.classification().header(CsvLoader.Header.NONE).classCount(10).dtype(DType.FLOAT64)
                    .load(in, "digits.csv.gz");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + DIGITS_RESOURCE, e);
        }
    }
}
