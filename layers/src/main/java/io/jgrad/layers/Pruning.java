package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magnitude pruning of the weights of {@link Linear} and convolution layers (every
 * {@link WeightedLayer}), like {@code torch.nn.utils.prune}: the smallest weights by absolute value are
 * set to zero by a 0/1 mask, layer by layer ({@link #layerwise}) or with one threshold over all layers
 * ({@link #global}), in one shot or gradually with the schedule of Zhu and Gupta, "To prune, or not to
 * prune: exploring the efficacy of pruning for model compression" (2017), through {@link Scheduled}.
 *
 * <p>The mask is a buffer {@code weight_mask} of the layer, saved in its state dict (so
 * {@link Module#save} stores it; load such a file with {@link #load}). While a mask is attached the
 * layer computes with {@code weight * weight_mask}: the pruned weights stay zero in the forward pass and
 * get a zero gradient, whatever the optimizer does to the stored values (momentum, weight decay), so
 * fine-tuning keeps the sparsity. Pruning again only removes more weights: the masked ones count as
 * zeros and are the first to go. {@link #removePruning} writes {@code weight * mask} into the weight and
 * drops the mask, making the pruning permanent. (PyTorch keeps the original as {@code weight_orig};
 * here the parameter keeps its name and the stored pruned values are also zeroed when a mask is set.)
 *
 * <pre>{@code
 * Pruning.global(model, 0.9);                  // 90% of all Linear/Conv weights set to zero
 * ... fine-tune as usual ...
 * Pruning.sparsity(model);                     // {"0.weight": 0.87, "3.weight": 0.93, ...}
 * Pruning.removePruning(model);
 * }</pre>
 */
public final class Pruning {
    private Pruning() {}

    /** The layers whose weights are pruned: every {@link WeightedLayer} of the tree, by dotted name. */
    static Map<String, Module> prunableLayers(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("Pruning: model is null");
        }
        Map<String, Module> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof WeightedLayer) {
                out.put(e.getKey(), e.getValue());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "Pruning: " + model.label() + " has no Linear or convolution layer to prune");
        }
        return out;
    }

    private static void checkSparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("Pruning: sparsity must be in [0, 1), got " + sparsity);
        }
    }

    /** |weight * mask| of a layer, in C order. */
    private static double[] magnitudes(Module layer) {
        Tensor w = layer.parameter("weight").data();
        Tensor m = layer.mask("weight");
        return (m == null ? w : w.mul(m)).abs().contiguous().toDoubleArray();
    }

    /**
     * Prunes each layer's weights to {@code sparsity}: in every Linear and convolution layer the
     * {@code round(sparsity * n)} weights of smallest magnitude (among n) are masked.
     *
     * @param model the model (changed in place)
     * @param sparsity the fraction of each layer's weights to zero, in [0, 1)
     */
    public static void layerwise(Module model, double sparsity) {
        checkSparsity(sparsity);
        for (Module layer : prunableLayers(model).values()) {
            double[] mag = magnitudes(layer);
            boolean[] keep = keepLargest(mag, mag.length - (int) Math.round(sparsity * mag.length));
            setMask(layer, keep);
        }
    }

    /**
     * Prunes the model to {@code sparsity} with one threshold over all Linear and convolution weights:
     * the {@code round(sparsity * n)} smallest of all n weights are masked, so layers with many small
     * weights lose more.
     *
     * @param model the model (changed in place)
     * @param sparsity the fraction of all these weights to zero, in [0, 1)
     */
    public static void global(Module model, double sparsity) {
        checkSparsity(sparsity);
        Map<String, Module> layers = prunableLayers(model);
        List<double[]> parts = new ArrayList<>();
        int total = 0;
        for (Module layer : layers.values()) {
            double[] m = magnitudes(layer);
            parts.add(m);
            total += m.length;
        }
        double[] all = new double[total];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        boolean[] keep = keepLargest(all, total - (int) Math.round(sparsity * total));
        at = 0;
        for (Module layer : layers.values()) {
            int n = layer.parameter("weight").numel();
            setMask(layer, Arrays.copyOfRange(keep, at, at + n));
            at += n;
        }
    }

    /**
     * Attaches a given mask to the weight of one layer (1 keeps a weight, 0 prunes it).
     *
     * @param layer a Linear or convolution layer
     * @param mask 0/1 values of the weight's shape
     */
    public static void custom(Module layer, Tensor mask) {
        if (!(layer instanceof WeightedLayer)) {
            throw new IllegalArgumentException(
                    "Pruning.custom: expected a Linear or convolution layer, got " + layer.label());
        }
        for (double v : mask.toDoubleArray()) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("Pruning.custom: mask values must be 0 or 1, got " + v);
            }
        }
        applyMask(layer, mask);
    }

    /** Marks the {@code keep} largest values; ties at the threshold are kept in index order. */
    static boolean[] keepLargest(double[] mag, int keep) {
        int n = mag.length;
        boolean[] out = new boolean[n];
        if (keep <= 0) {
            return out;
        }
        if (keep >= n) {
            Arrays.fill(out, true);
            return out;
        }
        double[] sorted = mag.clone();
        Arrays.sort(sorted);
        double threshold = sorted[n - keep]; // the keep-th largest value
        int above = 0;
        for (double v : mag) {
            above += v > threshold ? 1 : 0;
        }
        int ties = keep - above;
        for (int i = 0; i < n; i++) {
            if (mag[i] > threshold) {
                out[i] = true;
            } else if (mag[i] == threshold && ties > 0) {
                out[i] = true;
                ties--;
            }
        }
        return out;
    }

    private static void setMask(Module layer, boolean[] keep) {
        Tensor w = layer.parameter("weight").data();
        float[] m = new float[keep.length];
        for (int i = 0; i < keep.length; i++) {
            m[i] = keep[i] ? 1 : 0;
        }
        applyMask(layer, Tensor.of(m, w.shape()));
    }

    @SuppressWarnings("try")
    private static void applyMask(Module layer, Tensor mask) {
        layer.setMask("weight", mask);
        try (var off = Autograd.noGrad()) {
            Parameter w = layer.parameter("weight");
            // + 0 turns the -0.0 of pruned negative weights into 0.0
            w.data().mul_(layer.mask("weight")).add_(0.0);
        }
    }

    /**
     * Makes the pruning permanent: every masked weight becomes {@code weight * mask} and the masks are
     * removed (the state dict no longer has {@code weight_mask} entries).
     *
     * @param model the model (changed in place)
     * @return the number of layers whose mask was removed
     */
    @SuppressWarnings("try")
    public static int removePruning(Module model) {
        int n = 0;
        for (Module layer : model.modules()) {
            Tensor m = layer instanceof WeightedLayer ? layer.mask("weight") : null;
            if (m != null) {
                try (var off = Autograd.noGrad()) {
                    layer.parameter("weight").data().mul_(m).add_(0.0);
                }
                layer.removeMask("weight");
                n++;
            }
        }
        return n;
    }

    /**
     * The fraction of zero weights (as the layer computes with them, mask applied) of every Linear and
     * convolution layer, by the weight's dotted name.
     *
     * @param model the model
     * @return name to sparsity in [0, 1]
     */
    public static Map<String, Double> sparsity(Module model) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : prunableLayers(model).entrySet()) {
            double[] mag = magnitudes(e.getValue());
            int zeros = 0;
            for (double v : mag) {
                zeros += v == 0 ? 1 : 0;
            }
            out.put(e.getKey().isEmpty() ? "weight" : e.getKey() + ".weight", zeros / (double) mag.length);
        }
        return out;
    }

    /**
     * The fraction of zero weights over all Linear and convolution layers together.
     *
     * @param model the model
     * @return the overall sparsity in [0, 1]
     */
    public static double globalSparsity(Module model) {
        long zeros = 0;
        long total = 0;
        for (Module layer : prunableLayers(model).values()) {
            for (double v : magnitudes(layer)) {
                zeros += v == 0 ? 1 : 0;
                total++;
            }
        }
        return zeros / (double) total;
    }

    /**
     * Loads a model saved with its pruning masks: attaches a mask to every layer whose
     * {@code weight_mask} the file holds, then loads the file strictly with {@link Module#load}.
     *
     * @param model a model of the saved architecture (pruned or not)
     * @param path the safetensors file
     * @return the load result
     * @throws IOException when the file cannot be read or does not match the model
     */
    public static LoadResult load(Module model, Path path) throws IOException {
        Map<String, Tensor> state = SafeTensors.read(path).tensors();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            String key = (e.getKey().isEmpty() ? "" : e.getKey() + ".") + "weight" + Module.MASK_SUFFIX;
            Tensor mask = state.get(key);
            if (mask != null && e.getValue() instanceof WeightedLayer) {
                e.getValue().setMask("weight", mask);
            }
        }
        return model.load(path);
    }

    /**
     * The gradual pruning schedule of Zhu and Gupta (2017): from step {@code begin} the target
     * sparsity rises from {@code initial} to {@code target} over {@code n} pruning events
     * {@code frequency} steps apart,
     * {@code s_t = s_f + (s_i - s_f) (1 - (t - t_0) / (n Δt))^3}, fast at first while there are many
     * redundant weights and slowly near the end; after the last event it stays at {@code target}.
     *
     * @param initial s_i in [0, 1)
     * @param target s_f in [initial, 1)
     * @param begin t_0, the first pruning step (0 or more)
     * @param events n, the number of pruning events (at least 1)
     * @param frequency Δt, the steps between events (at least 1)
     */
    public record Schedule(double initial, double target, int begin, int events, int frequency) {
        /** Checks the arguments. */
        public Schedule {
            checkSparsity(initial);
            checkSparsity(target);
            if (target < initial) {
                throw new IllegalArgumentException(
                        "Pruning.Schedule: target sparsity " + target + " is below the initial " + initial);
            }
            if (begin < 0 || events < 1 || frequency < 1) {
                throw new IllegalArgumentException(
                        "Pruning.Schedule: begin must be >= 0 and events, frequency >= 1, got begin=" + begin
                                + ", events=" + events + ", frequency=" + frequency);
            }
        }

        /**
         * The sparsity the schedule asks for after {@code step} steps.
         *
         * @param step the step count (from 0)
         * @return the target sparsity then (0 before {@code begin})
         */
        public double sparsityAt(int step) {
            if (step < begin) {
                return 0;
            }
            // the sparsity of the last event at or before this step
            int k = Math.min(events, (step - begin) / frequency);
            double f = 1 - k / (double) events;
            return target + (initial - target) * f * f * f;
        }

        /**
         * Whether {@code step} is a pruning event.
         *
         * @param step the step count
         * @return true at {@code begin + k * frequency} for k in [0, events]
         */
        public boolean isEvent(int step) {
            return step >= begin && (step - begin) % frequency == 0 && (step - begin) / frequency <= events;
        }

        /**
         * The step of the last pruning event.
         *
         * @return {@code begin + events * frequency}
         */
        public int end() {
            return begin + events * frequency;
        }
    }

    /**
     * Gradual magnitude pruning driven by a {@link Schedule}: call {@link #step()} after every
     * optimizer step; at each pruning event it prunes the model (layer-wise or globally) to the
     * scheduled sparsity. A train {@code Callback} can call it from {@code onBatchEnd}.
     */
    public static final class Scheduled {
        private final Module model;
        private final Schedule schedule;
        private final boolean global;
        private int steps;

        /**
         * A pruner.
         *
         * @param model the model to prune
         * @param schedule when and how much
         * @param global true for one threshold over all layers, false for each layer alike
         */
        public Scheduled(Module model, Schedule schedule, boolean global) {
            prunableLayers(model);
            if (schedule == null) {
                throw new IllegalArgumentException("Pruning.Scheduled: schedule is null");
            }
            this.model = model;
            this.schedule = schedule;
            this.global = global;
        }

        /**
         * Counts one optimizer step, pruning at the schedule's events.
         *
         * @return the sparsity pruned to at this step, or -1 when it was not an event
         */
        public double step() {
            steps++;
            if (!schedule.isEvent(steps)) {
                return -1;
            }
            double s = schedule.sparsityAt(steps);
            if (global) {
                Pruning.global(model, s);
            } else {
                layerwise(model, s);
            }
            return s;
        }

        /**
         * The optimizer steps counted so far.
         *
         * @return the count
         */
        public int steps() {
            return steps;
        }
    }
}
