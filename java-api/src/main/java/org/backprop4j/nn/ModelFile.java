package org.backprop4j.nn;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.backprop4j.backend.Backend;

/**
 * The model file format, version 2 (version 1 files are read too). All numbers are big-endian;
 * strings are a 2-byte length then UTF-8 bytes.
 *
 * <pre>
 * offset  size          field
 * 0       8             magic "BP4JMODL"
 * 8       4             format version (2; files of version 1 have the same layout with no training state)
 * 12      1             dtype: 0 = float32, 1 = float64
 * 13      2+n           loss id, e.g. "categorical_cross_entropy"
 * ...     4             input width
 * ...     4             layer count L
 * ...     L × (4+2+n)   per layer: units, activation id (e.g. "relu")
 * ...     1             input scaling present (0 or 1); if 1: input width × 8 offsets, then × 8 scales (float64)
 * ...     4             parameter count P (must equal what the layers imply)
 * ...     P × w         parameters in the flat layout of {@link Network}; w = 4 (float32) or 8 (float64)
 * ...     1             training state present: 0 for a model, 1 for a checkpoint (always 0 in version 1)
 * ...     ...           if 1: the training state below
 * end-4   4             CRC-32 of every preceding byte
 * </pre>
 *
 * The training state of a checkpoint ({@link TrainingConfig.Builder#checkpointEvery}), in order:
 *
 * <pre>
 * size          field
 * 2+n           optimizer and its settings, e.g. "adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8)"
 * 1             optimizer state arrays S (0 sgd, 1 momentum/nesterov/rmsprop, 2 adam)
 * S × P × w     the state arrays (velocity; Adam's first then second moment), dtype of the parameters
 * 8             shuffle seed
 * 4             batch size as configured (0 = full batch)
 * 4             training samples
 * 4, 4          configured epochs, configured iterations (one of them 0)
 * 4, 4          total iterations, total epochs of the run
 * 1             shuffle (0 or 1)
 * 8             weight decay λ
 * 4, 8          early-stopping patience (0 = off), minDelta
 * 1             validation set present (0 or 1)
 * 4             iterations taken (Adam's step count continues at this + 1)
 * 4, 4          current epoch (0-based), batches of it already taken
 * 8             learning rate of the current epoch
 * 8, 4, 4       current epoch so far: sum of batch cost × rows, rows seen, rows classified right
 * 8             milliseconds trained so far
 * 4             epoch whose starting weights are the last known good ones (-1: none yet)
 * P × w         those last good weights (what a divergence falls back to)
 * 4, 8          epoch with the lowest validation cost (-1: none), that cost
 * 1             best weights present (1 with early stopping); if 1: P × w best weights
 * 1, 1          stopped early, best weights restored
 * 2+n           stop reason ("" while the run goes on)
 * 4             iteration cost count C (= iterations taken); then C × 8 costs (float64)
 * 4             epoch count E; then E × 56 bytes of statistics: epoch 4, iterations 4, learning rate 8,
 *               train cost 8, train accuracy 8, validation cost 8, validation accuracy 8, elapsed ms 8
 * </pre>
 *
 * Files are written to a temporary file beside the target, forced to disk, then renamed over it,
 * so a crash leaves either the old file or the new one, never a mixture. Every count is checked
 * against the bytes left in the file before anything is allocated.
 */
final class ModelFile {

    static final byte[] MAGIC = "BP4JMODL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    private static final int MAX_LAYERS = 100_000;
    private static final int MAX_STRING = 256;
    private static final int MAX_REASON = 65_535;
    private static final int EPOCH_STATS_BYTES = 56;

    private ModelFile() {
    }

    /** A decoded file: the network and, for a checkpoint, its training state (else null). */
    record Contents(Network network, Checkpoint checkpoint) {
    }

    private interface Body {
        void writeTo(DataOutputStream out) throws IOException;
    }

    static void write(Network net, Path file) throws IOException {
        writeAtomically(file, out -> writeBody(out, net, null));
    }

    static void writeCheckpoint(Network net, Checkpoint state, Path file) throws IOException {
        writeAtomically(file, out -> writeBody(out, net, state));
    }

    /**
     * Streams the body through a CRC into a temporary file (a 64 KB buffer, no copy of the
     * parameters), appends the CRC, forces the file to disk and renames it over {@code file}.
     */
    private static void writeAtomically(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its files are private (0600), and the rename would make the model
        // unreadable to anyone else; CREATE_NEW gets the umask's permissions, or the replaced file's.
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        FileChannel opened;
        try {
            opened = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": cannot create a file in " + dir + " ("
                    + (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                    ? ((FileSystemException) e).getReason() : e.getClass().getSimpleName()) + ")", e);
        }
        try {
            try (FileChannel ch = opened) {
                keepPermissions(target, tmp);
                BufferedOutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
                body.writeTo(out);
                out.flush();
                new DataOutputStream(buffered).writeInt((int) crc.getValue());
                buffered.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Gives {@code tmp} the POSIX permissions of the file it will replace, where there is one. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (IOException | UnsupportedOperationException e) {
            // no file to replace, or not a POSIX file system: the new file keeps its default permissions
        }
    }

    static byte[] encode(Network net) throws IOException {
        return encode(net, null);
    }

    static byte[] encode(Network net, Checkpoint state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + net.parameterCount() * net.dtype.bytes());
        DataOutputStream out = new DataOutputStream(bytes);
        writeBody(out, net, state);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    private static void writeBody(DataOutputStream out, Network net, Checkpoint state) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeByte(net.dtype == DType.FLOAT32 ? 0 : 1);
        writeString(out, net.loss.id());
        out.writeInt(net.inputSize());
        out.writeInt(net.layers.size());
        for (LayerSpec s : net.layers) {
            out.writeInt(s.units());
            writeString(out, s.activation().id());
        }
        out.writeByte(net.hasInputScaling() ? 1 : 0);
        if (net.hasInputScaling()) {
            for (double v : net.inputOffsets) {
                out.writeDouble(v);
            }
            for (double v : net.inputScales) {
                out.writeDouble(v);
            }
        }
        out.writeInt(net.parameterCount());
        writeStorage(out, net.params);
        out.writeByte(state == null ? 0 : 1);
        if (state != null) {
            writeState(out, state);
        }
    }

    private static void writeState(DataOutputStream out, Checkpoint c) throws IOException {
        writeString(out, c.optimizer);
        out.writeByte(c.stateArrays());
        if (c.state1 != null) {
            writeStorage(out, c.state1);
        }
        if (c.state2 != null) {
            writeStorage(out, c.state2);
        }
        out.writeLong(c.seed);
        out.writeInt(c.configBatchSize);
        out.writeInt(c.trainSize);
        out.writeInt(c.configEpochs);
        out.writeInt(c.configIterations);
        out.writeInt(c.totalIterations);
        out.writeInt(c.totalEpochs);
        out.writeByte(c.shuffle ? 1 : 0);
        out.writeDouble(c.weightDecay);
        out.writeInt(c.patience);
        out.writeDouble(c.minDelta);
        out.writeByte(c.hasValidation ? 1 : 0);
        out.writeInt(c.iteration);
        out.writeInt(c.epoch);
        out.writeInt(c.batchInEpoch);
        out.writeDouble(c.learningRate);
        out.writeDouble(c.costSum);
        out.writeInt(c.seen);
        out.writeInt(c.correct);
        out.writeLong(c.elapsedMillis);
        out.writeInt(c.lastGoodEpoch);
        writeStorage(out, c.lastGood);
        out.writeInt(c.bestEpoch);
        out.writeDouble(c.bestValidationCost);
        out.writeByte(c.best != null ? 1 : 0);
        if (c.best != null) {
            writeStorage(out, c.best);
        }
        out.writeByte(c.stoppedEarly ? 1 : 0);
        out.writeByte(c.restoredBest ? 1 : 0);
        String reason = c.stopReason == null ? "" : c.stopReason;
        if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON) {
            reason = reason.substring(0, 1000);
        }
        writeString(out, reason);
        out.writeInt(c.iteration);
        for (int i = 0; i < c.iteration; i++) {
            out.writeDouble(c.costs[i]);
        }
        out.writeInt(c.epochs.size());
        for (EpochStats e : c.epochs) {
            out.writeInt(e.epoch());
            out.writeInt(e.iterations());
            out.writeDouble(e.learningRate());
            out.writeDouble(e.trainCost());
            out.writeDouble(e.trainAccuracy());
            out.writeDouble(e.validationCost());
            out.writeDouble(e.validationAccuracy());
            out.writeLong(e.elapsedMillis());
        }
    }

    private static void writeStorage(DataOutputStream out, Storage s) throws IOException {
        if (s.f != null) {
            for (float v : s.f) {
                out.writeFloat(v);
            }
        } else {
            for (double v : s.d) {
                out.writeDouble(v);
            }
        }
    }

    static Network read(Path file, Backend backend) throws IOException {
        return readContents(file, backend).network();
    }

    static Contents readContents(Path file, Backend backend) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(file + " is a directory, not a model file");
        }
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new ModelFormatException(file + ": " + size + " bytes is larger than any model this version can hold");
        }
        return decodeContents(Files.readAllBytes(file), file.toString(), backend);
    }

    static Network decode(byte[] bytes, String name, Backend backend) throws ModelFormatException {
        return decodeContents(bytes, name, backend).network();
    }

    static Contents decodeContents(byte[] bytes, String name, Backend backend) throws ModelFormatException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String where = "header";
        try {
            byte[] magic = new byte[MAGIC.length];
            if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
                throw new ModelFormatException(name + ": not a backprop4j model file (it starts with "
                        + hex(bytes, 8) + ", a model starts with \"BP4JMODL\")");
            }
            in.get(magic);
            int version = in.getInt();
            if (version > VERSION) {
                throw new ModelFormatException(name + ": written in model format version " + version
                        + " by a newer backprop4j; this version reads format " + VERSION + ": upgrade backprop4j");
            }
            if (version < 1) {
                throw new ModelFormatException(name + ": corrupt: format version " + version + " at offset 8");
            }
            int dtypeCode = in.get();
            if (dtypeCode != 0 && dtypeCode != 1) {
                throw corrupt(name, in.position() - 1, "dtype code " + dtypeCode + " (expected 0 or 1)");
            }
            DType dtype = dtypeCode == 0 ? DType.FLOAT32 : DType.FLOAT64;
            Loss loss = parse(name, in, "loss", Loss::parse);
            int inputs = in.getInt();
            int layerCount = in.getInt();
            if (inputs < 1 || layerCount < 1 || layerCount > MAX_LAYERS) {
                throw corrupt(name, in.position() - 8, "input width " + inputs + " and layer count " + layerCount);
            }
            where = "layer list";
            List<LayerSpec> layers = new ArrayList<>();
            int width = inputs;
            for (int i = 0; i < layerCount; i++) {
                int units = in.getInt();
                if (units < 1) {
                    throw corrupt(name, in.position() - 4, "layer " + (i + 1) + " has " + units + " units");
                }
                Activation act = parse(name, in, "activation", Activation::parse);
                layers.add(new LayerSpec(width, units, act));
                width = units;
            }
            where = "input scaling";
            int hasScaling = in.get();
            double[] offsets = null;
            double[] scales = null;
            if (hasScaling == 1) {
                need(name, in, 16L * inputs, "input scaling");
                offsets = new double[inputs];
                scales = new double[inputs];
                for (int j = 0; j < inputs; j++) {
                    offsets[j] = in.getDouble();
                }
                for (int j = 0; j < inputs; j++) {
                    scales[j] = in.getDouble();
                }
            } else if (hasScaling != 0) {
                throw corrupt(name, in.position() - 1, "input scaling flag " + hasScaling);
            }
            where = "parameters";
            long expected = 0;
            for (LayerSpec s : layers) {
                expected += (long) s.units() * s.inputs() + s.units();
            }
            int paramCount = in.getInt();
            if (paramCount != expected) {
                throw corrupt(name, in.position() - 4, "parameter count " + paramCount + " but the layers need "
                        + expected);
            }
            need(name, in, (long) paramCount * dtype.bytes() + 1 + 4, "parameters");
            Network net;
            try {
                net = new Network(layers, loss, dtype, backend, offsets, scales);
            } catch (IllegalArgumentException e) {
                throw corrupt(name, 12, "invalid architecture: " + e.getMessage());
            }
            for (int i = 0; i < paramCount; i++) {
                if (dtype == DType.FLOAT32) {
                    net.params.f[i] = in.getFloat();
                } else {
                    net.params.d[i] = in.getDouble();
                }
            }
            where = "trailer";
            int hasState = in.get();
            Checkpoint state = null;
            if (hasState == 1 && version >= 2) {
                where = "training state";
                state = decodeState(name, in, net);
                where = "trailer";
            } else if (hasState != 0) {
                throw corrupt(name, in.position() - 1, "training-state flag " + hasState
                        + (version == 1 ? " (format 1 has none)" : " (expected 0 or 1)"));
            }
            int stored = in.getInt();
            if (in.hasRemaining()) {
                throw corrupt(name, in.position(), in.remaining() + " unexpected bytes after the checksum");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != stored) {
                throw new ModelFormatException(name + ": corrupt: checksum mismatch (stored "
                        + Integer.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue())
                        + "); the file was damaged after it was written");
            }
            return new Contents(net, state);
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(name + ": truncated: the file ends at byte " + bytes.length
                    + " in the middle of the " + where);
        }
    }

    private static Checkpoint decodeState(String name, ByteBuffer in, Network net) throws ModelFormatException {
        Checkpoint c = new Checkpoint();
        int p = net.parameterCount();
        long arrayBytes = (long) p * net.dtype.bytes();
        c.optimizer = readString(name, in, "optimizer", MAX_STRING);
        int arrays = in.get();
        if (arrays < 0 || arrays > 2) {
            throw corrupt(name, in.position() - 1, arrays + " optimizer state arrays (at most 2)");
        }
        need(name, in, arrays * arrayBytes, "optimizer state");
        c.state1 = arrays >= 1 ? readStorage(in, net.dtype, p) : null;
        c.state2 = arrays >= 2 ? readStorage(in, net.dtype, p) : null;
        c.seed = in.getLong();
        int at = in.position();
        c.configBatchSize = in.getInt();
        c.trainSize = in.getInt();
        c.configEpochs = in.getInt();
        c.configIterations = in.getInt();
        c.totalIterations = in.getInt();
        c.totalEpochs = in.getInt();
        if (c.configBatchSize < 0 || c.trainSize < 1 || c.configEpochs < 0 || c.configIterations < 0
                || (c.configEpochs == 0) == (c.configIterations == 0) || c.totalIterations < 1
                || c.totalEpochs < 1 || c.totalEpochs > c.totalIterations) {
            throw corrupt(name, at, "run settings: batch size " + c.configBatchSize + ", " + c.trainSize
                    + " samples, epochs " + c.configEpochs + ", iterations " + c.configIterations + ", total "
                    + c.totalIterations + " iterations in " + c.totalEpochs + " epochs");
        }
        c.shuffle = flag(name, in, "shuffle");
        c.weightDecay = in.getDouble();
        c.patience = in.getInt();
        c.minDelta = in.getDouble();
        c.hasValidation = flag(name, in, "validation");
        at = in.position();
        c.iteration = in.getInt();
        c.epoch = in.getInt();
        c.batchInEpoch = in.getInt();
        if (c.iteration < 0 || c.iteration > c.totalIterations || c.epoch < 0 || c.epoch > c.totalEpochs
                || c.batchInEpoch < 0 || c.batchInEpoch > c.iteration) {
            throw corrupt(name, at, "position: iteration " + c.iteration + " of " + c.totalIterations + ", epoch "
                    + c.epoch + " of " + c.totalEpochs + ", batch " + c.batchInEpoch);
        }
        c.learningRate = in.getDouble();
        c.costSum = in.getDouble();
        c.seen = in.getInt();
        c.correct = in.getInt();
        c.elapsedMillis = in.getLong();
        c.lastGoodEpoch = in.getInt();
        if (c.seen < 0 || c.correct < 0 || c.correct > c.seen || c.lastGoodEpoch < -1 || c.lastGoodEpoch > c.epoch) {
            throw corrupt(name, in.position() - 4, "epoch progress: " + c.seen + " rows seen, " + c.correct
                    + " right, last good epoch " + c.lastGoodEpoch);
        }
        need(name, in, arrayBytes, "last good weights");
        c.lastGood = readStorage(in, net.dtype, p);
        c.bestEpoch = in.getInt();
        if (c.bestEpoch < -1 || c.bestEpoch > c.epoch) {
            throw corrupt(name, in.position() - 4, "best epoch " + c.bestEpoch);
        }
        c.bestValidationCost = in.getDouble();
        if (flag(name, in, "best weights")) {
            need(name, in, arrayBytes, "best weights");
            c.best = readStorage(in, net.dtype, p);
        }
        c.stoppedEarly = flag(name, in, "stopped early");
        c.restoredBest = flag(name, in, "restored best");
        String reason = readString(name, in, "stop reason", MAX_REASON);
        c.stopReason = reason.isEmpty() ? null : reason;
        int costCount = in.getInt();
        if (costCount != c.iteration) {
            throw corrupt(name, in.position() - 4, costCount + " iteration costs for " + c.iteration + " iterations");
        }
        need(name, in, 8L * costCount, "iteration costs");
        c.costs = new double[costCount];
        for (int i = 0; i < costCount; i++) {
            c.costs[i] = in.getDouble();
        }
        int epochCount = in.getInt();
        if (epochCount < 0 || epochCount > c.epoch + 1) {
            throw corrupt(name, in.position() - 4, epochCount + " epoch statistics at epoch " + c.epoch);
        }
        need(name, in, (long) EPOCH_STATS_BYTES * epochCount, "epoch statistics");
        for (int i = 0; i < epochCount; i++) {
            c.epochs.add(new EpochStats(in.getInt(), in.getInt(), in.getDouble(), in.getDouble(), in.getDouble(),
                    in.getDouble(), in.getDouble(), in.getLong()));
        }
        return c;
    }

    private static boolean flag(String name, ByteBuffer in, String what) throws ModelFormatException {
        int b = in.get();
        if (b != 0 && b != 1) {
            throw corrupt(name, in.position() - 1, what + " flag " + b + " (expected 0 or 1)");
        }
        return b == 1;
    }

    private static Storage readStorage(ByteBuffer in, DType dtype, int length) {
        Storage s = Storage.allocate(dtype, length);
        if (s.f != null) {
            in.asFloatBuffer().get(s.f);
            in.position(in.position() + 4 * length);
        } else {
            in.asDoubleBuffer().get(s.d);
            in.position(in.position() + 8 * length);
        }
        return s;
    }

    private static String readString(String name, ByteBuffer in, String what, int max) throws ModelFormatException {
        int at = in.position();
        int length = Short.toUnsignedInt(in.getShort());
        if (length > max) {
            throw corrupt(name, at, what + " of " + length + " bytes");
        }
        byte[] text = new byte[length];
        in.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(String name, ByteBuffer in, String what, Parser<T> parser) throws ModelFormatException {
        int at = in.position();
        int length = Short.toUnsignedInt(in.getShort());
        if (length > MAX_STRING) {
            throw corrupt(name, at, what + " name of " + length + " bytes");
        }
        byte[] text = new byte[length];
        in.get(text);
        try {
            return parser.parse(new String(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw corrupt(name, at, e.getMessage());
        }
    }

    private static void need(String name, ByteBuffer in, long bytes, String what) throws ModelFormatException {
        if (in.remaining() < bytes) {
            throw new ModelFormatException(name + ": truncated: the " + what + " needs " + bytes + " bytes from offset "
                    + in.position() + " but the file ends at byte " + in.limit());
        }
    }

    private static ModelFormatException corrupt(String name, int offset, String what) {
        return new ModelFormatException(name + ": corrupt at offset " + offset + ": " + what);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, bytes.length); i++) {
            sb.append(String.format("%02x ", bytes[i]));
        }
        return bytes.length == 0 ? "nothing (the file is empty)" : sb.toString().trim();
    }

    // Makes the rename itself durable; not every file system supports opening a directory, which is harmless.
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
