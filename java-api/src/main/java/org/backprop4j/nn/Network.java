package org.backprop4j.nn;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import org.backprop4j.data.Dataset;
import org.backprop4j.metrics.Evaluation;

/**
 * A fully connected feed-forward network (an L-layer perceptron) bound to a {@link Backend}.
 *
 * <p>Samples are rows: a batch {@code X} is {@code (batch, inputs)}, layer {@code l} computes
 * {@code A_l = g_l(A_{l-1} · W_lᵀ + b_l)} with {@code W_l} of shape {@code (units, inputs)}. This is
 * the transpose of the course notation {@code Z = W·A + b} with samples as columns; the weights are
 * the same. All parameters live in one flat array, layer by layer ({@code W} row-major, then
 * {@code b}).
 *
 * <p>Thread safety: {@link #predict}, {@link #predictClasses}, {@link #cost} and {@link #evaluate}
 * only read the parameters and may be called from many threads at once. {@link #fit} and
 * {@link #setParameters} modify them and must not run concurrently with anything else on the same
 * network. Training is guarded: while one thread trains a network (in {@link #fit} or a
 * {@link TrainingSession} step), training it from another thread, or calling {@link #predict},
 * {@link #cost} or {@link #evaluate} from another thread, throws {@link IllegalStateException};
 * the training thread itself (a {@link TrainingListener}, say) may use them. To serve predictions
 * while training, train a {@link #copy()}.
 */
public final class Network {

    /** Rows per inference chunk: bounds the memory of {@link #predict} on large datasets. */
    static final int INFERENCE_CHUNK = 512;

    final List<LayerSpec> layers;
    final Loss loss;
    final DType dtype;
    final Backend backend;
    final Kernels kernels;
    final Layout layout;
    final Storage params;
    final double[] inputOffsets;
    final double[] inputScales;
    /** The thread training this network, if any, and how deeply (run() holds it across its steps). */
    private final AtomicReference<Thread> trainer = new AtomicReference<>();
    private int trainingDepth;

    Network(List<LayerSpec> layers, Loss loss, DType dtype, Backend backend, double[] inputOffsets, double[] inputScales) {
        checkArchitecture(layers, loss);
        this.layers = List.copyOf(layers);
        this.loss = loss;
        this.dtype = dtype;
        this.backend = backend;
        this.kernels = new Kernels(backend, dtype);
        this.layout = new Layout(layers);
        this.params = Storage.allocate(dtype, layout.parameterCount());
        checkScaling(layers.get(0).inputs(), inputOffsets, inputScales);
        this.inputOffsets = inputOffsets;
        this.inputScales = inputScales;
    }

    /** Starts describing a network. */
    public static NetworkBuilder builder() {
        return new NetworkBuilder();
    }

    // ---- Description ------------------------------------------------------------------------

    /** The dense layers, input side first. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Width of an input sample. */
    public int inputSize() {
        return layers.get(0).inputs();
    }

    /** Width of the output. */
    public int outputSize() {
        return layers.get(layers.size() - 1).units();
    }

    /** Layer sizes including the input, e.g. {@code [64, 32, 10]}. */
    public int[] layerSizes() {
        int[] sizes = new int[layers.size() + 1];
        sizes[0] = inputSize();
        for (int i = 0; i < layers.size(); i++) {
            sizes[i + 1] = layers.get(i).units();
        }
        return sizes;
    }

    /** The loss the network is trained to minimize. */
    public Loss loss() {
        return loss;
    }

    /** The element type of the parameters and activations. */
    public DType dtype() {
        return dtype;
    }

    /** The backend that runs the network's kernels. */
    public Backend backend() {
        return backend;
    }

    /** Total number of weights and biases. */
    public int parameterCount() {
        return layout.parameterCount();
    }

    /** True if the network scales its raw inputs itself (see {@link NetworkBuilder#inputScaling}). */
    public boolean hasInputScaling() {
        return inputOffsets != null;
    }

    /** A multi-line description: layers, parameter counts, loss, dtype, backend. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-6s %-28s %12s%n", "layer", "shape", "parameters"));
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            sb.append(String.format("%-6d %-28s %,12d%n", i + 1,
                    "dense " + s.inputs() + " -> " + s.units() + " " + s.activation(), s.parameterCount()));
        }
        sb.append(String.format("total %,d parameters, loss %s, %s, backend %s", parameterCount(), loss, dtype,
                backend.name()));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Network" + java.util.Arrays.toString(layerSizes()) + "[" + loss + ", " + dtype + ", " + backend.name() + "]";
    }

    // ---- Parameters -------------------------------------------------------------------------

    /** A copy of every parameter as {@code double}, in the flat layout described on this class. */
    public double[] parameters() {
        return params.toDoubleArray();
    }

    /**
     * Replaces every parameter (rounded to float for float32 networks).
     *
     * @throws IllegalArgumentException if the length differs from {@link #parameterCount()} or a value is not finite
     */
    public void setParameters(double[] values) {
        if (values.length != parameterCount()) {
            throw new IllegalArgumentException("expected " + parameterCount() + " parameters, got " + values.length);
        }
        checkNotTrainedElsewhere("setParameters");
        // Every value is checked before any is written: a rejected call leaves the network as it was.
        for (int i = 0; i < values.length; i++) {
            if (!dtype.holds(values[i])) {
                throw new IllegalArgumentException("parameter " + i + " is " + values[i] + ": parameters must be finite"
                        + (Double.isFinite(values[i]) ? " in " + dtype : ""));
            }
        }
        for (int i = 0; i < values.length; i++) {
            params.set(i, values[i]);
        }
    }

    /** Weight {@code W[unit][input]} of layer {@code layer} (0-based). */
    public double weight(int layer, int unit, int input) {
        LayerSpec s = layers.get(layer);
        Objects.checkIndex(unit, s.units());
        Objects.checkIndex(input, s.inputs());
        return params.get(layout.weightOffset(layer) + unit * s.inputs() + input);
    }

    /** Bias {@code b[unit]} of layer {@code layer} (0-based). */
    public double bias(int layer, int unit) {
        Objects.checkIndex(unit, layers.get(layer).units());
        return params.get(layout.biasOffset(layer) + unit);
    }

    /** Offset of layer {@code layer}'s weights in {@link #parameters()}. */
    public int weightOffset(int layer) {
        return layout.weightOffset(layer);
    }

    /** Offset of layer {@code layer}'s biases in {@link #parameters()}. */
    public int biasOffset(int layer) {
        return layout.biasOffset(layer);
    }

    /** An independent copy with the same parameters on the same backend. */
    public Network copy() {
        return convert(dtype, backend);
    }

    /** A copy with the same parameters computing on {@code backend}. */
    public Network withBackend(Backend backend) {
        return convert(dtype, Objects.requireNonNull(backend, "backend"));
    }

    /** A copy with the parameters converted to {@code dtype}. */
    public Network as(DType dtype) {
        return convert(dtype, backend);
    }

    private Network convert(DType dtype, Backend backend) {
        Network n = new Network(layers, loss, dtype, backend, inputOffsets, inputScales);
        if (dtype == this.dtype) {
            n.params.copyFrom(params);
        } else {
            n.params.copyFrom(params.as(dtype));
        }
        return n;
    }

    // ---- Training ---------------------------------------------------------------------------

    /**
     * Trains on {@code train}.
     *
     * @return the cost after every step and per-epoch statistics
     * @throws IllegalArgumentException if the data does not fit the network (feature count, labels
     *         out of range for the output layer, a loss that does not suit the labels); the message
     *         says what to change
     * @throws TrainingDivergedException if the cost becomes NaN or infinite; the network keeps the
     *         weights of the last completed epoch
     */
    public TrainingHistory fit(Dataset train, TrainingConfig config) {
        return fit(train, null, config);
    }

    /** Trains on {@code train}, evaluating cost and accuracy on {@code validation} after each epoch. */
    public TrainingHistory fit(Dataset train, Dataset validation, TrainingConfig config) {
        return session(train, validation, config).run();
    }

    /**
     * Prepares a training run without starting it, for callers that drive the steps themselves
     * ({@link TrainingSession#step()}). The same checks as {@link #fit} apply.
     *
     * @param validation evaluated after each epoch, or null
     */
    public TrainingSession session(Dataset train, Dataset validation, TrainingConfig config) {
        checkData(train, "training");
        if (validation != null) {
            checkData(validation, "validation");
        }
        return new TrainingSession(this, train, validation, config);
    }

    // ---- Inference --------------------------------------------------------------------------

    /**
     * The network's outputs for every sample, row-major {@code (size, outputSize)}: probabilities for
     * softmax and sigmoid outputs, raw values otherwise.
     */
    public double[] predict(Dataset data) {
        checkNotTrainedElsewhere("predict");
        checkFeatures(data);
        int n = data.size();
        int outputs = outputSize();
        if ((long) n * outputs > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(n + " samples x " + outputs + " outputs do not fit in one array: "
                    + "predict on smaller parts of the data");
        }
        double[] out = new double[n * outputs];
        Workspace ws = new Workspace(layers, dtype, Math.min(n, INFERENCE_CHUNK), false);
        for (int start = 0; start < n; start += ws.capacity) {
            int rows = Math.min(ws.capacity, n - start);
            loadFeatures(data, null, start, rows, ws);
            forward(ws, rows, false);
            Storage a = ws.a[layers.size() - 1];
            for (int i = 0; i < rows * outputs; i++) {
                out[start * outputs + i] = a.get(i);
            }
        }
        return out;
    }

    /** {@link #predict(Dataset)} for rows of raw features; returns one output row per sample. */
    public double[][] predict(double[][] rows) {
        return toRows(predict(unlabeled(rows)), outputSize());
    }

    /** {@link #predict(Dataset)} for rows of raw {@code float} features; returns one output row per sample. */
    public double[][] predict(float[][] rows) {
        double[][] d = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            d[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                d[i][j] = rows[i][j];
            }
        }
        return predict(d);
    }

    /** The predicted class of every sample: the arg-max output, or {@code p >= 0.5} for a single output. */
    public int[] predictClasses(Dataset data) {
        return classesOf(predict(data), data.size());
    }

    /** {@link #predictClasses(Dataset)} for rows of raw features. */
    public int[] predictClasses(double[][] rows) {
        return classesOf(predict(unlabeled(rows)), rows.length);
    }

    /** The predicted class of one sample. */
    public int predictClass(double[] row) {
        return predictClasses(new double[][] {row})[0];
    }

    /** The data loss (without any L2 penalty) over every sample of {@code data}. */
    public double cost(Dataset data) {
        checkNotTrainedElsewhere("cost");
        checkData(data, "evaluation");
        return cost(data, new Workspace(layers, dtype, Math.min(data.size(), INFERENCE_CHUNK), false));
    }

    /** {@link #cost(Dataset)} of checked data, computed in {@code ws} chunk by chunk; allocates nothing. */
    double cost(Dataset data, Workspace ws) {
        int n = data.size();
        double total = 0;
        for (int start = 0; start < n; start += ws.capacity) {
            int rows = Math.min(ws.capacity, n - start);
            loadFeatures(data, null, start, rows, ws);
            loadTargets(data, null, start, rows, ws);
            forward(ws, rows, true);
            total += outputLoss(ws, rows, false) * rows;
        }
        return total / n;
    }

    /**
     * How many samples of checked, labelled data {@link #predictClasses(Dataset)} gets right, computed
     * in {@code ws} chunk by chunk; allocates nothing.
     */
    int countCorrect(Dataset data, Workspace ws) {
        int n = data.size();
        int right = 0;
        Storage out = ws.a[layers.size() - 1];
        for (int start = 0; start < n; start += ws.capacity) {
            int rows = Math.min(ws.capacity, n - start);
            loadFeatures(data, null, start, rows, ws);
            forward(ws, rows, false);
            for (int r = 0; r < rows; r++) {
                if (classOf(out, r) == data.label(start + r)) {
                    right++;
                }
            }
        }
        return right;
    }

    /** Cost, accuracy, per-class precision/recall/F1 and the confusion matrix on a labelled dataset. */
    public Evaluation evaluate(Dataset data) {
        checkNotTrainedElsewhere("evaluate");
        checkData(data, "evaluation");
        if (!data.hasClasses()) {
            throw new IllegalArgumentException("evaluate needs class labels; for regression targets use cost(data)");
        }
        int k = Math.max(data.classCount(), outputSize() == 1 ? 2 : outputSize());
        return Evaluation.of(data.labels(), predictClasses(data), k, cost(data), data.classNames().size() == k
                ? data.classNames() : null);
    }

    // ---- Model files ------------------------------------------------------------------------

    /**
     * Saves architecture, dtype, input scaling and parameters to {@code file} in the versioned,
     * checksummed format of {@link ModelFile}. The write is atomic: a temporary file in the same
     * directory is written, flushed to disk, then renamed over {@code file}.
     */
    public void save(Path file) throws IOException {
        ModelFile.write(this, file);
    }

    /**
     * Loads a model saved by {@link #save}, computing on the default backend.
     *
     * @throws ModelFormatException if the file is not a model, is truncated or corrupt, or was
     *         written by a newer format version
     */
    public static Network load(Path file) throws IOException {
        return ModelFile.read(file, Backends.getDefault());
    }

    /** Loads a model saved by {@link #save}, computing on {@code backend}. */
    public static Network load(Path file, Backend backend) throws IOException {
        return ModelFile.read(file, Objects.requireNonNull(backend, "backend"));
    }

    /**
     * Continues a training run from a checkpoint written by {@link TrainingSession#saveCheckpoint} or
     * {@link TrainingConfig.Builder#checkpointEvery}, computing on the default backend. The network
     * comes from the file; {@link TrainingSession#network()} returns it. Give the same data and
     * configuration as the interrupted run: {@link TrainingSession#run()} then ends with exactly the
     * weights and history of a run that was never interrupted (bit for bit on the reference backend).
     *
     * @throws ModelFormatException if the file is not a checkpoint (a plain model has no training
     *         state), is truncated or corrupt
     * @throws IllegalArgumentException if the configuration or data differ from the checkpointed run;
     *         the message names the field and both values
     */
    public static TrainingSession resume(Path checkpoint, Dataset train, Dataset validation, TrainingConfig config)
            throws IOException {
        return resume(checkpoint, Backends.getDefault(), train, validation, config);
    }

    /** {@link #resume(Path, Dataset, Dataset, TrainingConfig)} computing on {@code backend}. */
    public static TrainingSession resume(Path checkpoint, Backend backend, Dataset train, Dataset validation,
                                         TrainingConfig config) throws IOException {
        ModelFile.Contents contents = ModelFile.readContents(checkpoint, Objects.requireNonNull(backend, "backend"));
        if (contents.checkpoint() == null) {
            throw new ModelFormatException(checkpoint + ": a model without training state, not a checkpoint: "
                    + "write checkpoints with TrainingConfig.Builder.checkpointEvery or TrainingSession.saveCheckpoint "
                    + "(train --checkpoint-every N)");
        }
        return TrainingSession.resume(contents.network(), contents.checkpoint(), checkpoint.toString(), train,
                validation, config);
    }

    // ---- Forward and backward ---------------------------------------------------------------

    /**
     * Forward pass over the first {@code rows} rows of {@code ws.x}. With {@code logitsOut}, an output
     * layer whose loss is fused with its activation (softmax, sigmoid) keeps its logits for
     * {@link #outputLoss}; otherwise every layer applies its activation.
     */
    void forward(Workspace ws, int rows, boolean logitsOut) {
        Storage in = ws.x;
        int last = layers.size() - 1;
        for (int l = 0; l <= last; l++) {
            LayerSpec s = layers.get(l);
            Storage a = ws.a[l];
            // Z = A_prev W^T     A_prev is (rows, inputs), W is (units, inputs), Z is (rows, units)
            kernels.gemm(NO_TRANS, TRANS, rows, s.units(), s.inputs(), 1.0, in, 0, s.inputs(),
                    params, layout.weightOffset(l), s.inputs(), 0.0, a, 0, s.units());
            boolean fused = l == last && loss != Loss.MEAN_SQUARED_ERROR;
            if (fused && logitsOut) {
                // Z += b; the fused loss applies the activation.
                kernels.biasActivation(Activation.IDENTITY, rows, s.units(), a, s.units(), params, layout.biasOffset(l));
            } else if (s.activation() == Activation.SOFTMAX) {
                kernels.biasActivation(Activation.IDENTITY, rows, s.units(), a, s.units(), params, layout.biasOffset(l));
                kernels.softmax(rows, s.units(), a, s.units());
            } else {
                // A = g(Z + b)
                kernels.biasActivation(s.activation(), rows, s.units(), a, s.units(), params, layout.biasOffset(l));
            }
            in = a;
        }
    }

    /**
     * After {@code forward(ws, rows, true)}: the mean loss of the batch against {@code ws.y}. Leaves
     * the output activations in {@code ws.a[last]}; with {@code gradient}, writes {@code dZ} of the
     * output layer to {@code ws.dz[last]}.
     */
    double outputLoss(Workspace ws, int rows, boolean gradient) {
        int last = layers.size() - 1;
        int outputs = outputSize();
        Storage a = ws.a[last];
        Storage d = gradient ? ws.dz[last] : null;
        double value = kernels.loss(loss, rows, outputs, a, ws.y, d);
        if (gradient && loss == Loss.MEAN_SQUARED_ERROR) {
            // dZ = dA * g'(Z), from the output A
            kernels.activationBackward(layers.get(last).activation(), rows, outputs, a, outputs, d, outputs);
        }
        return value;
    }

    /**
     * Backward pass after {@link #outputLoss} with a gradient: writes {@code dW} and {@code db} of every
     * layer into {@code grads} (same layout as the parameters). Every gradient is overwritten (the dW
     * GEMMs run with {@code beta = 0}), so {@code grads} needs no zeroing first: zeroing it would be a
     * pass over every parameter for nothing.
     */
    void backward(Workspace ws, int rows, Storage grads) {
        for (int l = layers.size() - 1; l >= 0; l--) {
            LayerSpec s = layers.get(l);
            Storage dz = ws.dz[l];
            Storage prev = l == 0 ? ws.x : ws.a[l - 1];
            // dW = dZ^T A_prev     dZ is (rows, units), A_prev is (rows, inputs), dW is (units, inputs)
            kernels.gemm(TRANS, NO_TRANS, s.units(), s.inputs(), rows, 1.0, dz, 0, s.units(),
                    prev, 0, s.inputs(), 0.0, grads, layout.weightOffset(l), s.inputs());
            // db = column sums of dZ (the kernel adds to its output: clear the layer's few biases first)
            grads.fill(layout.biasOffset(l), s.units(), 0.0);
            kernels.columnSums(rows, s.units(), dz, s.units(), grads, layout.biasOffset(l));
            if (l > 0) {
                inputGradient(ws, rows, l);
            }
        }
    }

    /**
     * Backward pass fused with a plain gradient-descent step, after {@link #outputLoss} with a
     * gradient: layer by layer (output first), {@code W -= lr·(dZᵀ·A_prev + weightDecay·W)} and
     * {@code b -= lr·Σ_rows dZ}. The weight gradient is never stored: the dW GEMM writes the update
     * straight into the parameters ({@code alpha = -lr}, {@code beta = 1}), which saves zeroing a
     * gradient buffer and a separate optimizer pass over every parameter. A layer's input gradient
     * is taken first, while its weights are still the old ones.
     *
     * @param biasScratch at least as long as the widest layer; receives each layer's bias gradient
     */
    void backwardSgd(Workspace ws, int rows, double lr, double weightDecay, Storage biasScratch) {
        for (int l = layers.size() - 1; l >= 0; l--) {
            LayerSpec s = layers.get(l);
            Storage dz = ws.dz[l];
            Storage prev = l == 0 ? ws.x : ws.a[l - 1];
            int offW = layout.weightOffset(l);
            if (l > 0) {
                inputGradient(ws, rows, l);
            }
            if (weightDecay > 0) {
                // W -= lr weightDecay W, as its own pass: folded into the GEMM as beta = 1 - lr weightDecay,
                // a float32 beta would round the decay to float's spacing below 1 (6e-8), a large error on
                // a typical lr weightDecay of 1e-6.
                kernels.axpy(s.weightCount(), -lr * weightDecay, params, offW, params, offW);
            }
            // W -= lr dZ^T A_prev     dZ is (rows, units), A_prev is (rows, inputs), W is (units, inputs)
            kernels.gemm(TRANS, NO_TRANS, s.units(), s.inputs(), rows, -lr, dz, 0, s.units(),
                    prev, 0, s.inputs(), 1.0, params, offW, s.inputs());
            // b -= lr db, db = column sums of dZ
            biasScratch.fill(0, s.units(), 0.0);
            kernels.columnSums(rows, s.units(), dz, s.units(), biasScratch, 0);
            kernels.axpy(s.units(), -lr, biasScratch, 0, params, layout.biasOffset(l));
        }
    }

    /**
     * {@code dZ} of layer {@code l - 1} from {@code dZ} of layer {@code l} and its weights. The first
     * layer's input gradient is never needed, so it is never computed.
     */
    private void inputGradient(Workspace ws, int rows, int l) {
        LayerSpec s = layers.get(l);
        Storage dPrev = ws.dz[l - 1];
        // dA_prev = dZ W     dZ is (rows, units), W is (units, inputs), dA_prev is (rows, inputs)
        kernels.gemm(NO_TRANS, NO_TRANS, rows, s.inputs(), s.units(), 1.0, ws.dz[l], 0, s.units(),
                params, layout.weightOffset(l), s.inputs(), 0.0, dPrev, 0, s.inputs());
        // dZ_prev = dA_prev * g'(Z_prev), from A_prev
        kernels.activationBackward(layers.get(l - 1).activation(), rows, s.inputs(), ws.a[l - 1],
                s.inputs(), dPrev, s.inputs());
    }

    /**
     * Copies the features of samples {@code order[start .. start+rows)} (or {@code start ..} when
     * {@code order} is null) into {@code ws.x}, applying the input scaling.
     */
    void loadFeatures(Dataset data, int[] order, int start, int rows, Workspace ws) {
        int width = inputSize();
        for (int r = 0; r < rows; r++) {
            int sample = order == null ? start + r : order[start + r];
            if (ws.x.f != null) {
                data.copyFeatures(sample, ws.x.f, r * width);
            } else {
                data.copyFeatures(sample, ws.x.d, r * width);
            }
        }
        if (inputOffsets != null) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0, i = r * width; j < width; j++, i++) {
                    ws.x.set(i, (ws.x.get(i) - inputOffsets[j]) / inputScales[j]);
                }
            }
        }
    }

    /**
     * Copies the targets of the same samples into {@code ws.y}: the label itself for a single-output
     * network with class labels, one-hot rows for several outputs, the target values for regression.
     */
    void loadTargets(Dataset data, int[] order, int start, int rows, Workspace ws) {
        int outputs = outputSize();
        boolean singleClassOutput = data.hasClasses() && outputs == 1;
        for (int r = 0; r < rows; r++) {
            int sample = order == null ? start + r : order[start + r];
            if (singleClassOutput) {
                ws.y.set(r, data.label(sample));
            } else if (data.hasClasses()) {
                int label = data.label(sample);
                for (int c = 0; c < outputs; c++) {
                    ws.y.set(r * outputs + c, c == label ? 1 : 0);
                }
            } else if (ws.y.f != null) {
                data.copyTargets(sample, ws.y.f, r * outputs);
            } else {
                data.copyTargets(sample, ws.y.d, r * outputs);
            }
        }
    }

    /** The predicted class of row {@code r} of an output buffer. */
    int classOf(Storage out, int r) {
        int outputs = outputSize();
        if (outputs == 1) {
            return out.get(r) >= 0.5 ? 1 : 0;
        }
        int best = 0;
        double bestValue = out.get(r * outputs);
        for (int c = 1; c < outputs; c++) {
            double v = out.get(r * outputs + c);
            if (v > bestValue) {
                bestValue = v;
                best = c;
            }
        }
        return best;
    }

    // ---- Checks -----------------------------------------------------------------------------

    /** Marks this thread as the one training the network; re-entrant; paired with {@link #endTraining}. */
    void beginTraining() {
        Thread me = Thread.currentThread();
        if (trainer.get() == me) {
            trainingDepth++;
            return;
        }
        if (!trainer.compareAndSet(null, me)) {
            Thread other = trainer.get();
            throw new IllegalStateException("this network is being trained by thread '" + (other == null ? "?"
                    : other.getName()) + "': a network trains on one thread at a time (train a copy() instead)");
        }
        trainingDepth = 1;
    }

    void endTraining() {
        if (trainer.get() == Thread.currentThread() && --trainingDepth == 0) {
            trainer.set(null);
        }
    }

    private void checkNotTrainedElsewhere(String what) {
        Thread t = trainer.get();
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException(what + " called while thread '" + t.getName() + "' trains this network: "
                    + "its weights are changing; wait for the training to return, or use a copy()");
        }
    }

    private static void checkArchitecture(List<LayerSpec> layers, Loss loss) {
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec s = layers.get(i);
            if (s.units() < 1) {
                throw new IllegalArgumentException("layer " + (i + 1) + " has " + s.units()
                        + " units: every layer needs at least 1 unit");
            }
            if (s.activation() == Activation.SOFTMAX && i != layers.size() - 1) {
                throw new IllegalArgumentException("layer " + (i + 1) + " uses softmax, which is allowed only on the "
                        + "output layer: use relu or tanh for hidden layers");
            }
        }
        LayerSpec out = layers.get(layers.size() - 1);
        Activation act = out.activation();
        if (act == Activation.SOFTMAX && out.units() == 1) {
            throw new IllegalArgumentException("softmax over 1 unit always outputs 1: for two classes use "
                    + "dense(1, SIGMOID) with binary cross-entropy, or dense(2, SOFTMAX)");
        }
        if (act == Activation.SOFTMAX && loss != Loss.CATEGORICAL_CROSS_ENTROPY) {
            throw new IllegalArgumentException("a softmax output needs categorical cross-entropy, not " + loss
                    + ": use dense(1, SIGMOID) with binary cross-entropy for two classes, or softmax with categorical_cross_entropy");
        }
        if (loss == Loss.CATEGORICAL_CROSS_ENTROPY && act != Activation.SOFTMAX) {
            throw new IllegalArgumentException("categorical cross-entropy needs a softmax output layer, not " + act
                    + ": use dense(" + out.units() + ", SOFTMAX)");
        }
        if (loss == Loss.BINARY_CROSS_ENTROPY && act != Activation.SIGMOID) {
            throw new IllegalArgumentException("binary cross-entropy needs a sigmoid output layer, not " + act
                    + ": use dense(" + out.units() + ", SIGMOID)" + (act == Activation.TANH
                    ? " (tanh outputs lie in (-1, 1), not probabilities)" : ""));
        }
    }

    private static void checkScaling(int inputs, double[] offsets, double[] scales) {
        if (offsets == null && scales == null) {
            return;
        }
        if (offsets == null || scales == null || offsets.length != inputs || scales.length != inputs) {
            throw new IllegalArgumentException("input scaling needs " + inputs + " offsets and " + inputs
                    + " scales (one per input feature)");
        }
        for (int j = 0; j < inputs; j++) {
            if (!Double.isFinite(offsets[j]) || !Double.isFinite(scales[j]) || scales[j] == 0) {
                throw new IllegalArgumentException("input scaling of feature " + j + " is (x - " + offsets[j] + ") / "
                        + scales[j] + ": offsets must be finite and scales finite and non-zero");
            }
        }
    }

    private void checkFeatures(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (data.featureCount() != inputSize()) {
            throw new IllegalArgumentException("the data has " + data.featureCount() + " features per sample but the "
                    + "network's input layer expects " + inputSize() + ": build the network with input("
                    + data.featureCount() + ") or pass data with " + inputSize() + " features");
        }
    }

    private void checkData(Dataset data, String role) {
        checkFeatures(data);
        int outputs = outputSize();
        Activation outAct = layers.get(layers.size() - 1).activation();
        if (!data.hasClasses()) {
            if (data.targetWidth() != outputs) {
                throw new IllegalArgumentException("the " + role + " data has " + data.targetWidth()
                        + " target values per sample but the output layer has " + outputs + " units");
            }
            return;
        }
        int k = data.classCount();
        if (outputs == 1) {
            if (k > 2) {
                throw new IllegalArgumentException("the " + role + " labels have " + k + " classes but the output "
                        + "layer has 1 unit (" + outAct + "), which separates two classes: use dense(" + k
                        + ", SOFTMAX) with categorical cross-entropy");
            }
            return;
        }
        if (loss == Loss.BINARY_CROSS_ENTROPY && k > 2) {
            throw new IllegalArgumentException("the " + role + " labels have " + k + " classes but the output is sigmoid "
                    + "with binary cross-entropy, which is for two classes or independent yes/no outputs: use dense("
                    + k + ", SOFTMAX) with categorical cross-entropy");
        }
        if (k > outputs) {
            int[] labels = data.labels();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= outputs) {
                    throw new IllegalArgumentException("label " + labels[i] + " (sample " + i + " of the " + role
                            + " data) is out of range for the output layer's " + outputs + " units: the data has "
                            + k + " classes, so the output layer needs dense(" + k + ", ...)");
                }
            }
        }
    }

    private int[] classesOf(double[] outputs, int n) {
        Storage s = Storage.of(DType.FLOAT64, outputs);
        int[] classes = new int[n];
        int width = outputSize();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < width; c++) {
                if (Double.isNaN(outputs[r * width + c])) {
                    throw new IllegalStateException("the network's output for sample " + r + " is NaN, so it has no "
                            + "class: the activations overflowed " + dtype + " (scale the inputs, or use float64)");
                }
            }
            classes[r] = classOf(s, r);
        }
        return classes;
    }

    private Dataset unlabeled(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no samples to predict");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != inputSize()) {
                throw new IllegalArgumentException("sample " + i + " has " + rows[i].length
                        + " features but the network's input layer expects " + inputSize());
            }
            if (dtype == DType.FLOAT32 && !hasInputScaling()) {
                for (int j = 0; j < rows[i].length; j++) {
                    if (Double.isFinite(rows[i][j]) && !dtype.holds(rows[i][j])) {
                        throw new IllegalArgumentException("sample " + i + ", feature " + j + " is " + rows[i][j]
                                + ", beyond the float32 range of this network: scale the data or use a float64 network");
                    }
                }
            }
        }
        return Dataset.ofTargets(rows, new double[rows.length][1], DType.FLOAT64);
    }

    private static double[][] toRows(double[] flat, int width) {
        double[][] out = new double[flat.length / width][width];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }
}
