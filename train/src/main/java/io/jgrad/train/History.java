package io.jgrad.train;

import io.jgrad.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The per-epoch values of a training run ({@code loss}, {@code accuracy}, {@code val_loss},
 * {@code val_accuracy}, {@code lr}, ...), as Keras's {@code History}: one row per epoch, one column
 * per key, in the order the keys first appeared.
 *
 * <p>{@link #writeCsv} and {@link #readCsv} save and load it losslessly (values are written with
 * {@link Double#toString}); {@link #writeChart} draws the loss and the accuracy, training against
 * validation, into a PNG of the requested size with JFreeChart. Files are replaced atomically.
 */
public final class History {
    private final List<Integer> epochs = new ArrayList<>();
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private final Set<String> keys = new LinkedHashSet<>();

    /** An empty history. */
    public History() {}

    /**
     * Appends an epoch's values.
     *
     * @param epoch the epoch's index (0-based)
     * @param logs key to value
     */
    public synchronized void append(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        rows.add(new LinkedHashMap<>(logs));
        keys.addAll(logs.keySet());
    }

    /**
     * The number of epochs recorded.
     *
     * @return the row count
     */
    public synchronized int size() {
        return rows.size();
    }

    /**
     * The keys in order of first appearance.
     *
     * @return the column names
     */
    public synchronized List<String> keys() {
        return List.copyOf(keys);
    }

    /**
     * The epoch indices of the rows.
     *
     * @return one index per row
     */
    public synchronized List<Integer> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * The values of one key, one per recorded epoch (NaN where an epoch lacks it).
     *
     * @param key e.g. {@code "val_loss"}
     * @return the values
     * @throws IllegalArgumentException when the key was never recorded
     */
    public synchronized List<Double> get(String key) {
        if (!keys.contains(key)) {
            throw new IllegalArgumentException("History.get: no values for '" + key + "'; keys: " + keys);
        }
        List<Double> out = new ArrayList<>(rows.size());
        for (Map<String, Double> r : rows) {
            out.add(r.getOrDefault(key, Double.NaN));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The values of one epoch.
     *
     * @param row the row index
     * @return key to value
     */
    public synchronized Map<String, Double> row(int row) {
        return Collections.unmodifiableMap(rows.get(row));
    }

    /**
     * Whether a key was recorded.
     *
     * @param key the key
     * @return true when some epoch has it
     */
    public synchronized boolean has(String key) {
        return keys.contains(key);
    }

    /**
     * Drops the rows of epochs {@code >= epoch} (when resuming from an earlier checkpoint).
     *
     * @param epoch the first epoch to drop
     */
    public synchronized void truncate(int epoch) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (epochs.get(i) >= epoch) {
                rows.remove(i);
                epochs.remove(i);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ CSV

    /**
     * The history as CSV text: a header {@code epoch,<keys...>} then one line per epoch; a missing
     * value is an empty field.
     *
     * @return the CSV text
     */
    public synchronized String toCsv() {
        StringBuilder sb = new StringBuilder("epoch");
        for (String k : keys) {
            sb.append(',').append(k);
        }
        sb.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            sb.append(epochs.get(i));
            for (String k : keys) {
                sb.append(',');
                Double v = rows.get(i).get(k);
                if (v != null) {
                    sb.append(v);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes {@link #toCsv()} to a file, atomically.
     *
     * @param path the file
     * @throws IOException when writing fails
     */
    public void writeCsv(Path path) throws IOException {
        byte[] bytes = toCsv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /**
     * Reads a history written by {@link #writeCsv}.
     *
     * @param path the file
     * @return the history
     * @throws IOException when reading fails or the content is not such a CSV
     */
    public static History readCsv(Path path) throws IOException {
        return parseCsv(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /**
     * Parses the text of {@link #toCsv()}.
     *
     * @param csv the text
     * @param nameForErrors names the source in error messages
     * @return the history
     * @throws IOException when the text is not such a CSV
     */
    public static History parseCsv(String csv, String nameForErrors) throws IOException {
        History h = new History();
        try (BufferedReader r = new BufferedReader(new StringReader(csv))) {
            String header = r.readLine();
            if (header == null || !header.startsWith("epoch")) {
                throw new IOException(
                        nameForErrors + ": not a history CSV (the header must start with 'epoch'), got " + header);
            }
            String[] cols = header.split(",", -1);
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != cols.length) {
                    throw new IOException(nameForErrors + ": line " + lineNo + " has " + f.length
                            + " fields, the header " + cols.length);
                }
                Map<String, Double> row = new LinkedHashMap<>();
                try {
                    for (int c = 1; c < cols.length; c++) {
                        if (!f[c].isEmpty()) {
                            row.put(cols[c], Double.parseDouble(f[c]));
                        }
                    }
                    h.append(Integer.parseInt(f[0]), row);
                } catch (NumberFormatException e) {
                    throw new IOException(nameForErrors + ": line " + lineNo + ": " + e.getMessage(), e);
                }
            }
            for (int c = 1; c < cols.length; c++) {
                h.keys.add(cols[c]);
            }
        }
        return h;
    }

    // ------------------------------------------------------------------------------------------ chart

    /**
     * Draws the loss (and the accuracy, when recorded), training against validation, into a PNG.
     *
     * @param path the PNG file (replaced atomically)
     * @param width the image width in pixels
     * @param height the image height in pixels
     * @throws IOException when writing fails
     */
    public void writeChart(Path path, int width, int height) throws IOException {
        List<String> panels = new ArrayList<>();
        panels.add("loss");
        if (has("accuracy") || has("val_accuracy")) {
            panels.add("accuracy");
        }
        writeChart(path, width, height, panels);
    }

    /**
     * Draws one panel per metric, each with the training values and, when recorded, the
     * validation values ({@code val_<metric>}), against the epoch (counted from 1).
     *
     * @param path the PNG file (replaced atomically)
     * @param width the image width in pixels (16 to 16384)
     * @param height the image height in pixels (16 to 16384)
     * @param metrics the metrics to draw, e.g. {@code ["loss", "accuracy"]}
     * @throws IOException when writing fails
     */
    public void writeChart(Path path, int width, int height, List<String> metrics) throws IOException {
        JFreeChart chart = chart(metrics);
        if (width < 16 || height < 16 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("History.writeChart: size " + width + "x" + height
                    + " is out of range (16 to 16384 pixels a side)");
        }
        AtomicFiles.write(path, (OutputStream out) -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    /**
     * The chart {@link #writeChart} draws, for display in a Swing window or further styling.
     *
     * @param metrics the metrics, one panel each
     * @return the chart
     */
    public synchronized JFreeChart chart(List<String> metrics) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("History.chart: no metric to draw");
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        boolean firstPanel = true;
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        for (String m : metrics) {
            if (!keys.contains(m) && !keys.contains("val_" + m)) {
                throw new IllegalArgumentException("History.chart: nothing recorded for '" + m + "'; keys: " + keys);
            }
            XYSeriesCollection data = new XYSeriesCollection();
            for (String key : new String[] {m, "val_" + m}) {
                if (!keys.contains(key)) {
                    continue;
                }
                XYSeries s = new XYSeries(key.startsWith("val_") ? "validation" : "training");
                for (int i = 0; i < rows.size(); i++) {
                    Double v = rows.get(i).get(key);
                    if (v != null && Double.isFinite(v)) {
                        s.add(epochs.get(i) + 1, v);
                    }
                }
                data.addSeries(s);
            }
            NumberAxis valueAxis = new NumberAxis(m);
            valueAxis.setAutoRangeIncludesZero(false);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, rows.size() <= 60);
            Color[] colors = {new Color(31, 119, 180), new Color(255, 127, 14)};
            for (int k = 0; k < data.getSeriesCount(); k++) {
                boolean validation = data.getSeriesKey(k).equals("validation");
                renderer.setSeriesPaint(k, colors[validation ? 1 : 0]);
                renderer.setSeriesStroke(k, new BasicStroke(2f));
                renderer.setSeriesShape(k, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
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
