/**
 * The Keras-style training loop and its companions.
 *
 * <ul>
 *   <li>{@link io.jgrad.train.Trainer}: {@code fit} (with {@link io.jgrad.train.FitOptions}),
 *       {@code evaluate}, {@code predict}; class and sample weights; models of several inputs;
 *       checkpoints that resume exactly.</li>
 *   <li>{@link io.jgrad.train.Callback}s: {@link io.jgrad.train.EarlyStopping},
 *       {@link io.jgrad.train.ReduceLROnPlateauCallback}, {@link io.jgrad.train.ModelCheckpoint},
 *       {@link io.jgrad.train.CSVLogger}, {@link io.jgrad.train.ProgressBar},
 *       {@link io.jgrad.train.TerminateOnNaN}.</li>
 *   <li>{@link io.jgrad.train.Metrics} (functions) and {@link io.jgrad.train.Metric} (per-epoch
 *       accumulators): accuracy, top-k, precision / recall / F1, confusion matrix, ROC-AUC, MSE,
 *       MAE, R².</li>
 *   <li>{@link io.jgrad.train.History} (per-epoch values, CSV; a PNG chart through a
 *       {@link io.jgrad.train.HistoryPlotter}, which the optional module {@code jgrad-charts}
 *       provides) and {@link io.jgrad.train.Checkpoint} (one safetensors file with JSON metadata).</li>
 * </ul>
 */
package io.jgrad.train;
