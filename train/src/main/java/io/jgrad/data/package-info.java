/**
 * Data for training: datasets, mini-batch loading, file readers and transforms.
 *
 * <ul>
 *   <li>{@link io.jgrad.data.Dataset} (indexable samples), {@link io.jgrad.data.TensorDataset}
 *       (in-memory tensors, first dimension = samples), {@link io.jgrad.data.Subset},
 *       {@link io.jgrad.data.Datasets} (seeded random splits, Keras-style tail split),
 *       {@link io.jgrad.data.SequenceDataset} (next-token windows).</li>
 *   <li>{@link io.jgrad.data.DataLoader}: batches stacked into {@link io.jgrad.data.Batch}es,
 *       seeded shuffling, drop-last, a background thread preparing the next batches.</li>
 *   <li>Readers: {@link io.jgrad.data.Idx} and {@link io.jgrad.data.Mnist} (MNIST and
 *       Fashion-MNIST, plain or gzip), {@link io.jgrad.data.Csv}, and
 *       {@link io.jgrad.data.CharVocabulary} / {@link io.jgrad.data.WordVocabulary} for text;
 *       {@link io.jgrad.data.DataPaths} finds a data set's folder in the standard places.</li>
 *   <li>Transforms on batches, seeded by the loader: {@link io.jgrad.data.Normalize} (statistics
 *       from the training data), {@link io.jgrad.data.OneHot},
 *       {@link io.jgrad.data.RandomHorizontalFlip}, {@link io.jgrad.data.RandomCrop},
 *       {@link io.jgrad.data.GaussianNoise} and {@link io.jgrad.data.RandomMasking}.</li>
 * </ul>
 */
package io.jgrad.data;
