package io.jgrad.train;

import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file holding the model's state dict (keys
 * {@code model.<name>}), the optimizer's ({@code optimizer.<key>}) and the callbacks' state
 * ({@code callbacks.<class>.<rank>.<key>}), with JSON metadata in the file's header
 * ({@code __metadata__}):
 * <ul>
 *   <li>{@code format}: {@value #FORMAT}, {@code version}: 1;</li>
 *   <li>{@code epoch}: the number of completed epochs (training resumes with this epoch index);</li>
 *   <li>{@code rng.trainer}, {@code rng.train_loader}, {@code rng.validation_loader}: the states of
 *       the generators ({@link io.jgrad.core.Generator#getState()}) as comma-separated longs;</li>
 *   <li>{@code history}: the {@link History} so far, as CSV text;</li>
 *   <li>{@code stop_requested}: whether a callback had asked to stop;</li>
 *   <li>{@code model_class}, {@code optimizer_class}: for error messages.</li>
 * </ul>
 * The file is written atomically: a crash during a save leaves the previous checkpoint intact.
 * The weights can be read by any safetensors reader (PyTorch included) after removing the prefix.
 */
public final class Checkpoint {
    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "jgrad-checkpoint";

    private final Path path;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private Checkpoint(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Reads a checkpoint.
     *
     * @param path the file
     * @return the checkpoint
     * @throws IOException when the file cannot be read, is not a safetensors file or is not a
     *     jgrad checkpoint
     */
    public static Checkpoint read(Path path) throws IOException {
        SafeTensors st = SafeTensors.read(path);
        Map<String, String> meta = st.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(path + ": not a jgrad checkpoint (metadata 'format' is " + meta.get("format")
                    + ", expected " + FORMAT + "); to load plain weights use the model's state dict loading");
        }
        return new Checkpoint(path, st.tensors(), meta);
    }

    static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", "1");
        meta.putAll(metadata);
        SafeTensors.write(path, tensors, meta);
    }

    /**
     * The number of epochs completed when the checkpoint was written.
     *
     * @return the epoch to resume with
     */
    public int epoch() {
        return Integer.parseInt(require("epoch"));
    }

    /**
     * The model's state dict.
     *
     * @return name to tensor, without the {@code model.} prefix
     */
    public Map<String, Tensor> modelState() {
        return section("model.");
    }

    /**
     * The optimizer's state dict.
     *
     * @return key to tensor, without the {@code optimizer.} prefix
     */
    public Map<String, Tensor> optimizerState() {
        return section("optimizer.");
    }

    /**
     * The tensors whose names start with {@code prefix}, with the prefix removed.
     *
     * @param prefix e.g. {@code "callbacks.EarlyStopping.0."}
     * @return the section
     */
    public Map<String, Tensor> section(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    /**
     * A saved generator state.
     *
     * @param name {@code trainer}, {@code train_loader} or {@code validation_loader}
     * @return the state for {@link io.jgrad.core.Generator#setState(long[])}, or null when absent
     */
    public long[] generatorState(String name) {
        String s = metadata.get("rng." + name);
        if (s == null) {
            return null;
        }
        String[] parts = s.split(",");
        long[] out = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Long.parseLong(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalStateException(path + ": invalid generator state rng." + name + " = '" + s + "'", e);
        }
        return out;
    }

    /**
     * The history up to the checkpoint.
     *
     * @return the history (empty when absent)
     * @throws IOException when the stored CSV is malformed
     */
    public History history() throws IOException {
        String csv = metadata.get("history");
        return csv == null ? new History() : History.parseCsv(csv, path + " (history)");
    }

    /**
     * Whether a callback had asked to stop training when the checkpoint was written.
     *
     * @return true when training was stopping
     */
    public boolean stopRequested() {
        return Boolean.parseBoolean(metadata.getOrDefault("stop_requested", "false"));
    }

    /**
     * All metadata entries.
     *
     * @return key to value
     */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * All tensors, with their prefixes.
     *
     * @return name to tensor
     */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    static String formatState(long[] state) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < state.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(state[i]);
        }
        return sb.toString();
    }

    private String require(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalStateException(path + ": checkpoint metadata lacks '" + key + "'");
        }
        return v;
    }
}
