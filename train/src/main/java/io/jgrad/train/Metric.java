package io.jgrad.train;

import io.jgrad.core.Tensor;

/**
 * A measure accumulated over the batches of an epoch: {@link #reset()}, then {@link #update} with
 * each batch's model output and target, then {@link #result()} over everything seen. {@link Trainer}
 * reports each metric under its {@link #name()} for the training data and with the prefix
 * {@code val_} for the validation data.
 *
 * <p>The factories cover {@link Metrics}: {@link #accuracy()}, {@link #topKAccuracy(int)},
 * {@link #precision}, {@link #recall}, {@link #f1}, {@link #rocAuc()}, {@link #mse()},
 * {@link #mae()} and {@link #r2()}. Classification outputs are scores {@code (N, C)} (argmax) or one
 * score per sample {@code (N)} / {@code (N, 1)} for binary problems (see each factory for the
 * threshold). Metrics are unweighted: class and sample weights act on the loss only.
 */
public interface Metric {
    /**
     * The name used in logs, history and CSV columns.
     *
     * @return e.g. {@code "accuracy"}
     */
    String name();

    /** Forgets everything seen. */
    void reset();

    /**
     * Adds a batch.
     *
     * @param output the model's output for the batch (detached values)
     * @param target the batch's target
     */
    void update(Tensor output, Tensor target);

    /**
     * The value over everything seen since the last reset.
     *
     * @return the metric (NaN when undefined, e.g. nothing seen)
     */
    double result();

    /**
     * Whether a larger value is better (decides the mode of callbacks that monitor it in "auto" mode).
     *
     * @return true for accuracies and scores, false for errors
     */
    default boolean higherIsBetter() {
        return true;
    }

    /**
     * Classification accuracy; a binary output {@code (N)} is thresholded at 0.5 (probabilities).
     *
     * @return the metric {@code "accuracy"}
     */
    static Metric accuracy() {
        return binaryAccuracy("accuracy", 0.5);
    }

    /**
     * Accuracy of a binary classifier with one score per sample, thresholded: 0.5 for probabilities,
     * 0 for logits.
     *
     * @param name the metric's name
     * @param threshold scores at or above it predict class 1
     * @return the metric
     */
    static Metric binaryAccuracy(String name, double threshold) {
        return new StandardMetrics.Counting(name) {
            @Override
            int[] hits(Tensor output, Tensor target) {
                int[] p = Metrics.predictedClasses(output, threshold);
                int[] t = Metrics.trueClasses(target);
                if (p.length != t.length) {
                    throw new IllegalArgumentException(
                            name + ": " + p.length + " predictions but " + t.length + " targets");
                }
                int ok = 0;
                for (int i = 0; i < p.length; i++) {
                    ok += p[i] == t[i] ? 1 : 0;
                }
                return new int[] {ok, p.length};
            }
        };
    }

    /**
     * Top-k accuracy of scores {@code (N, C)}.
     *
     * @param k at least 1
     * @return the metric {@code "top<k>_accuracy"}
     */
    static Metric topKAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topKAccuracy: k must be >= 1, got " + k);
        }
        return new StandardMetrics.Counting("top" + k + "_accuracy") {
            @Override
            int[] hits(Tensor output, Tensor target) {
                int n = output.size(0);
                return new int[] {(int) Math.round(Metrics.topKAccuracy(output, target, k) * n), n};
            }
        };
    }

    /**
     * Precision averaged over classes.
     *
     * @param average macro, micro or weighted
     * @return the metric {@code "precision_<average>"}
     */
    static Metric precision(Metrics.Average average) {
        return new StandardMetrics.Confusion(
                "precision_" + average.name().toLowerCase(java.util.Locale.ROOT), cm -> Metrics.precision(cm, average));
    }

    /**
     * Recall averaged over classes.
     *
     * @param average macro, micro or weighted
     * @return the metric {@code "recall_<average>"}
     */
    static Metric recall(Metrics.Average average) {
        return new StandardMetrics.Confusion(
                "recall_" + average.name().toLowerCase(java.util.Locale.ROOT), cm -> Metrics.recall(cm, average));
    }

    /**
     * F1 averaged over classes.
     *
     * @param average macro, micro or weighted
     * @return the metric {@code "f1_<average>"}
     */
    static Metric f1(Metrics.Average average) {
        return new StandardMetrics.Confusion(
                "f1_" + average.name().toLowerCase(java.util.Locale.ROOT), cm -> Metrics.f1(cm, average));
    }

    /**
     * ROC-AUC of logits: binary for one score per sample, one-vs-rest (macro) on the softmax
     * probabilities for scores {@code (N, C)}.
     *
     * @return the metric {@code "auc"}
     */
    static Metric rocAuc() {
        return rocAuc(true);
    }

    /**
     * ROC-AUC, binary or one-vs-rest.
     *
     * @param fromLogits whether scores {@code (N, C)} are logits to turn into probabilities with a
     *     softmax first (binary scores need no conversion: the AUC depends only on their order)
     * @return the metric {@code "auc"}
     */
    static Metric rocAuc(boolean fromLogits) {
        return new StandardMetrics.RocAuc(fromLogits);
    }

    /**
     * Mean squared error.
     *
     * @return the metric {@code "mse"}
     */
    static Metric mse() {
        return new StandardMetrics.Errors("mse", true);
    }

    /**
     * Mean absolute error.
     *
     * @return the metric {@code "mae"}
     */
    static Metric mae() {
        return new StandardMetrics.Errors("mae", false);
    }

    /**
     * Coefficient of determination R².
     *
     * @return the metric {@code "r2"}
     */
    static Metric r2() {
        return new StandardMetrics.R2();
    }
}
