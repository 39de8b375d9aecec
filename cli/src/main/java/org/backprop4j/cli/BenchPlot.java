package org.backprop4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** {@code bench --plot FILE.png}: GEMM GFLOP/s against size, one line per backend, threads and dtype. */
final class BenchPlot {

    private BenchPlot() {
    }

    static byte[] png(BenchReport r) throws IOException {
        // No display is needed (or wanted) to draw into an image.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("GEMM C = A·Bᵀ (n×n×n) on " + r.machine().cpu() + ", " + r.machine().cores() + " cores")
                .xAxisTitle("n").yAxisTitle("GFLOP/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        // x is log2(n), labelled with n: the sizes double, so they are evenly spaced.
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
            long p = Math.round(x);
            return Math.abs(x - p) < 1e-6 && p >= 0 && p < 31 ? Long.toString(1L << p) : "";
        });
        for (BenchReport.Run run : r.runs()) {
            List<String> dtypes = new ArrayList<>();
            run.gemm().forEach(g -> {
                if (!dtypes.contains(g.dtype())) {
                    dtypes.add(g.dtype());
                }
            });
            for (String dtype : dtypes) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (BenchReport.Gemm g : run.gemm()) {
                    if (g.dtype().equals(dtype)) {
                        x.add(Math.log(g.n()) / Math.log(2));
                        y.add(g.gflops());
                    }
                }
                chart.addSeries(run.label() + " " + dtype, x, y);
            }
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes the plot atomically (temporary file, then rename). */
    static void write(Path target, BenchReport r) throws IOException {
        byte[] bytes = png(r);
        AtomicFiles.write(target, out -> out.write(bytes));
    }
}
