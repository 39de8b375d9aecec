package org.backprop4j.nn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.backprop4j.backend.Backend;

/**
 * The model file format, version 1. All numbers are big-endian; strings are a 2-byte length then
 * UTF-8 bytes.
 *
 * <pre>
 * offset  size          field
 * 0       8             magic "BP4JMODL"
 * 8       4             format version (1)
 * 12      1             dtype: 0 = float32, 1 = float64
 * 13      2+n           loss id, e.g. "categorical_cross_entropy"
 * ...     4             input width
 * ...     4             layer count L
 * ...     L × (4+2+n)   per layer: units, activation id (e.g. "relu")
 * ...     1             input scaling present (0 or 1); if 1: input width × 8 offsets, then × 8 scales (float64)
 * ...     4             parameter count P (must equal what the layers imply)
 * ...     P × 4 or 8    parameters in the flat layout of {@link Network} (float32 or float64)
 * ...     1             optimizer state present: always 0 in version 1
 * end-4   4             CRC-32 of every preceding byte
 * </pre>
 *
 * Files are written to a temporary file beside the target, forced to disk, then renamed over it,
 * so a crash leaves either the old file or the new one, never a mixture.
 */
final class ModelFile {

    static final byte[] MAGIC = "BP4JMODL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int MAX_LAYERS = 100_000;
    private static final int MAX_STRING = 256;

    private ModelFile() {
    }

    static void write(Network net, Path file) throws IOException {
        byte[] bytes = encode(net);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
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

    static byte[] encode(Network net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + net.parameterCount() * net.dtype.bytes());
        DataOutputStream out = new DataOutputStream(bytes);
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
        for (int i = 0; i < net.parameterCount(); i++) {
            if (net.dtype == DType.FLOAT32) {
                out.writeFloat(net.params.f[i]);
            } else {
                out.writeDouble(net.params.d[i]);
            }
        }
        out.writeByte(0);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    static Network read(Path file, Backend backend) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new ModelFormatException(file + ": " + size + " bytes is larger than any model this version can hold");
        }
        return decode(Files.readAllBytes(file), file.toString(), backend);
    }

    static Network decode(byte[] bytes, String name, Backend backend) throws ModelFormatException {
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
            if (hasState != 0) {
                throw corrupt(name, in.position() - 1, "optimizer-state flag " + hasState + " (format 1 has none)");
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
            return net;
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(name + ": truncated: the file ends at byte " + bytes.length
                    + " in the middle of the " + where);
        }
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
