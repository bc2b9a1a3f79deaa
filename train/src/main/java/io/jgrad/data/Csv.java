package io.jgrad.data;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a CSV file (plain or gzip) of numeric features and an optional label column into a
 * {@link TensorDataset}: features FLOAT32 {@code (N, D)}, labels INT32 {@code (N)} for classification
 * or FLOAT32 {@code (N)} for regression.
 *
 * <pre>{@code
 * Csv.Data iris = Csv.read(path, Csv.options().header(true).labelColumn(-1));
 * }</pre>
 *
 * <p>Fields are separated by the delimiter and trimmed; a field in double quotes may hold the
 * delimiter, and {@code ""} inside quotes is one quote. Blank lines are skipped. Class labels are
 * integers, or names, which are numbered in sorted order ({@link Data#classNames()}). Every error
 * names the file, the line and the column.
 */
public final class Csv {
    private Csv() {}

    /** What the label column holds. */
    public enum LabelKind {
        /** Class indices or class names: an INT32 target. */
        CLASS,
        /** Real values: a FLOAT32 target (regression). */
        VALUE
    }

    /**
     * Starts a set of options: no header, the last column as class label, comma-separated, FLOAT32.
     *
     * @return the options
     */
    public static Options options() {
        return new Options();
    }

    /** Reading options of {@link Csv#read}. */
    public static final class Options {
        private boolean header;
        private Integer labelColumn = -1;
        private char delimiter = ',';
        private LabelKind labelKind = LabelKind.CLASS;
        private DType dtype = DType.FLOAT32;

        private Options() {}

        /**
         * Whether the first line is a header (skipped, and kept as column names).
         *
         * @param on true when there is a header line
         * @return these options
         */
        public Options header(boolean on) {
            header = on;
            return this;
        }

        /**
         * The label column; negative counts from the end ({@code -1} is the last column).
         *
         * @param index the column index
         * @return these options
         */
        public Options labelColumn(int index) {
            labelColumn = index;
            return this;
        }

        /**
         * No label column: every column is a feature.
         *
         * @return these options
         */
        public Options noLabel() {
            labelColumn = null;
            return this;
        }

        /**
         * The field separator.
         *
         * @param c e.g. {@code ','}, {@code ';'} or {@code '\t'}
         * @return these options
         */
        public Options delimiter(char c) {
            if (c == '"' || c == '\n' || c == '\r') {
                throw new IllegalArgumentException("Csv: invalid delimiter '" + c + "'");
            }
            delimiter = c;
            return this;
        }

        /**
         * What the label column holds.
         *
         * @param kind class labels or real values
         * @return these options
         */
        public Options labelKind(LabelKind kind) {
            labelKind = kind;
            return this;
        }

        /**
         * The dtype of the features (and of real-valued labels).
         *
         * @param d FLOAT32 or FLOAT64
         * @return these options
         */
        public Options dtype(DType d) {
            if (!d.isFloatingPoint()) {
                throw new IllegalArgumentException("Csv: the feature dtype must be floating point, got " + d);
            }
            dtype = d;
            return this;
        }
    }

    /**
     * A CSV file read into tensors.
     *
     * @param dataset features {@code (N, D)} and labels {@code (N)} (null target without a label column)
     * @param columns the header's column names of the features (empty without a header)
     * @param classNames the class names when labels were names, in label order; else empty
     */
    public record Data(TensorDataset dataset, List<String> columns, List<String> classNames) {}

    /**
     * Reads a file.
     *
     * @param path the file, plain or gzip
     * @param opt the options
     * @return the data
     * @throws MalformedDataException when a line has the wrong number of fields or a field is not a number
     * @throws IOException when reading fails
     */
    public static Data read(Path path, Options opt) throws IOException {
        List<String> names = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int width = -1;
        int labelAt = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Idx.open(path), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = split(path, lineNo, line, opt.delimiter);
                if (width < 0) {
                    width = fields.size();
                    if (opt.labelColumn != null) {
                        labelAt = opt.labelColumn < 0 ? width + opt.labelColumn : opt.labelColumn;
                        if (labelAt < 0 || labelAt >= width) {
                            throw new MalformedDataException(
                                    path,
                                    "line " + lineNo + ": label column " + opt.labelColumn
                                            + " does not exist in a line of " + width + " fields");
                        }
                    }
                } else if (fields.size() != width && !(first && opt.header)) {
                    throw new MalformedDataException(
                            path,
                            "line " + lineNo + ": " + fields.size() + " fields, expected " + width
                                    + " like the first line");
                }
                if (first && opt.header) {
                    first = false;
                    for (int c = 0; c < fields.size(); c++) {
                        if (c != labelAt) {
                            names.add(fields.get(c));
                        }
                    }
                    width = -1; // data lines fix the width (a header such as iris's may differ)
                    continue;
                }
                first = false;
                double[] row = new double[width - (labelAt >= 0 ? 1 : 0)];
                int k = 0;
                for (int c = 0; c < width; c++) {
                    if (c == labelAt) {
                        labels.add(fields.get(c));
                    } else {
                        row[k++] = number(path, lineNo, c, fields.get(c));
                    }
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new MalformedDataException(path, "no data lines");
        }
        int d = rows.get(0).length;
        if (opt.header && names.size() != d) {
            names = List.of(); // a header that does not name the columns (iris's "150,4,setosa,...")
        }
        int n = rows.size();
        checkFits(path, n, d);
        Tensor x;
        if (opt.dtype == DType.FLOAT32) {
            float[] a = new float[n * d];
            for (int i = 0; i < n; i++) {
                double[] row = rows.get(i);
                for (int j = 0; j < d; j++) {
                    a[i * d + j] = (float) row[j];
                }
            }
            x = Tensor.wrap(a, n, d);
        } else {
            double[] a = new double[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows.get(i), 0, a, i * d, d);
            }
            x = Tensor.wrap(a, n, d);
        }
        if (labelAt < 0) {
            return new Data(new TensorDataset(x, null), List.copyOf(names), List.of());
        }
        if (opt.labelKind == LabelKind.VALUE) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = number(path, -1, labelAt, labels.get(i));
            }
            Tensor t = Tensor.wrap(y, n);
            return new Data(
                    new TensorDataset(x, opt.dtype == DType.FLOAT64 ? t : t.to(DType.FLOAT32)),
                    List.copyOf(names),
                    List.of());
        }
        int[] y = new int[n];
        boolean numeric = true;
        for (String s : labels) {
            if (!isInteger(s)) {
                numeric = false;
                break;
            }
        }
        List<String> classNames = List.of();
        if (numeric) {
            for (int i = 0; i < n; i++) {
                y[i] = Integer.parseInt(labels.get(i).trim());
                if (y[i] < 0) {
                    throw new MalformedDataException(path, "data row " + i + ": class label " + y[i] + " is negative");
                }
            }
        } else {
            List<String> sorted = new ArrayList<>(new TreeSet<>(labels));
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < sorted.size(); c++) {
                index.put(sorted.get(c), c);
            }
            for (int i = 0; i < n; i++) {
                y[i] = index.get(labels.get(i));
            }
            classNames = Collections.unmodifiableList(sorted);
        }
        return new Data(new TensorDataset(x, Tensor.wrap(y, n)), List.copyOf(names), classNames);
    }

    private static boolean isInteger(String s) {
        try {
            Integer.parseInt(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double number(Path path, int lineNo, int column, String field) throws MalformedDataException {
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new MalformedDataException(
                    path,
                    (lineNo > 0 ? "line " + lineNo + ", " : "") + "column " + column + ": '" + field
                            + "' is not a number");
        }
    }

    /** Splits one line into trimmed fields, honouring double quotes. */
    static List<String> split(Path path, int lineNo, String line, char delim) throws MalformedDataException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                cur.setLength(0);
            } else if (wasQuoted && c != delim && Character.isWhitespace(c)) {
                // spaces between a closing quote and the delimiter: skipped
            } else if (c == delim) {
                out.add(wasQuoted ? cur.toString() : cur.toString().trim());
                cur.setLength(0);
                wasQuoted = false;
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new MalformedDataException(path, "line " + lineNo + ": unterminated quoted field");
        }
        out.add(wasQuoted ? cur.toString() : cur.toString().trim());
        return out;
    }

    /** Throws when n rows of d features are more values than one tensor (one Java array) holds. */
    static void checkFits(Path path, int n, int d) throws MalformedDataException {
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(
                    path,
                    n + " rows of " + d + " features are " + (long) n * d + " values, more than one tensor holds");
        }
    }
}
