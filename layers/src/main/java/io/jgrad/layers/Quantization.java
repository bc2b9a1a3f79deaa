package io.jgrad.layers;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Post-training int8 quantization of weights: symmetric and per output channel, with float
 * activations (the "weight-only" or dynamic-free scheme; see Jacob et al., "Quantization and Training
 * of Neural Networks for Efficient Integer-Arithmetic-Only Inference", 2018, and Krishnamoorthi,
 * "Quantizing deep convolutional networks for efficient inference: A whitepaper", 2018, for
 * per-channel symmetric weights).
 *
 * <p>Each output channel j of a weight gets the scale {@code s_j = max_i |w_ji| / 127} and the values
 * {@code q_ji = round(w_ji / s_j)} in [-127, 127], so that {@code |w_ji - q_ji s_j| <= s_j / 2}.
 * {@link #quantize} replaces, in place, every {@link Linear} by a {@link QuantizedLinear} and every
 * {@link Conv2d} by a {@link QuantizedConv2d}; other layers (normalization, pooling, activations) keep
 * computing in float. The result is for inference: {@link Module#save} writes its weights as
 * {@code I8} with {@code F32} scales, about a quarter of the float model's bytes, and {@link Module#load}
 * reads them back into a model quantized the same way.
 *
 * <pre>{@code
 * Module q = Quantization.quantize(trainedModel);   // trainedModel itself is changed
 * q.save(Path.of("model-int8.safetensors"));
 * }</pre>
 */
public final class Quantization {
    private Quantization() {}

    /**
     * A weight quantized per output channel.
     *
     * @param values INT32 tensor of int8 values in [-127, 127], the weight's shape
     * @param scale FLOAT32 (outputs): the scale of each output channel (dimension 0)
     */
    public record QuantizedWeight(Tensor values, Tensor scale) {
        /**
         * The weight the values stand for, {@code q * scale} per output channel.
         *
         * @return FLOAT32, the weight's shape
         */
        public Tensor dequantize() {
            int[] shape = values.shape();
            int[] bshape = new int[shape.length];
            java.util.Arrays.fill(bshape, 1);
            bshape[0] = shape[0];
            return values.to(DType.FLOAT32).mul(scale.reshape(bshape));
        }
    }

    /**
     * Quantizes a weight symmetrically per output channel (dimension 0).
     *
     * @param weight a floating weight of at least 1 dimension, outputs first
     * @return the int8 values and the scales
     */
    public static QuantizedWeight quantizeWeight(Tensor weight) {
        if (weight == null || !weight.dtype().isFloatingPoint() || weight.dim() < 1 || weight.numel() == 0) {
            throw new IllegalArgumentException("Quantization.quantizeWeight: expected a non-empty floating weight, got "
                    + (weight == null ? "null" : weight.dtype() + " " + Shape.format(weight.shape())));
        }
        int out = weight.size(0);
        int per = weight.numel() / out;
        double[] w = weight.contiguous().toDoubleArray();
        int[] q = new int[w.length];
        float[] scale = new float[out];
        for (int j = 0; j < out; j++) {
            double max = 0;
            for (int i = 0; i < per; i++) {
                double v = w[j * per + i];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(
                            "Quantization.quantizeWeight: weight of output channel " + j + " holds " + v);
                }
                max = Math.max(max, Math.abs(v));
            }
            // an all-zero channel keeps scale 1 (its values are all 0)
            scale[j] = max == 0 ? 1f : (float) (max / 127);
            for (int i = 0; i < per; i++) {
                long r = Math.round(w[j * per + i] / scale[j]);
                q[j * per + i] = (int) Math.max(-127, Math.min(127, r));
            }
        }
        return new QuantizedWeight(Tensor.of(q, weight.shape()), Tensor.of(scale, out));
    }

    /**
     * Replaces, in place, every {@link Linear} of the model by a {@link QuantizedLinear} and every
     * {@link Conv2d} by a {@link QuantizedConv2d}, and puts the model in evaluation mode. The model
     * must not be trained afterwards (the int8 layers have no parameters).
     *
     * @param model a trained model, or a single Linear or Conv2d
     * @return the model (or the quantized layer when the model was a single layer)
     * @throws IllegalArgumentException when a Conv2d has groups other than 1, or there is nothing to quantize
     */
    public static Module quantize(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("Quantization.quantize: model is null");
        }
        Module self = replacement(model);
        if (self != null) {
            return self;
        }
        int replaced = 0;
        for (Module m : model.modules()) {
            List<Map.Entry<String, Module>> kids =
                    new ArrayList<>(m.namedChildren().entrySet());
            for (Map.Entry<String, Module> e : kids) {
                Module r = replacement(e.getValue());
                if (r != null) {
                    m.replaceChild(e.getKey(), r);
                    replaced++;
                }
            }
        }
        if (replaced == 0) {
            throw new IllegalArgumentException(
                    "Quantization.quantize: " + model.label() + " has no Linear or Conv2d layer");
        }
        model.eval();
        return model;
    }

    private static Module replacement(Module m) {
        if (m instanceof Linear) {
            return QuantizedLinear.from((Linear) m);
        }
        if (m instanceof Conv2d) {
            return QuantizedConv2d.from((Conv2d) m);
        }
        return null;
    }
}
