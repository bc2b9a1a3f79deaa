package io.jgrad.train;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The implementations behind the factories of {@link Metric}. */
final class StandardMetrics {
    private StandardMetrics() {}

    /** A metric counting hits among samples. */
    abstract static class Counting implements Metric {
        private final String name;
        private long ok;
        private long total;

        Counting(String name) {
            this.name = name;
        }

        abstract int[] hits(Tensor output, Tensor target);

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            ok = 0;
            total = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            int[] h = hits(output, target);
            ok += h[0];
            total += h[1];
        }

        @Override
        public double result() {
            return total == 0 ? Double.NaN : (double) ok / total;
        }
    }

    /** A metric computed from the confusion matrix accumulated over batches. */
    static final class Confusion implements Metric {
        private final String name;
        private final java.util.function.ToDoubleFunction<long[][]> fn;
        private long[][] cm;

        Confusion(String name, java.util.function.ToDoubleFunction<long[][]> fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            cm = null;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            int[] p = Metrics.predictedClasses(output, 0.5);
            int[] t = Metrics.trueClasses(target);
            int c = output.dim() == 2 && output.size(1) > 1 ? output.size(1) : 2;
            for (int v : t) {
                c = Math.max(c, v + 1);
            }
            if (cm == null || cm.length < c) {
                long[][] bigger = new long[c][c];
                if (cm != null) {
                    for (int i = 0; i < cm.length; i++) {
                        System.arraycopy(cm[i], 0, bigger[i], 0, cm.length);
                    }
                }
                cm = bigger;
            }
            long[][] add = Metrics.confusionMatrix(p, t, cm.length);
            for (int i = 0; i < cm.length; i++) {
                for (int j = 0; j < cm.length; j++) {
                    cm[i][j] += add[i][j];
                }
            }
        }

        @Override
        public double result() {
            return cm == null ? Double.NaN : fn.applyAsDouble(cm);
        }
    }

    /** ROC-AUC over all scores seen. */
    static final class RocAuc implements Metric {
        private final boolean fromLogits;
        private final List<Tensor> scores = new ArrayList<>();
        private final List<int[]> labels = new ArrayList<>();

        RocAuc(boolean fromLogits) {
            this.fromLogits = fromLogits;
        }

        @Override
        public String name() {
            return "auc";
        }

        @Override
        public void reset() {
            scores.clear();
            labels.clear();
        }

        @Override
        public void update(Tensor output, Tensor target) {
            Tensor s = output.dtype() == DType.FLOAT64 ? output : output.to(DType.FLOAT64);
            if (s.dim() == 2 && s.size(1) > 1 && fromLogits) {
                s = s.softmax(1);
            } else if (s.dim() == 2 && s.size(1) == 1) {
                s = s.reshape(s.size(0));
            } else if (s.dim() != 1 && s.dim() != 2) {
                throw new IllegalArgumentException(
                        "auc: expected scores (N, C) or (N), got " + Shape.format(output.shape()));
            }
            scores.add(s);
            labels.add(Metrics.trueClasses(target));
        }

        @Override
        public double result() {
            if (scores.isEmpty()) {
                return Double.NaN;
            }
            Tensor all = Tensor.cat(scores, 0);
            int n = all.size(0);
            int[] y = new int[n];
            int at = 0;
            for (int[] l : labels) {
                System.arraycopy(l, 0, y, at, l.length);
                at += l.length;
            }
            return all.dim() == 1 ? Metrics.rocAuc(all.toDoubleArray(), y) : Metrics.rocAucOneVsRest(all, y);
        }
    }

    /** Mean squared or absolute error, from running sums. */
    static final class Errors implements Metric {
        private final String name;
        private final boolean squared;
        private double sum;
        private long count;

        Errors(String name, boolean squared) {
            this.name = name;
            this.squared = squared;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }

        @Override
        public void reset() {
            sum = 0;
            count = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            double[] p = values(name, output, target);
            double[] t = target.toDoubleArray();
            for (int i = 0; i < p.length; i++) {
                double e = p[i] - t[i];
                sum += squared ? e * e : Math.abs(e);
            }
            count += p.length;
        }

        @Override
        public double result() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /** R² per output column from running sums, averaged over columns like {@link Metrics#r2}. */
    static final class R2 implements Metric {
        private double[] sumT;
        private double[] sumT2;
        private double[] sumRes;
        private long n;

        @Override
        public String name() {
            return "r2";
        }

        @Override
        public void reset() {
            sumT = null;
            sumT2 = null;
            sumRes = null;
            n = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            double[] p = values("r2", output, target);
            double[] t = target.toDoubleArray();
            int rows = target.dim() == 0 ? 1 : target.size(0);
            int d = rows == 0 ? 0 : t.length / rows;
            if (sumT == null) {
                sumT = new double[d];
                sumT2 = new double[d];
                sumRes = new double[d];
            } else if (sumT.length != d) {
                throw new IllegalArgumentException(
                        "r2: batches with " + sumT.length + " and " + d + " outputs per sample");
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    double y = t[i * d + j];
                    double e = y - p[i * d + j];
                    sumT[j] += y;
                    sumT2[j] += y * y;
                    sumRes[j] += e * e;
                }
            }
            n += rows;
        }

        @Override
        public double result() {
            if (n == 0 || sumT.length == 0) {
                return Double.NaN;
            }
            double total = 0;
            for (int j = 0; j < sumT.length; j++) {
                double tot = Math.max(0, sumT2[j] - sumT[j] * sumT[j] / n);
                total += tot == 0 ? (sumRes[j] == 0 ? 1 : 0) : 1 - sumRes[j] / tot;
            }
            return total / sumT.length;
        }
    }

    static double[] values(String name, Tensor output, Tensor target) {
        if (output.numel() != target.numel()) {
            throw new IllegalArgumentException(name + ": output " + Shape.format(output.shape()) + " and target "
                    + Shape.format(target.shape()) + " have different sizes");
        }
        return output.toDoubleArray();
    }
}
