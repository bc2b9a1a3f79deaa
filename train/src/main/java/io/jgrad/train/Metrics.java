package io.jgrad.train;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * Evaluation measures of classifiers and regressors, as plain functions of predictions and targets.
 * {@link Metric} wraps them for per-epoch use in {@link Trainer}.
 *
 * <p>Classification inputs: scores {@code (N, C)} (logits or probabilities, the class is the argmax)
 * or, for a binary problem, one score per sample {@code (N)} / {@code (N, 1)} compared with a
 * threshold; targets are INT32 class indices {@code (N)} or one-hot / probability rows {@code (N, C)}
 * (the class is the argmax). Conventions follow scikit-learn: the confusion matrix has the true
 * class as row and the predicted class as column, a precision or recall whose denominator is 0 is 0,
 * ROC-AUC ranks tied scores by their average rank.
 */
public final class Metrics {
    private Metrics() {}

    /** How per-class scores are combined. */
    public enum Average {
        /** The unweighted mean over classes. */
        MACRO,
        /** Computed from the total counts over all classes (for precision and recall of a single-label problem, the accuracy). */
        MICRO,
        /** The mean over classes weighted by each class's number of true samples (support). */
        WEIGHTED
    }

    // ------------------------------------------------------------------------------------- labels

    /**
     * The predicted classes of scores.
     *
     * @param scores {@code (N, C)} with C at least 2 (argmax per row, first on ties), or {@code (N)} /
     *     {@code (N, 1)} (class 1 when {@code score >= threshold})
     * @param threshold the binary decision threshold (0.5 for probabilities, 0 for logits)
     * @return the classes {@code (N)}
     */
    public static int[] predictedClasses(Tensor scores, double threshold) {
        if (scores.dim() == 2 && scores.size(1) > 1) {
            int n = scores.size(0);
            int c = scores.size(1);
            double[] s = scores.toDoubleArray();
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (s[i * c + j] > s[i * c + best]) {
                        best = j;
                    }
                }
                out[i] = best;
            }
            return out;
        }
        double[] s = binaryScores("predictedClasses", scores);
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] >= threshold ? 1 : 0;
        }
        return out;
    }

    /**
     * The true classes of a target.
     *
     * @param target INT32 or INT64 {@code (N)}; floating {@code (N, C)} with C at least 2 (argmax); or floating
     *     {@code (N)} / {@code (N, 1)} of 0 and 1 (class 1 when {@code >= 0.5})
     * @return the classes {@code (N)}
     */
    public static int[] trueClasses(Tensor target) {
        target = target.asInt32Index("trueClasses"); // INT64 labels work like INT32 ones
        if (target.dtype() == DType.INT32) {
            if (target.dim() != 1 && !(target.dim() == 2 && target.size(1) == 1)) {
                throw new IllegalArgumentException(
                        "trueClasses: INT32 targets must be (N), got " + Shape.format(target.shape()));
            }
            return target.toIntArray();
        }
        return predictedClasses(target, 0.5);
    }

    private static double[] binaryScores(String op, Tensor scores) {
        if (scores.dim() == 1 || (scores.dim() == 2 && scores.size(1) == 1)) {
            return scores.toDoubleArray();
        }
        throw new IllegalArgumentException(op + ": expected scores (N, C) or (N), got " + Shape.format(scores.shape()));
    }

    private static void sameLength(String op, int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException(op + ": " + a + " predictions but " + b + " targets");
        }
    }

    // ------------------------------------------------------------------------------------- accuracy

    /**
     * The fraction of correct predictions.
     *
     * @param predicted predicted classes
     * @param actual true classes
     * @return the accuracy in {@code [0, 1]} (NaN when empty)
     */
    public static double accuracy(int[] predicted, int[] actual) {
        sameLength("accuracy", predicted.length, actual.length);
        int ok = 0;
        for (int i = 0; i < predicted.length; i++) {
            ok += predicted[i] == actual[i] ? 1 : 0;
        }
        return (double) ok / predicted.length;
    }

    /**
     * The accuracy of scores (argmax, or threshold 0.5 for one score per sample) against a target.
     *
     * @param scores {@code (N, C)} or {@code (N)}
     * @param target classes or one-hot rows
     * @return the accuracy
     */
    public static double accuracy(Tensor scores, Tensor target) {
        return accuracy(predictedClasses(scores, 0.5), trueClasses(target));
    }

    /**
     * The fraction of samples whose true class is among the {@code k} highest scores: its score is
     * exceeded by fewer than {@code k} other classes (so ties at the boundary count as hits).
     *
     * @param scores {@code (N, C)}
     * @param target classes or one-hot rows
     * @param k at least 1
     * @return the top-k accuracy
     */
    public static double topKAccuracy(Tensor scores, Tensor target, int k) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(
                    "topKAccuracy: expected scores (N, C), got " + Shape.format(scores.shape()));
        }
        if (k < 1) {
            throw new IllegalArgumentException("topKAccuracy: k must be >= 1, got " + k);
        }
        int n = scores.size(0);
        int c = scores.size(1);
        int[] y = trueClasses(target);
        sameLength("topKAccuracy", n, y.length);
        double[] s = scores.toDoubleArray();
        int ok = 0;
        for (int i = 0; i < n; i++) {
            checkClass("topKAccuracy", y[i], c);
            double mine = s[i * c + y[i]];
            int greater = 0;
            for (int j = 0; j < c; j++) {
                if (s[i * c + j] > mine) {
                    greater++;
                }
            }
            ok += greater < k ? 1 : 0;
        }
        return (double) ok / n;
    }

    private static void checkClass(String op, int label, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(
                    op + ": class " + label + " is out of range for " + numClasses + " classes");
        }
    }

    // ------------------------------------------------------------------------------------- confusion matrix

    /**
     * The confusion matrix: entry {@code [t][p]} counts the samples of true class {@code t} predicted
     * as {@code p}.
     *
     * @param predicted predicted classes in {@code [0, numClasses)}
     * @param actual true classes in {@code [0, numClasses)}
     * @param numClasses the number of classes
     * @return a {@code numClasses x numClasses} matrix
     */
    public static long[][] confusionMatrix(int[] predicted, int[] actual, int numClasses) {
        sameLength("confusionMatrix", predicted.length, actual.length);
        if (numClasses < 1) {
            throw new IllegalArgumentException("confusionMatrix: numClasses must be >= 1, got " + numClasses);
        }
        long[][] m = new long[numClasses][numClasses];
        for (int i = 0; i < predicted.length; i++) {
            checkClass("confusionMatrix", actual[i], numClasses);
            checkClass("confusionMatrix", predicted[i], numClasses);
            m[actual[i]][predicted[i]]++;
        }
        return m;
    }

    /**
     * Precision per class from a confusion matrix: {@code tp / (tp + fp)}, 0 when nothing was
     * predicted as the class.
     *
     * @param cm a confusion matrix (true rows, predicted columns)
     * @return one value per class
     */
    public static double[] precisionPerClass(long[][] cm) {
        int c = cm.length;
        double[] out = new double[c];
        for (int k = 0; k < c; k++) {
            long predicted = 0;
            for (long[] row : cm) {
                predicted += row[k];
            }
            out[k] = predicted == 0 ? 0 : (double) cm[k][k] / predicted;
        }
        return out;
    }

    /**
     * Recall per class from a confusion matrix: {@code tp / (tp + fn)}, 0 for a class without samples.
     *
     * @param cm a confusion matrix (true rows, predicted columns)
     * @return one value per class
     */
    public static double[] recallPerClass(long[][] cm) {
        int c = cm.length;
        double[] out = new double[c];
        for (int k = 0; k < c; k++) {
            long actual = Arrays.stream(cm[k]).sum();
            out[k] = actual == 0 ? 0 : (double) cm[k][k] / actual;
        }
        return out;
    }

    /**
     * F1 per class: the harmonic mean of precision and recall, 0 when both are 0.
     *
     * @param cm a confusion matrix (true rows, predicted columns)
     * @return one value per class
     */
    public static double[] f1PerClass(long[][] cm) {
        double[] p = precisionPerClass(cm);
        double[] r = recallPerClass(cm);
        double[] out = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            out[k] = p[k] + r[k] == 0 ? 0 : 2 * p[k] * r[k] / (p[k] + r[k]);
        }
        return out;
    }

    /**
     * Averaged precision.
     *
     * @param cm a confusion matrix
     * @param average how to combine the classes
     * @return the precision
     */
    public static double precision(long[][] cm, Average average) {
        if (average == Average.MICRO) {
            return micro(cm);
        }
        return combine(precisionPerClass(cm), cm, average);
    }

    /**
     * Averaged recall.
     *
     * @param cm a confusion matrix
     * @param average how to combine the classes
     * @return the recall
     */
    public static double recall(long[][] cm, Average average) {
        if (average == Average.MICRO) {
            return micro(cm);
        }
        return combine(recallPerClass(cm), cm, average);
    }

    /**
     * Averaged F1. Micro F1 is computed from the total counts (equal to micro precision and recall);
     * macro F1 is the mean of the per-class F1 scores (as scikit-learn does).
     *
     * @param cm a confusion matrix
     * @param average how to combine the classes
     * @return the F1 score
     */
    public static double f1(long[][] cm, Average average) {
        if (average == Average.MICRO) {
            return micro(cm);
        }
        return combine(f1PerClass(cm), cm, average);
    }

    /** Total true positives over total predictions: micro precision = micro recall = micro F1. */
    private static double micro(long[][] cm) {
        long tp = 0;
        long all = 0;
        for (int k = 0; k < cm.length; k++) {
            tp += cm[k][k];
            all += Arrays.stream(cm[k]).sum();
        }
        return all == 0 ? 0 : (double) tp / all;
    }

    private static double combine(double[] perClass, long[][] cm, Average average) {
        if (average == Average.MACRO) {
            return Arrays.stream(perClass).average().orElse(Double.NaN);
        }
        double sum = 0;
        long total = 0;
        for (int k = 0; k < perClass.length; k++) {
            long support = Arrays.stream(cm[k]).sum();
            sum += perClass[k] * support;
            total += support;
        }
        return total == 0 ? 0 : sum / total;
    }

    // ------------------------------------------------------------------------------------- ROC-AUC

    /**
     * The area under the ROC curve of a binary problem, as the Mann-Whitney statistic: the
     * probability that a random positive scores higher than a random negative, ties counting one half
     * (tied scores share their average rank).
     *
     * @param scores one score per sample (higher means more likely positive)
     * @param positive whether each sample is positive
     * @return the AUC in {@code [0, 1]}, NaN when there are no positives or no negatives
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        sameLength("rocAuc", scores.length, positive.length);
        int n = scores.length;
        double[] ranks = averageRanks(scores);
        long nPos = 0;
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("rocAuc: score " + i + " is NaN");
            }
            if (positive[i]) {
                nPos++;
                rankSum += ranks[i];
            }
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (rankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /**
     * Binary ROC-AUC against 0/1 labels.
     *
     * @param scores one score per sample
     * @param labels 0 (negative) or 1 (positive)
     * @return the AUC, NaN when only one class is present
     */
    public static double rocAuc(double[] scores, int[] labels) {
        boolean[] pos = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException(
                        "rocAuc: binary labels must be 0 or 1, got " + labels[i] + " at " + i);
            }
            pos[i] = labels[i] == 1;
        }
        return rocAuc(scores, pos);
    }

    /**
     * One-vs-rest ROC-AUC of a multi-class problem: for each class, the binary AUC of its score column
     * against "is this class"; the macro average is taken over the classes that have both positive
     * and negative samples (scikit-learn's {@code multi_class="ovr", average="macro"} when all
     * classes are present).
     *
     * @param scores {@code (N, C)}: probabilities (or any per-class scores comparable across samples)
     * @param labels the true classes {@code (N)}
     * @return the mean AUC, NaN when no class has both positives and negatives
     */
    public static double rocAucOneVsRest(Tensor scores, int[] labels) {
        double[] per = rocAucPerClass(scores, labels);
        double sum = 0;
        int n = 0;
        for (double a : per) {
            if (!Double.isNaN(a)) {
                sum += a;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The one-vs-rest AUC of each class.
     *
     * @param scores {@code (N, C)}
     * @param labels the true classes {@code (N)}
     * @return one AUC per class, NaN for a class without positives or without negatives
     */
    public static double[] rocAucPerClass(Tensor scores, int[] labels) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(
                    "rocAucOneVsRest: expected scores (N, C), got " + Shape.format(scores.shape()));
        }
        int n = scores.size(0);
        int c = scores.size(1);
        sameLength("rocAucOneVsRest", n, labels.length);
        double[] s = scores.toDoubleArray();
        double[] out = new double[c];
        double[] col = new double[n];
        boolean[] pos = new boolean[n];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < n; i++) {
                checkClass("rocAucOneVsRest", labels[i], c);
                col[i] = s[i * c + k];
                pos[i] = labels[i] == k;
            }
            out[k] = rocAuc(col, pos);
        }
        return out;
    }

    /** 1-based ranks, tied values sharing the mean of their ranks. */
    static double[] averageRanks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double r = (i + j) / 2.0 + 1; // mean of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = r;
            }
            i = j + 1;
        }
        return ranks;
    }

    // ------------------------------------------------------------------------------------- regression

    /**
     * Mean squared error over all elements.
     *
     * @param prediction the predictions
     * @param target the targets, same number of elements
     * @return {@code mean((prediction - target)^2)}
     */
    public static double mse(Tensor prediction, Tensor target) {
        double[][] pt = pair("mse", prediction, target);
        double s = 0;
        for (int i = 0; i < pt[0].length; i++) {
            double e = pt[0][i] - pt[1][i];
            s += e * e;
        }
        return s / pt[0].length;
    }

    /**
     * Mean absolute error over all elements.
     *
     * @param prediction the predictions
     * @param target the targets, same number of elements
     * @return {@code mean(|prediction - target|)}
     */
    public static double mae(Tensor prediction, Tensor target) {
        double[][] pt = pair("mae", prediction, target);
        double s = 0;
        for (int i = 0; i < pt[0].length; i++) {
            s += Math.abs(pt[0][i] - pt[1][i]);
        }
        return s / pt[0].length;
    }

    /**
     * The coefficient of determination {@code 1 - SS_res / SS_tot}. For targets {@code (N, D)} it is
     * computed per output column and averaged (scikit-learn's {@code uniform_average}); a constant
     * column scores 1 when predicted exactly and 0 otherwise (as in scikit-learn).
     *
     * @param prediction {@code (N)} or {@code (N, D)}
     * @param target the same shape
     * @return R²
     */
    public static double r2(Tensor prediction, Tensor target) {
        if (!Arrays.equals(prediction.shape(), target.shape()) && prediction.numel() != target.numel()) {
            throw new IllegalArgumentException("r2: prediction " + Shape.format(prediction.shape()) + " and target "
                    + Shape.format(target.shape()) + " differ");
        }
        double[][] pt = pair("r2", prediction, target);
        int n = target.dim() == 0 ? 1 : target.size(0);
        int d = n == 0 ? 0 : pt[0].length / n;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += pt[1][i * d + j];
            }
            mean /= n;
            double res = 0;
            double tot = 0;
            for (int i = 0; i < n; i++) {
                double e = pt[1][i * d + j] - pt[0][i * d + j];
                double t = pt[1][i * d + j] - mean;
                res += e * e;
                tot += t * t;
            }
            sum += tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
        }
        return sum / d;
    }

    private static double[][] pair(String op, Tensor prediction, Tensor target) {
        if (prediction.numel() != target.numel()) {
            throw new IllegalArgumentException(op + ": prediction " + Shape.format(prediction.shape()) + " and target "
                    + Shape.format(target.shape()) + " have different sizes");
        }
        if (prediction.numel() == 0) {
            throw new IllegalArgumentException(op + ": no elements");
        }
        return new double[][] {prediction.toDoubleArray(), target.toDoubleArray()};
    }
}
