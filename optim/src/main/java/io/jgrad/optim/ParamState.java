package io.jgrad.optim;

import io.jgrad.core.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state an optimizer keeps for one parameter, created lazily at the parameter's first update:
 * named buffers of the parameter's shape (Adam's {@code exp_avg}, SGD's {@code momentum_buffer}, ...)
 * and named scalars (the {@code step} count, Nadam's {@code mu_product}). Buffers and scalars are
 * what {@link Optimizer#stateDict()} saves; scratch tensors are reusable work space that is not saved.
 */
public final class ParamState {
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private Map<String, Tensor> scratch;
    boolean initialized;

    ParamState() {}

    /** A buffer, or null when it does not exist. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** Stores a buffer (the optimizer owns it and updates it in place). */
    public void putBuffer(String name, Tensor t) {
        buffers.put(name, t);
    }

    /** The buffer {@code name}, created as zeros shaped like {@code like} when absent. */
    public Tensor bufferOrZeros(String name, Tensor like) {
        Tensor t = buffers.get(name);
        if (t == null) {
            t = Tensor.zerosLike(like);
            buffers.put(name, t);
        }
        return t;
    }

    /** A scalar; fails when absent. */
    public double scalar(String name) {
        Double v = scalars.get(name);
        if (v == null) {
            throw new IllegalStateException(
                    "optimizer state has no scalar '" + name + "' (has " + scalars.keySet() + ")");
        }
        return v;
    }

    /** Stores a scalar. */
    public void putScalar(String name, double value) {
        scalars.put(name, value);
    }

    /**
     * A work tensor shaped like {@code like}, kept between steps so that the hot path does not
     * allocate; its contents are undefined on entry and it is never saved.
     */
    public Tensor scratch(String name, Tensor like) {
        if (scratch == null) {
            scratch = new HashMap<>();
        }
        Tensor t = scratch.get(name);
        if (t == null || t.dtype() != like.dtype() || t.numel() != like.numel()) {
            t = Tensor.zerosLike(like);
            scratch.put(name, t);
        }
        return t;
    }

    /** The buffers by name (read-only view). */
    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** The scalars by name (read-only view). */
    public Map<String, Double> scalars() {
        return Collections.unmodifiableMap(scalars);
    }

    /** Copies this state's buffers and scalars into {@code into}, reusing its tensors when they fit. */
    void copyInto(ParamState into) {
        into.initialized = initialized;
        into.scalars.clear();
        into.scalars.putAll(scalars);
        into.buffers.keySet().retainAll(buffers.keySet());
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            Tensor src = e.getValue();
            Tensor dst = into.buffers.get(e.getKey());
            if (dst == null || dst.dtype() != src.dtype() || !Arrays.equals(dst.shape(), src.shape())) {
                into.buffers.put(e.getKey(), src.clone());
            } else {
                dst.copy_(src);
            }
        }
    }

    /** Clears buffers and scalars (scratch space is kept). */
    void clear() {
        buffers.clear();
        scalars.clear();
        initialized = false;
    }
}
