package io.jgrad.train;

import io.jgrad.core.io.AtomicFiles;
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
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The per-epoch values of a training run ({@code loss}, {@code accuracy}, {@code val_loss},
 * {@code val_accuracy}, {@code lr}, ...), as Keras's {@code History}: one row per epoch, one column
 * per key, in the order the keys first appeared.
 *
 * <p>{@link #writeCsv} and {@link #readCsv} save and load it losslessly (values are written with
 * {@link Double#toString}); {@link #writeChart} draws the loss and the accuracy, training against
 * validation, into a PNG of the requested size when the optional module {@code jgrad-charts} is on the
 * class path (see {@link HistoryPlotter}; without it, everything but the chart works). Files are
 * replaced atomically.
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

    /** The artifact that provides the {@link HistoryPlotter}, named in the error when it is missing. */
    static final String CHARTS_ARTIFACT = "io.jgrad:jgrad-charts";

    /**
     * Draws the loss (and the accuracy, when recorded), training against validation, into a PNG.
     * Needs the optional module {@code jgrad-charts} on the class path (see {@link HistoryPlotter}).
     *
     * @param path the PNG file (replaced atomically)
     * @param width the image width in pixels
     * @param height the image height in pixels
     * @throws IOException when writing fails
     * @throws UnsupportedOperationException when no chart library is on the class path; the message
     *     names the artifact to add
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
     * validation values ({@code val_<metric>}), against the epoch (counted from 1). Needs the
     * optional module {@code jgrad-charts} on the class path (see {@link HistoryPlotter}).
     *
     * @param path the PNG file (replaced atomically)
     * @param width the image width in pixels (16 to 16384)
     * @param height the image height in pixels (16 to 16384)
     * @param metrics the metrics to draw, e.g. {@code ["loss", "accuracy"]}
     * @throws IOException when writing fails
     * @throws IllegalArgumentException when the size is out of range, {@code metrics} is empty or a
     *     metric has no recorded values
     * @throws UnsupportedOperationException when no chart library is on the class path; the message
     *     names the artifact to add
     */
    public void writeChart(Path path, int width, int height, List<String> metrics) throws IOException {
        if (width < 16 || height < 16 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("History.writeChart: size " + width + "x" + height
                    + " is out of range (16 to 16384 pixels a side)");
        }
        List<String> panels = List.copyOf(metrics);
        History copy = snapshot();
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("History.writeChart: no metric to draw");
        }
        for (String m : panels) {
            if (!copy.keys.contains(m) && !copy.keys.contains("val_" + m)) {
                throw new IllegalArgumentException(
                        "History.writeChart: nothing recorded for '" + m + "'; keys: " + copy.keys);
            }
        }
        HistoryPlotter plotter = plotter("draw " + path);
        AtomicFiles.write(path, (OutputStream out) -> plotter.writePng(copy, panels, width, height, out));
    }

    /**
     * Whether a {@link HistoryPlotter} (the module {@code jgrad-charts}) is on the class path, so that
     * {@link #writeChart} can draw.
     *
     * @return true when charts can be drawn
     */
    public static boolean chartsAvailable() {
        try {
            plotter("draw");
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * The first plotter that the context class loader, or else this module's class loader, finds.
     *
     * @param task what the plotter is wanted for, in the error message
     * @throws UnsupportedOperationException when there is none, or it cannot be loaded
     */
    private static HistoryPlotter plotter(String task) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = History.class.getClassLoader();
        try {
            Optional<HistoryPlotter> found = Optional.empty();
            if (context != null) {
                found = ServiceLoader.load(HistoryPlotter.class, context).findFirst();
            }
            if (found.isEmpty() && own != context) {
                found = ServiceLoader.load(HistoryPlotter.class, own).findFirst();
            }
            return found.orElseThrow(() -> new UnsupportedOperationException("History.writeChart: no chart library"
                    + " on the class path to " + task + ". PNG charts come from the optional module jgrad-charts:"
                    + " add the dependency " + CHARTS_ARTIFACT + " (the same version as jgrad-train), or write the"
                    + " values with writeCsv and plot them with another tool."));
        } catch (ServiceConfigurationError e) {
            // e.g. jgrad-charts is there but JFreeChart, its dependency, is not
            throw new UnsupportedOperationException(
                    "History.writeChart: the chart library on the class path cannot be loaded to " + task
                            + " (" + e.getMessage() + "). " + CHARTS_ARTIFACT
                            + " needs its dependency org.jfree:jfreechart on the class path too.",
                    e);
        }
    }

    /** A copy of the rows and keys, so that a chart is drawn from one consistent state. */
    private synchronized History snapshot() {
        History h = new History();
        for (int i = 0; i < rows.size(); i++) {
            h.append(epochs.get(i), rows.get(i));
        }
        h.keys.addAll(keys);
        return h;
    }
}
