package io.jgrad.charts;

import io.jgrad.train.History;
import io.jgrad.train.HistoryPlotter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training-history charts drawn with JFreeChart: the {@link HistoryPlotter} that
 * {@link History#writeChart} finds through {@link java.util.ServiceLoader} when this module
 * ({@code io.jgrad:jgrad-charts}) is on the class path.
 *
 * <p>One panel per metric, stacked over a shared epoch axis (counted from 1): the training values in
 * blue and, when recorded, the validation values ({@code val_<metric>}) in orange. Values that are
 * missing or not finite are left out. {@link #chart} gives the chart itself, for display in a Swing
 * window or further styling.
 */
public final class HistoryCharts implements HistoryPlotter {
    private static final Color TRAINING = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);

    /** The plotter; {@link java.util.ServiceLoader} makes it, and so may anyone. */
    public HistoryCharts() {}

    @Override
    public void writePng(History history, List<String> metrics, int width, int height, OutputStream out)
            throws IOException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "HistoryCharts.writePng: size " + width + "x" + height + " must be positive");
        }
        ChartUtils.writeChartAsPNG(out, chart(history, metrics), width, height);
    }

    /**
     * The chart {@link History#writeChart} draws.
     *
     * @param history the values
     * @param metrics the metrics, one panel each, e.g. {@code ["loss", "accuracy"]}
     * @return the chart
     * @throws IllegalArgumentException when {@code metrics} is empty or a metric has neither training
     *     nor validation values
     */
    public static JFreeChart chart(History history, List<String> metrics) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("HistoryCharts.chart: no metric to draw");
        }
        // History.writeChart passes a private copy; a history that a run still appends to may have more
        // values than the epochs read here, and only the rows present in both are drawn
        List<String> keys = history.keys();
        List<Integer> epochs = history.epochs();
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        boolean firstPanel = true;
        for (String m : metrics) {
            if (!keys.contains(m) && !keys.contains("val_" + m)) {
                throw new IllegalArgumentException(
                        "HistoryCharts.chart: nothing recorded for '" + m + "'; keys: " + keys);
            }
            XYSeriesCollection data = new XYSeriesCollection();
            for (String key : new String[] {m, "val_" + m}) {
                if (!keys.contains(key)) {
                    continue;
                }
                XYSeries s = new XYSeries(key.startsWith("val_") ? "validation" : "training");
                List<Double> values = history.get(key);
                for (int i = 0; i < Math.min(values.size(), epochs.size()); i++) {
                    double v = values.get(i);
                    if (Double.isFinite(v)) {
                        s.add(epochs.get(i) + 1, v);
                    }
                }
                data.addSeries(s);
            }
            NumberAxis valueAxis = new NumberAxis(m);
            valueAxis.setAutoRangeIncludesZero(false);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, epochs.size() <= 60);
            for (int k = 0; k < data.getSeriesCount(); k++) {
                boolean validation = data.getSeriesKey(k).equals("validation");
                renderer.setSeriesPaint(k, validation ? VALIDATION : TRAINING);
                renderer.setSeriesStroke(k, new BasicStroke(2f));
                renderer.setSeriesShape(k, new Ellipse2D.Double(-3, -3, 6, 6));
                // the legend names the two colours once, not once per panel
                renderer.setSeriesVisibleInLegend(k, firstPanel);
            }
            firstPanel = false;
            XYPlot sub = new XYPlot(data, null, valueAxis, renderer);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setDomainGridlinePaint(Color.LIGHT_GRAY);
            sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.add(sub, 1);
        }
        JFreeChart chart = new JFreeChart("Training history", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
