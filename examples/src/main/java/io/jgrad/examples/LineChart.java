package io.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG line chart of a few named series against a common x axis (JFreeChart), for values that
 * are not per epoch: losses per training step, a forecast against the truth.
 */
final class LineChart {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, XYSeries> series = new LinkedHashMap<>();

    LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds the point {@code (x, y)} to series {@code name} (created on first use). */
    LineChart add(String name, double x, double y) {
        series.computeIfAbsent(name, n -> new XYSeries(n, false, true)).add(x, y);
        return this;
    }

    /** Adds {@code ys[i]} at {@code x0 + i} to series {@code name}. */
    LineChart addAll(String name, double x0, double[] ys) {
        for (int i = 0; i < ys.length; i++) {
            add(name, x0 + i, ys[i]);
        }
        return this;
    }

    JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series.values()) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        Color[] colors = {
            new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40)
        };
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, colors[i % colors.length]);
            r.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        plot.setRenderer(r);
        return chart;
    }

    /** Writes the chart as a PNG of {@code width x height} pixels, creating the parent folders. */
    void write(Path path, int width, int height) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalStateException("LineChart: nothing to draw for " + path);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(path.toFile(), chart(), width, height);
    }
}
