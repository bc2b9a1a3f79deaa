package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prepares a trained model for small-batch inference, as {@code torch.jit.optimize_for_inference}
 * prepacks weights: {@link #optimize} stores every weight that a layer multiplies transposed
 * ({@code x W^T}) input-major, so that a product of one to three rows (one sample, one token of
 * generation) streams the weight with vector multiply-adds instead of scalar dot products.
 *
 * <p>Only the memory layout changes. Each weight keeps its shape {@code (out, in)}, its name, its
 * values and its parameter object: it becomes the transposed view of a contiguous {@code (in, out)}
 * array ({@code weight.t().isContiguous()}). Outputs are bit for bit those of the model before the
 * call, for every batch size; the state dict, {@link Module#save}, {@link Module#loadStateDict},
 * {@link Quantization#quantize}, the ONNX export and training work as before (a training step on
 * input-major weights is correct but slower: the optimizers' fused updates need contiguous
 * parameters, so build a fresh model to train at full speed). Weights written later through the
 * tensor API ({@code copy_}, {@code loadStateDict}, an optimizer) are seen by the next forward pass,
 * since no copy is kept.
 *
 * <pre>{@code
 * Module model = ...;                 // trained
 * Inference.optimize(model);          // also puts the model in evaluation mode
 * try (var off = Autograd.noGrad()) {
 *     Variable y = model.call(x);     // x is (1, ...)
 * }
 * }</pre>
 *
 * <p>The weights re-laid are those of {@link Linear} (and its subclasses), of the recurrent layers
 * and cells ({@link RNNBase}, {@link RNNCellBase}: {@code weight_ih*}, {@code weight_hh*}) and the
 * input projection of {@link MultiheadAttention}. Other layers are left as they are.
 */
public final class Inference {
    private Inference() {}

    /**
     * Re-lays the model's multiplied weights input-major, in place, and puts the model in evaluation
     * mode. Calling it again changes nothing.
     *
     * @param model a model or a single layer
     * @param <M> the model's type
     * @return {@code model}
     * @throws IllegalArgumentException when the model is null
     */
    public static <M extends Module> M optimize(M model) {
        if (model == null) {
            throw new IllegalArgumentException("Inference.optimize: model is null");
        }
        Set<Parameter> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Module m : model.modules()) {
            for (Map.Entry<String, Parameter> e : m.ownParameters().entrySet()) {
                Parameter p = e.getValue();
                if (p != null && multipliesTransposed(m, e.getKey()) && done.add(p)) {
                    relayout(p);
                }
            }
        }
        model.eval();
        return model;
    }

    /**
     * Whether a 2-D tensor is stored input-major: the transposed view of a contiguous array, as
     * {@link #optimize} leaves the weights it re-lays.
     *
     * @param weight a tensor
     * @return true when {@code weight} is 2-D and {@code weight.t()} is contiguous
     */
    public static boolean isInputMajor(Tensor weight) {
        return weight.dim() == 2 && weight.t().isContiguous();
    }

    private static boolean multipliesTransposed(Module m, String name) {
        if (m instanceof Linear) {
            return name.equals("weight");
        }
        if (m instanceof RNNBase || m instanceof RNNCellBase) {
            return name.startsWith("weight_ih") || name.startsWith("weight_hh");
        }
        return m instanceof MultiheadAttention && name.equals("in_proj_weight");
    }

    private static void relayout(Parameter p) {
        Tensor w = p.data();
        if (w.dim() != 2 || !w.dtype().isFloatingPoint() || isInputMajor(w)) {
            return;
        }
        p.setData(w.t().contiguous().t());
    }
}
