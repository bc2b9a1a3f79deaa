package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Int8Matmul;
import io.jgrad.core.Tensor;

/**
 * The common part of the int8 layers made by {@link Quantization}: an int8 weight buffer
 * {@code weight} (saved as {@code I8}), one float scale per output channel {@code scale} and an
 * optional float {@code bias}; the product runs in {@link Int8Matmul}. Inference only: the layers have
 * no parameters and refuse inputs that require gradients.
 */
public abstract class QuantizedLayer extends Module {
    private final int outFeatures;
    private byte[] packed;
    private float[] scales;

    /**
     * Registers the buffers.
     *
     * @param weightShape the float layer's weight shape, outputs first
     * @param bias whether there is a bias
     */
    QuantizedLayer(int[] weightShape, boolean bias) {
        this.outFeatures = weightShape[0];
        registerInt8Buffer("weight", Tensor.zeros(DType.INT32, weightShape));
        registerBuffer("scale", Tensor.ones(weightShape[0]));
        registerBuffer("bias", bias ? Tensor.zeros(weightShape[0]) : null);
        eval();
    }

    /** Copies a quantized weight (and the float bias, or null) into the buffers. */
    final void set(Quantization.QuantizedWeight w, Tensor bias) {
        buffer("weight").copy_(w.values());
        buffer("scale").copy_(w.scale());
        if (bias != null) {
            buffer("bias").copy_(bias.to(DType.FLOAT32));
        }
        stateLoaded();
    }

    @Override
    protected void stateLoaded() {
        int[] v = buffer("weight").contiguous().toIntArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < -128 || v[i] > 127) {
                throw new IllegalArgumentException(
                        label() + ": weight value " + v[i] + " at " + i + " is outside the int8 range");
            }
            b[i] = (byte) v[i];
        }
        packed = b;
        scales = buffer("scale").to(DType.FLOAT32).contiguous().toFloatArray();
    }

    /**
     * {@code rows (q * scale)^T + bias} for rows of the flattened weight's width.
     *
     * @param rows FLOAT32 (m, k)
     * @return FLOAT32 (m, outFeatures)
     */
    final Tensor product(Tensor rows) {
        return Int8Matmul.linear(rows, packed, outFeatures, scales, biasForConvolution());
    }

    /** The bias as a float tensor for a float product, checked, or null. */
    final Tensor biasForConvolution() {
        Tensor bias = buffer("bias");
        if (bias != null && bias.dtype() != DType.FLOAT32) {
            throw new IllegalStateException(
                    label() + ": quantized layers compute in FLOAT32, but the bias is " + bias.dtype());
        }
        return bias;
    }

    /** Checks that the input is a FLOAT32 value without gradient and returns its tensor. */
    final Tensor input(Variable x) {
        if (x.requiresGrad()) {
            throw new IllegalStateException(label() + " is inference-only: its input requires a gradient (run it under "
                    + "Autograd.noGrad() or on constants)");
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(label() + ": expected a FLOAT32 input, got " + x.dtype());
        }
        return x.data();
    }

    /**
     * The int8 weight values.
     *
     * @return an INT32 tensor of values in [-127, 127], the float layer's weight shape
     */
    public Tensor weightValues() {
        return buffer("weight");
    }

    /**
     * The scale of each output channel.
     *
     * @return FLOAT32 (outFeatures)
     */
    public Tensor scale() {
        return buffer("scale");
    }

    /**
     * The weight as the layer computes with it, {@code q * scale} per output channel.
     *
     * @return FLOAT32, the float layer's weight shape
     */
    public Tensor dequantizedWeight() {
        return new Quantization.QuantizedWeight(buffer("weight"), buffer("scale")).dequantize();
    }
}
