package org.backprop4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.backprop4j.data.Dataset;

/**
 * Runs {@link Diagnostics} on the network while it trains: after the first epoch and every
 * {@code everyEpochs} epochs (with the epoch's scheduled learning rate), and once more when training
 * ends, then with the whole {@link TrainingHistory} so that the cost curve and the
 * train-versus-validation gap are judged too. Training that diverges is diagnosed on the weights
 * the network keeps.
 *
 * <pre>{@code
 * DiagnosticsListener diag = new DiagnosticsListener(net, train,
 *         Diagnostics.builder().optimizer(optimizer).build(), 10);
 * net.fit(train, TrainingConfig.builder().optimizer(optimizer).listener(diag).build());
 * System.out.println(diag.report());
 * }</pre>
 *
 * <p>Each diagnosis copies the network to float64 and allocates its buffers; it runs between epochs,
 * never inside a training step.
 */
public final class DiagnosticsListener implements TrainingListener {

    /** The diagnosis after one epoch. */
    public record Snapshot(int epoch, EpochStats stats, DiagnosticsReport report) {
    }

    private final Network network;
    private final Dataset data;
    private final Diagnostics diagnostics;
    private final int everyEpochs;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private TrainingHistory history;
    private DiagnosticsReport finalReport;

    /**
     * @param network     the network being trained (the one {@code fit} is called on)
     * @param data        the data to diagnose on, typically the training set (a sample of it is used)
     * @param diagnostics how to diagnose; give it the training's optimizer for update ratios
     * @param everyEpochs diagnose after the first epoch and every this many epochs, at least 1
     */
    public DiagnosticsListener(Network network, Dataset data, Diagnostics diagnostics, int everyEpochs) {
        this.network = Objects.requireNonNull(network, "network");
        this.data = Objects.requireNonNull(data, "data");
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("everyEpochs must be >= 1, got " + everyEpochs);
        }
        this.everyEpochs = everyEpochs;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        if (stats.epoch() == 0 || (stats.epoch() + 1) % everyEpochs == 0) {
            snapshots.add(new Snapshot(stats.epoch(), stats,
                    diagnostics.withLearningRate(stats.learningRate()).run(network, data)));
        }
    }

    @Override
    public void onFinish(TrainingHistory history) {
        this.history = history;
        Diagnostics d = diagnostics;
        if (!history.epochs().isEmpty()) {
            d = d.withLearningRate(history.last().learningRate());
        }
        this.finalReport = d.run(network, data, history);
    }

    /** The diagnoses taken during training, in order. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The history passed to {@link #onFinish}, or null while training runs. */
    public TrainingHistory history() {
        return history;
    }

    /**
     * The diagnosis at the end of training, with the history's findings; before training ended, a
     * fresh diagnosis of the network as it is now.
     */
    public DiagnosticsReport report() {
        return finalReport != null ? finalReport : diagnostics.run(network, data, history);
    }
}
