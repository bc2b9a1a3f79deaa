package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * An inference-only {@link Linear} with int8 weights quantized symmetrically per output feature
 * ({@link Quantization}) and float activations: {@code y = x (q * scale)^T + bias}. State dict:
 * {@code weight} (int8 values, saved as {@code I8}), {@code scale} (outFeatures) and {@code bias}.
 */
public class QuantizedLinear extends QuantizedLayer {
    private final int inFeatures;
    private final int outFeatures;

    /**
     * An empty layer (zero weights), to load a saved quantized model into.
     *
     * @param inFeatures the input size
     * @param outFeatures the output size
     * @param bias whether there is a bias
     */
    public QuantizedLinear(int inFeatures, int outFeatures, boolean bias) {
        super(new int[] {checked(inFeatures, outFeatures)[1], inFeatures}, bias);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
    }

    private static int[] checked(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(
                    "QuantizedLinear: feature counts must be positive, got inFeatures=" + in + ", outFeatures=" + out);
        }
        return new int[] {in, out};
    }

    /**
     * The quantized form of a trained layer.
     *
     * @param linear the float layer (not changed)
     * @return the int8 layer
     */
    public static QuantizedLinear from(Linear linear) {
        QuantizedLinear q = new QuantizedLinear(linear.inFeatures(), linear.outFeatures(), linear.bias() != null);
        q.set(
                Quantization.quantizeWeight(linear.weight().data()),
                linear.bias() == null ? null : linear.bias().data());
        return q;
    }

    @Override
    public Variable forward(Variable x) {
        Tensor t = input(x);
        int[] s = t.shape();
        if (s.length == 0 || s[s.length - 1] != inFeatures) {
            throw new IllegalArgumentException(
                    label() + ": expected an input (..., " + inFeatures + "), got " + Shape.format(s));
        }
        int rows = t.numel() / inFeatures;
        Tensor y = product(t.reshape(rows, inFeatures));
        int[] outShape = s.clone();
        outShape[s.length - 1] = outFeatures;
        return Variable.constant(y.reshape(outShape));
    }

    @Override
    protected String extraRepr() {
        return "inFeatures=" + inFeatures + ", outFeatures=" + outFeatures + ", bias=" + (buffer("bias") != null)
                + ", int8";
    }
}
