package org.backprop4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.backprop4j.nn.TrainingHistory;
import org.backprop4j.nn.TrainingListener;

/**
 * Reports a training run: a line {@code iteration N  epoch E  cost C} on stdout every
 * {@code printEvery} iterations (C is the mean batch cost since the previous line), and, when
 * stderr is a terminal, a progress bar there over all iterations showing the epoch and the
 * current cost. The bar stays on the bottom line: cost lines are printed above it.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {

    /** Redraws of the bar's message at most this often; formatting it every step would be waste. */
    private static final long MESSAGE_INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final int printEvery;
    private final BarConsumer consumer;
    private ProgressBar bar;
    private int totalEpochs;
    private int totalIterations;
    private String lineFormat;
    private double costSum;
    private int costCount;
    private long lastMessage;

    /**
     * @param out        where cost lines go
     * @param err        where the bar goes, or null for no bar
     * @param printEvery iterations between cost lines; 0 prints none
     */
    TrainingProgress(PrintWriter out, PrintWriter err, int printEvery) {
        this.out = out;
        this.printEvery = printEvery;
        this.consumer = err == null ? null : new BarConsumer(err, Terminal.width());
    }

    @Override
    public void onStart(int totalEpochs, int totalIterations) {
        this.totalEpochs = totalEpochs;
        this.totalIterations = totalIterations;
        int digits = Integer.toString(totalIterations).length();
        int epochDigits = Integer.toString(totalEpochs).length();
        this.lineFormat = "iteration %" + digits + "d  epoch %" + epochDigits + "d  cost %.6f";
        if (consumer != null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax(totalIterations)
                    .setStyle(Terminal.unicode() ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(100)
                    .setConsumer(consumer)
                    .build();
            bar.setExtraMessage("epoch 1/" + totalEpochs);
        }
    }

    @Override
    public void onIteration(int iteration, int epoch, double cost) {
        costSum += cost;
        costCount++;
        if (bar != null) {
            bar.stepTo(iteration);
            long now = System.nanoTime();
            if (now - lastMessage > MESSAGE_INTERVAL_NANOS || iteration == totalIterations) {
                lastMessage = now;
                bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d cost %.4f", epoch + 1, totalEpochs, cost));
            }
        }
        if (printEvery > 0 && (iteration % printEvery == 0 || iteration == totalIterations)) {
            String line = String.format(Locale.ROOT, lineFormat, iteration, epoch + 1, costSum / costCount);
            costSum = 0;
            costCount = 0;
            if (consumer != null) {
                consumer.printAbove(out, line);
            } else {
                out.println(line);
            }
        }
    }

    @Override
    public void onFinish(TrainingHistory history) {
        close();
    }

    /** Stops the bar (idempotent); also called when training throws. */
    @Override
    public void close() {
        if (bar != null) {
            ProgressBar b = bar;
            bar = null;
            b.close();
        }
        out.flush();
    }

    /** The default iterations between cost lines: about ten lines per run. */
    static int defaultPrintEvery(int totalIterations) {
        return Math.max(1, (totalIterations + 9) / 10);
    }

    /** Draws the bar on one line of stderr and lets other output pass above it. */
    static final class BarConsumer implements ProgressBarConsumer {
        private static final String CLEAR_TO_END = "\u001b[K";

        private final PrintWriter err;
        private final int width;
        private String last = "";

        BarConsumer(PrintWriter err, int width) {
            this.err = err;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width - 1;
        }

        @Override
        public synchronized void accept(String rendered) {
            last = rendered;
            err.print('\r');
            err.print(rendered);
            err.print(CLEAR_TO_END);
            err.flush();
        }

        /** Erases the bar, prints {@code line} to {@code out}, draws the bar again below it. */
        synchronized void printAbove(PrintWriter out, String line) {
            err.print('\r');
            err.print(CLEAR_TO_END);
            err.flush();
            out.println(line);
            out.flush();
            err.print(last);
            err.flush();
        }

        @Override
        public synchronized void close() {
            err.println();
            err.flush();
        }
    }
}
