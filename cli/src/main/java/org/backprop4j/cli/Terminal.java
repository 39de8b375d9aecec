package org.backprop4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the process knows about its terminal, without native code. */
final class Terminal {

    private Terminal() {
    }

    /**
     * True if stderr is a terminal, so a progress bar redrawn with {@code \r} reads well there; false
     * when it goes to a file or a pipe. Linux tells through /proc; elsewhere {@link System#console()}
     * (stdin and stdout both terminals) is the best guess Java 17 offers.
     */
    static boolean isStderrInteractive() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /** Columns of the terminal: $COLUMNS when exported, else 80, which every terminal has. */
    static int width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                int w = Integer.parseInt(columns.trim());
                if (w >= 20 && w <= 1000) {
                    return w;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return 80;
    }

    /** True if text written to stderr may use non-ASCII characters (the progress bar's blocks). */
    static boolean unicode() {
        String enc = System.getProperty("sun.stderr.encoding");
        if (enc == null) {
            enc = System.getProperty("native.encoding", System.getProperty("file.encoding", ""));
        }
        return enc.equalsIgnoreCase("UTF-8") || enc.equalsIgnoreCase("UTF8");
    }
}
