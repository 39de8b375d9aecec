package org.backprop4j.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.backprop4j.nn.EpochStats;
import org.backprop4j.nn.TrainingHistory;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning curves of a {@link TrainingHistory}: training and validation cost per epoch, and below it
 * training and validation accuracy (classification only), as a PNG or an SVG drawn with XChart.
 * A dashed vertical line marks the epoch with the lowest validation cost.
 *
 * <pre>{@code
 * TrainingHistory h = net.fit(train, validation, config);
 * LearningCurves.of(h).title("digits 64-32-10").write(Path.of("curves.svg"));
 * }</pre>
 *
 * <p>Lives in the command-line module so that {@code backprop4j-api} keeps no dependencies.
 */
public final class LearningCurves {

    /** Default image width in pixels (SVG: user units). */
    public static final int DEFAULT_WIDTH = 900;

    /** Default height of each of the two charts. */
    public static final int DEFAULT_CHART_HEIGHT = 400;

    private final TrainingHistory history;
    private String title = "learning curves";
    private String heldOutName = "validation";
    private int width = DEFAULT_WIDTH;
    private int chartHeight = DEFAULT_CHART_HEIGHT;

    private LearningCurves(TrainingHistory history) {
        this.history = Objects.requireNonNull(history, "history");
    }

    /**
     * Curves for {@code history}.
     *
     * @throws IllegalArgumentException if no epoch completed (there is nothing to draw)
     */
    public static LearningCurves of(TrainingHistory history) {
        if (history.epochs().isEmpty()) {
            throw new IllegalArgumentException("no epoch completed, so there are no learning curves to draw: "
                    + history.stopReason());
        }
        return new LearningCurves(history);
    }

    /** The title above the cost chart. */
    public LearningCurves title(String title) {
        this.title = Objects.requireNonNull(title, "title");
        return this;
    }

    /** What the held-out set is called in the legends: {@code "validation"} (default) or, say, {@code "test"}. */
    public LearningCurves heldOutName(String name) {
        this.heldOutName = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Image width and the height of each chart, in pixels. */
    public LearningCurves size(int width, int chartHeight) {
        if (width < 200 || chartHeight < 150) {
            throw new IllegalArgumentException("a plot needs at least 200 x 150 pixels per chart, got " + width + " x "
                    + chartHeight);
        }
        this.width = width;
        this.chartHeight = chartHeight;
        return this;
    }

    /** Height of the whole image: one chart for regression, two (cost, accuracy) for classification. */
    public int height() {
        return chartHeight * charts().size();
    }

    /** Writes a PNG image. */
    public void writePng(OutputStream out) throws IOException {
        headless();
        BufferedImage image = new BufferedImage(width, height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paint(g);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    /** Writes an SVG document (via VectorGraphics2D, the library XChart's own vector export uses). */
    public void writeSvg(OutputStream out) throws IOException {
        headless();
        VectorGraphics2D g = new VectorGraphics2D();
        paint(g);
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height())).writeTo(out);
    }

    /**
     * Writes {@code file} as PNG or SVG by its extension, atomically (a temporary file beside it,
     * flushed, then renamed over it).
     *
     * @throws IllegalArgumentException if the name ends neither in {@code .png} nor in {@code .svg}
     */
    public void write(Path file) throws IOException {
        boolean svg = isSvg(file);
        AtomicFiles.write(file, out -> {
            if (svg) {
                writeSvg(out);
            } else {
                writePng(out);
            }
        });
    }

    /**
     * Checks that {@code file} names a PNG or SVG file, so that a typo fails before training.
     *
     * @return true for SVG, false for PNG
     * @throws IllegalArgumentException naming the accepted extensions
     */
    public static boolean isSvg(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            return true;
        }
        if (name.endsWith(".png")) {
            return false;
        }
        throw new IllegalArgumentException("cannot tell the image format of " + file
                + ": the plot file name must end in .png or .svg");
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height());
        int y = 0;
        for (XYChart chart : charts()) {
            g.translate(0, y);
            chart.paint(g, width, chartHeight);
            g.translate(0, -y);
            y += chartHeight;
        }
    }

    private List<XYChart> charts() {
        List<EpochStats> epochs = history.epochs();
        List<XYChart> charts = new ArrayList<>();
        int best = history.bestEpoch();
        boolean markBest = best >= 0 && epochs.size() > 1;
        XYChart cost = chart(title + " - cost" + (markBest ? " (line: lowest " + heldOutName + " cost, epoch "
                + (best + 1) + ")" : ""), "cost");
        add(cost, "train", epochs, EpochStats::trainCost);
        add(cost, heldOutName, epochs, EpochStats::validationCost);
        charts.add(cost);
        boolean accuracy = epochs.stream().anyMatch(e -> Double.isFinite(e.trainAccuracy()));
        if (accuracy) {
            XYChart acc = chart("accuracy", "accuracy");
            // Accuracy rises: the lower right corner is where the lines are not.
            acc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            add(acc, "train", epochs, EpochStats::trainAccuracy);
            add(acc, heldOutName, epochs, EpochStats::validationAccuracy);
            charts.add(acc);
        }
        if (markBest) {
            for (XYChart c : charts) {
                // The epoch with the lowest held-out cost (with early stopping: the weights kept).
                c.addAnnotation(new AnnotationLine(best + 1, true, false));
                c.getStyler().setAnnotationLineColor(new Color(120, 120, 120));
            }
        }
        return charts;
    }

    private XYChart chart(String chartTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(width).height(chartHeight).title(chartTitle)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        return chart;
    }

    /** Adds one line of the finite values of {@code value} per epoch; nothing if there is none. */
    private static void add(XYChart chart, String name, List<EpochStats> epochs, ToDoubleFunction<EpochStats> value) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochStats e : epochs) {
            double v = value.applyAsDouble(e);
            if (Double.isFinite(v)) {
                x.add((double) (e.epoch() + 1));
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, x, y);
        // Markers only while they can be told apart; a 2500-epoch full-batch run is a line.
        series.setMarker(x.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static void headless() {
        // No display is needed (or wanted) to draw into an image or a document.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
