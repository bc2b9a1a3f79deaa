package io.jgrad.train;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves a full training checkpoint ({@link Trainer#saveCheckpoint}: model, optimizer, epoch, random
 * states, history and callback states in one safetensors file) after every epoch, or only when a
 * monitored value improves. Files are replaced atomically, so a kill during a save leaves the
 * previous checkpoint whole. Training resumes from one with {@link FitOptions#resumeFrom}.
 *
 * <p>The file name may hold the epoch (counted from 1): {@code {epoch}} or a zero-padded
 * {@code {epoch:03d}}, e.g. {@code ckpt-{epoch:03d}.safetensors}. This callback runs after the other
 * callbacks of an epoch (see {@link Callback#order()}).
 */
public final class ModelCheckpoint implements Callback {
    private static final Pattern EPOCH = Pattern.compile("\\{epoch(?::0?(\\d+)d)?\\}");

    private final String pattern;
    private String monitor = "val_loss";
    private MonitorMode mode = MonitorMode.AUTO;
    private boolean saveBestOnly;
    private boolean higher;
    private double best;
    private Path lastSaved;

    /**
     * Saves after every epoch.
     *
     * @param file the checkpoint file, possibly with an {@code {epoch}} placeholder
     */
    public ModelCheckpoint(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("ModelCheckpoint: file is null");
        }
        this.pattern = file.toString();
    }

    /**
     * Saves only when the monitored value improves on the best so far.
     *
     * @param on true for best-only
     * @return this callback
     */
    public ModelCheckpoint saveBestOnly(boolean on) {
        saveBestOnly = on;
        return this;
    }

    /**
     * The value watched in best-only mode (default {@code val_loss}).
     *
     * @param key a log key
     * @return this callback
     */
    public ModelCheckpoint monitor(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("ModelCheckpoint: monitor must be a log key");
        }
        monitor = key;
        return this;
    }

    /**
     * Whether the watched value should fall or rise (default AUTO).
     *
     * @param m the mode
     * @return this callback
     */
    public ModelCheckpoint mode(MonitorMode m) {
        mode = m;
        return this;
    }

    /**
     * The file written last.
     *
     * @return its path, or null before the first save
     */
    public Path lastSaved() {
        return lastSaved;
    }

    /**
     * The best monitored value saved so far (best-only mode).
     *
     * @return the value, infinite before any
     */
    public double best() {
        return best;
    }

    /**
     * The file name for an epoch.
     *
     * @param epoch the epoch's index (0-based; the name shows it from 1)
     * @return the path
     */
    public Path fileFor(int epoch) {
        Matcher m = EPOCH.matcher(pattern);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String n = String.valueOf(epoch + 1);
            if (m.group(1) != null) {
                n = String.format("%0" + Integer.parseInt(m.group(1)) + "d", epoch + 1);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(n));
        }
        m.appendTail(sb);
        return Path.of(sb.toString());
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        higher = mode.higherIsBetter(trainer, monitor);
        best = higher ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            double v = MonitorMode.value("ModelCheckpoint", monitor, logs);
            if (Double.isNaN(v) || !(higher ? v > best : v < best)) {
                return;
            }
            best = v;
        }
        Path p = fileFor(epoch);
        try {
            trainer.saveCheckpoint(p);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: could not save " + p + ": " + e.getMessage(), e);
        }
        lastSaved = p;
    }

    @Override
    public void saveState(Map<String, Tensor> out) {
        out.put("best", Tensor.scalar(DType.FLOAT64, best));
    }

    @Override
    public void loadState(Map<String, Tensor> in) {
        best = EarlyStopping.require(in, "best").item();
    }
}
