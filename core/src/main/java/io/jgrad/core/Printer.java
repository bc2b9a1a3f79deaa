package io.jgrad.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats tensors the way PyTorch's {@code repr} does with its default print options: one number
 * format for the whole tensor (integers as {@code 1.}, fixed point with 4 decimals, or scientific
 * when the magnitudes span more than 1000x, exceed 1e8 or go below 1e-4), right-aligned to a common
 * width, rows wrapped at 80 columns, more than 1000 elements summarized with the first and last 3
 * entries per dimension. Types are named as {@code dtype=float64} (jgrad's names, without PyTorch's
 * {@code torch.} prefix) except those PyTorch leaves implicit: FLOAT32, and INT64 and BOOL unless the
 * tensor is empty. Integers print
 * exactly, BOOL elements as {@code True} and {@code False}.
 */
final class Printer {
    private static final int EDGE = 3;
    private static final int THRESHOLD = 1000;
    private static final int LINEWIDTH = 80;
    private static final int PRECISION = 4;
    private static final String PREFIX = "tensor(";

    private Printer() {}

    static String format(Tensor t) {
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        String body;
        if (t.numel() == 0) {
            // an empty tensor shows its shape unless it is (0,), and always its dtype if not the default
            if (t.dim() != 1) {
                suffixes.add("size=" + Shape.format(t.shape));
            }
            if (t.dtype() != DType.FLOAT32) {
                suffixes.add("dtype=" + t.dtype());
            }
            body = "[]";
        } else {
            if (!implicit(t.dtype())) {
                suffixes.add("dtype=" + t.dtype());
            }
            boolean summarize = t.numel() > THRESHOLD;
            List<Integer> shown = new ArrayList<>();
            collect(t, summarize, shown);
            body = str(t, indent, summarize, new NumberFormat(t.storage, shown));
        }
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    /** The types PyTorch prints without a dtype suffix (the defaults of its literals). */
    private static boolean implicit(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.INT64 || dtype == DType.BOOL;
    }

    /** The storage positions of the values that will be printed (the edges only when summarizing). */
    private static void collect(Tensor t, boolean summarize, List<Integer> out) {
        if (t.dim() == 0) {
            out.add(t.offset);
            return;
        }
        int n = t.shape[0];
        for (int k = 0; k < n; k++) {
            if (summarize && n > 2 * EDGE && k == EDGE) {
                k = n - EDGE;
            }
            collect(t.select(0, k), summarize, out);
        }
    }

    private static String str(Tensor t, int indent, boolean summarize, NumberFormat f) {
        if (t.dim() == 0) {
            return f.format(t.offset);
        }
        int n = t.shape[0];
        List<String> parts = new ArrayList<>();
        if (t.dim() == 1) {
            for (int k = 0; k < n; k++) {
                if (summarize && n > 2 * EDGE && k == EDGE) {
                    parts.add(" ...");
                    k = n - EDGE - 1;
                    continue;
                }
                parts.add(f.format(t.offset + k * t.strides[0]));
            }
            // as many elements per line as fit in the line width
            int perLine = Math.max(1, (LINEWIDTH - indent) / (f.width + 2));
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < parts.size(); k++) {
                if (k > 0) {
                    sb.append(k % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                sb.append(parts.get(k));
            }
            return sb.append(']').toString();
        }
        for (int k = 0; k < n; k++) {
            if (summarize && n > 2 * EDGE && k == EDGE) {
                parts.add("...");
                k = n - EDGE - 1;
                continue;
            }
            parts.add(str(t.select(0, k), indent + 1, summarize, f));
        }
        // sub-tensors are separated by dim - 1 newlines: one between rows, two between matrices, ...
        String sep = "," + "\n".repeat(t.dim() - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, parts) + "]";
    }

    private static String addSuffixes(String s, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(s);
        int lastLine = s.length() - s.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLine + suffix.length() + 2 > LINEWIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLine = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLine += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** One format for every element of a tensor, chosen from the non-zero finite values shown. */
    private static final class NumberFormat {
        final Storage storage;
        final boolean floating;
        boolean intMode = true;
        boolean sciMode;
        int width = 1;

        NumberFormat(Storage storage, List<Integer> positions) {
            this.storage = storage;
            floating = storage.dtype.isFloatKind();
            if (!floating) {
                for (int p : positions) {
                    width = Math.max(width, integer(p).length());
                }
                return;
            }
            List<Double> values = new ArrayList<>(positions.size());
            for (int p : positions) {
                values.add(storage.get(p));
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            boolean any = false;
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    any = true;
                    lo = Math.min(lo, Math.abs(v));
                    hi = Math.max(hi, Math.abs(v));
                    if (v != Math.ceil(v)) {
                        intMode = false;
                    }
                }
            }
            if (!any) {
                return;
            }
            sciMode = hi / lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4);
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    int len = sciMode
                            ? sci(v).length()
                            : intMode
                                    ? fixed(v, 0).length() + 1
                                    : fixed(v, PRECISION).length();
                    width = Math.max(width, len);
                }
            }
        }

        private String integer(int p) {
            if (storage.dtype == DType.BOOL) {
                return storage.isTrue(p) ? "True" : "False";
            }
            return Long.toString(storage.getLong(p));
        }

        String format(int p) {
            String s;
            double v = floating ? storage.get(p) : 0;
            if (!floating) {
                s = integer(p);
            } else if (Double.isNaN(v)) {
                s = "nan";
            } else if (Double.isInfinite(v)) {
                s = v > 0 ? "inf" : "-inf";
            } else if (sciMode) {
                s = sci(v);
            } else if (intMode) {
                s = fixed(v, 0) + ".";
            } else {
                s = fixed(v, PRECISION);
            }
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }

        /**
         * Fixed point with {@code digits} decimals, rounding the exact binary value half-to-even like
         * Python's format (String.format rounds a shorter decimal form and can differ).
         */
        static String fixed(double v, int digits) {
            String s = new BigDecimal(Math.abs(v))
                    .setScale(digits, RoundingMode.HALF_EVEN)
                    .toPlainString();
            return (v < 0 || (v == 0 && 1 / v < 0) ? "-" : "") + s;
        }

        /** Scientific notation like Python's {@code "{:.4e}"}: {@code 1.2345e-05}. */
        static String sci(double v) {
            String sign = v < 0 || (v == 0 && 1 / v < 0) ? "-" : "";
            if (v == 0) {
                return sign + "0." + "0".repeat(PRECISION) + "e+00";
            }
            BigDecimal r = new BigDecimal(Math.abs(v)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            String digits = r.unscaledValue().toString();
            // value = digits * 10^-scale; digits may have fewer than PRECISION + 1 digits (trailing zeros cut)
            int exp = digits.length() - 1 - r.scale();
            StringBuilder mant = new StringBuilder(digits);
            while (mant.length() < PRECISION + 1) {
                mant.append('0');
            }
            String e = Integer.toString(Math.abs(exp));
            return sign + mant.charAt(0) + "." + mant.substring(1, PRECISION + 1) + "e" + (exp < 0 ? "-" : "+")
                    + (e.length() < 2 ? "0" + e : e);
        }
    }
}
