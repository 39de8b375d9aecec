package org.backprop4j.nn;

import java.util.Locale;
import java.util.Random;

/**
 * How weights start. Biases always start at zero. {@code n_in} is the layer's input width,
 * {@code n_out} its unit count.
 *
 * <p>The choice matters more than it looks: {@link #RANDN_0_01} in a deep relu network makes each
 * layer's activations about 100 times smaller than the last, so the gradients vanish and the cost
 * barely moves. Use {@link #HE_NORMAL} for relu layers and {@link #XAVIER_UNIFORM} for tanh/sigmoid.
 */
public enum Initializer {
    /** {@code randn × 0.01}: the course's first recipe; fine for one hidden layer, too small for deep nets. */
    RANDN_0_01("randn_0.01"),
    /** {@code randn / √n_in}: the course's recipe for deep networks. */
    RANDN_SCALED("randn_scaled"),
    /** He et al. 2015: {@code randn × √(2 / n_in)}. */
    HE_NORMAL("he_normal"),
    /** He et al. 2015, uniform: {@code U(±√(6 / n_in))}. */
    HE_UNIFORM("he_uniform"),
    /** Glorot and Bengio 2010: {@code randn × √(2 / (n_in + n_out))}. */
    XAVIER_NORMAL("xavier_normal"),
    /** Glorot and Bengio 2010, uniform: {@code U(±√(6 / (n_in + n_out)))}. */
    XAVIER_UNIFORM("xavier_uniform");

    private final String id;

    Initializer(String id) {
        this.id = id;
    }

    /** The lower-case name used on the command line. */
    public String id() {
        return id;
    }

    /** One weight for a layer of {@code nIn} inputs and {@code nOut} units, drawn from {@code rng}. */
    double sample(int nIn, int nOut, Random rng) {
        switch (this) {
            case RANDN_0_01: return rng.nextGaussian() * 0.01;
            case RANDN_SCALED: return rng.nextGaussian() / Math.sqrt(nIn);
            case HE_NORMAL: return rng.nextGaussian() * Math.sqrt(2.0 / nIn);
            case HE_UNIFORM: return uniform(Math.sqrt(6.0 / nIn), rng);
            case XAVIER_NORMAL: return rng.nextGaussian() * Math.sqrt(2.0 / (nIn + nOut));
            case XAVIER_UNIFORM: return uniform(Math.sqrt(6.0 / (nIn + nOut)), rng);
            default: throw new AssertionError(this);
        }
    }

    private static double uniform(double limit, Random rng) {
        return (2 * rng.nextDouble() - 1) * limit;
    }

    /**
     * Parses {@link #id()}, case-insensitive; {@code he}, {@code xavier}, {@code glorot},
     * {@code glorot_uniform} and {@code small} ({@link #RANDN_0_01}) are accepted too.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Initializer parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (key) {
            case "he": return HE_NORMAL;
            case "xavier": case "glorot": case "glorot_uniform": return XAVIER_UNIFORM;
            case "glorot_normal": return XAVIER_NORMAL;
            case "small": case "randn*0.01": case "randn_001": return RANDN_0_01;
            default: break;
        }
        for (Initializer i : values()) {
            if (i.id.equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + name + "': use one of "
                + "randn_0.01, randn_scaled, he_normal, he_uniform, xavier_normal, xavier_uniform");
    }

    @Override
    public String toString() {
        return id;
    }
}
