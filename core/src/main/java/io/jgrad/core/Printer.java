package io.jgrad.core;

import java.util.Locale;

/** Formats tensors like PyTorch: nested brackets, summarizing dimensions longer than 6 with "...". */
final class Printer {
    private static final int EDGE = 3;
    private static final int THRESHOLD = 1000;

    private Printer() {
    }

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        boolean summarize = t.numel() > THRESHOLD;
        append(sb, t, 0, summarize, 7);
        if (t.dtype() != DType.FLOAT32) {
            sb.append(", dtype=").append(t.dtype());
        }
        if (t.numel() == 0 || t.dim() > 1 && t.numel() == 0) {
            sb.append(", size=").append(Shape.format(t.shape));
        }
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, Tensor t, int depth, boolean summarize, int indent) {
        if (t.dim() == 0) {
            sb.append(value(t.dtype(), t.storage.get(t.offset)));
            return;
        }
        sb.append('[');
        int n = t.shape[0];
        for (int k = 0; k < n; k++) {
            if (summarize && n > 2 * EDGE && k == EDGE) {
                sb.append("...");
                k = n - EDGE - 1;
                sb.append(t.dim() > 1 ? ",\n" + " ".repeat(indent + depth + 1) : ", ");
                continue;
            }
            append(sb, t.select(0, k), depth + 1, summarize, indent);
            if (k < n - 1) {
                sb.append(t.dim() > 1 ? ",\n" + (t.dim() > 2 ? "\n" : "") + " ".repeat(indent + depth + 1) : ", ");
            }
        }
        sb.append(']');
    }

    private static String value(DType dtype, double v) {
        if (dtype == DType.INT32) {
            return Integer.toString((int) v);
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e8) {
            return String.format(Locale.ROOT, "%.0f.", v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e8) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.4e", v);
    }
}
