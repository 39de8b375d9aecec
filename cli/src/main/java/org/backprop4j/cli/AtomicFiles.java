package org.backprop4j.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see the old content or the new, never half of it: a temporary file
 * in the same directory (same file system, so the rename is atomic) is written and flushed to disk,
 * then moved over the target.
 */
final class AtomicFiles {

    /** Writes text to a {@link Writer}. */
    @FunctionalInterface
    interface TextWriter {
        void write(Writer w) throws IOException;
    }

    /** Writes bytes to an {@link OutputStream}. */
    @FunctionalInterface
    interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Checks, before any long work, that {@code option}'s file can be written: not a directory, in a
     * directory that exists and is writable.
     */
    static void checkTarget(String option, Path target) {
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(option + " " + target + " is a directory; give a file name");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + target + ": directory " + dir + " does not exist");
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " " + target + ": directory " + dir + " is not writable");
        }
    }

    static void writeText(Path target, TextWriter body) throws IOException {
        write(target, stream -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        });
    }

    /** Writes a binary file (an image, say) the same way as {@link #writeText}. */
    static void write(Path target, StreamWriter body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot write " + target + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("cannot write " + target + ": it is a directory");
        }
        // Not Files.createTempFile: its files are private (0600); CREATE_NEW gets the umask's usual permissions.
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + Long.toHexString(System.nanoTime())
                + ".tmp");
        boolean moved = false;
        try {
            FileChannel opened;
            try {
                opened = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": cannot create a file in " + dir + " ("
                        + (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                        ? ((FileSystemException) e).getReason() : e.getClass().getSimpleName()) + ")", e);
            }
            try (FileChannel channel = opened) {
                OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.write(stream);
                stream.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
