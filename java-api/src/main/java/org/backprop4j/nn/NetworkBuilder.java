package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.backprop4j.data.Scaler;

/**
 * Describes a network layer by layer and creates it with freshly initialized weights.
 *
 * <pre>{@code
 * Network net = Network.builder()
 *         .input(64)
 *         .dense(32, Activation.RELU)
 *         .dense(10, Activation.SOFTMAX)
 *         .initializer(Initializer.HE_NORMAL)
 *         .seed(42)
 *         .build();
 * }</pre>
 *
 * <p>The loss defaults to the one that matches the output activation ({@link Loss#defaultFor}); the
 * backend defaults to {@link Backends#getDefault()}; the dtype to {@link DType#FLOAT32}.
 */
public final class NetworkBuilder {

    private int inputs = -1;
    private final List<int[]> unitsAndActivation = new ArrayList<>();
    private Loss loss;
    private Initializer initializer = Initializer.HE_NORMAL;
    private DType dtype = DType.FLOAT32;
    private long seed = 1;
    private Backend backend;
    private double[] inputOffsets;
    private double[] inputScales;
    private Scaler scaler;

    NetworkBuilder() {
    }

    /** Width of each input sample. */
    public NetworkBuilder input(int features) {
        this.inputs = features;
        return this;
    }

    /** Appends a dense layer of {@code units} outputs. */
    public NetworkBuilder dense(int units, Activation activation) {
        Objects.requireNonNull(activation, "activation");
        unitsAndActivation.add(new int[] {units, activation.ordinal()});
        return this;
    }

    /** The training loss; by default the one matching the output activation. */
    public NetworkBuilder loss(Loss loss) {
        this.loss = Objects.requireNonNull(loss, "loss");
        return this;
    }

    /** How weights start (default {@link Initializer#HE_NORMAL}); biases start at zero. */
    public NetworkBuilder initializer(Initializer initializer) {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /** Element type of parameters and computation (default float32). */
    public NetworkBuilder dtype(DType dtype) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        return this;
    }

    /** Seed of the weight initialization (default 1). The same seed gives the same weights. */
    public NetworkBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The backend to compute on (default: {@link Backends#getDefault()}). */
    public NetworkBuilder backend(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * Makes the network scale its raw inputs itself, {@code x' = (x - offset) / scale} per feature,
     * in training and prediction alike, and save the scaling with the model; typically the fitted
     * values of a {@code Scaler}. Arrays are copied.
     */
    public NetworkBuilder inputScaling(double[] offsets, double[] scales) {
        this.inputOffsets = offsets.clone();
        this.inputScales = scales.clone();
        this.scaler = null;
        return this;
    }

    /**
     * Makes the network apply {@code scaler} to its raw inputs (see {@link #inputScaling(double[], double[])}).
     * A scaler with one value for every feature ({@link Scaler#isUniform()}, e.g. {@code divideBy(255)})
     * is expanded to the input width.
     */
    public NetworkBuilder inputScaling(Scaler scaler) {
        this.scaler = Objects.requireNonNull(scaler, "scaler");
        this.inputOffsets = null;
        this.inputScales = null;
        return this;
    }

    /**
     * Creates the network.
     *
     * @throws IllegalArgumentException if the description is invalid: no input size or layer, a layer
     *         with fewer than 1 unit, softmax anywhere but the output, or a loss that does not fit
     *         the output activation (the message says which pairing to use)
     */
    public Network build() {
        List<LayerSpec> layers = layers();
        Loss l = loss != null ? loss : Loss.defaultFor(layers.get(layers.size() - 1).activation());
        Backend b = backend != null ? backend : Backends.getDefault();
        double[] offsets = inputOffsets;
        double[] scales = inputScales;
        if (scaler != null) {
            offsets = scaler.offsets();
            scales = scaler.scales();
            if (scaler.isUniform()) {
                offsets = filled(inputs, offsets[0]);
                scales = filled(inputs, scales[0]);
            }
        }
        checkHeap(layers);
        Network net = new Network(layers, l, dtype, b, offsets, scales);
        Random rng = new Random(seed);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            int off = net.layout.weightOffset(i);
            for (int w = 0; w < s.weightCount(); w++) {
                net.params.set(off + w, initializer.sample(s.inputs(), s.units(), rng));
            }
        }
        return net;
    }

    /** Fails before the parameters are allocated when they cannot fit in the heap. */
    private void checkHeap(List<LayerSpec> layers) {
        long parameters = 0;
        for (LayerSpec layer : layers) {
            parameters += (long) layer.units() * layer.inputs() + layer.units();
        }
        long bytes = parameters * dtype.bytes();
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > available) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the network's %,d parameters need %,d MB "
                            + "in %s but only %,d MB of the %,d MB heap are free (training needs about three times "
                            + "that): use a smaller network, or raise the heap limit with the JVM option -Xmx (e.g. "
                            + "java -Xmx%dg ...)", parameters, (bytes + (1 << 20) - 1) >> 20, dtype, available >> 20,
                    rt.maxMemory() >> 20, Math.max(2, (bytes * 3 >> 30) + 1)));
        }
    }

    private static double[] filled(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private List<LayerSpec> layers() {
        if (inputs < 1) {
            throw new IllegalArgumentException(inputs == -1 ? "the network has no input size: call input(features) first"
                    : "input size must be >= 1, got " + inputs);
        }
        if (unitsAndActivation.isEmpty()) {
            throw new IllegalArgumentException("the network has no layers: add at least one dense(units, activation)");
        }
        List<LayerSpec> out = new ArrayList<>();
        int width = inputs;
        for (int[] ua : unitsAndActivation) {
            LayerSpec s = new LayerSpec(width, ua[0], Activation.values()[ua[1]]);
            out.add(s);
            width = s.units();
        }
        return out;
    }
}
