package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * A fully connected layer {@code y = x W^T + b}, like {@code torch.nn.Linear}.
 *
 * <p>Shapes: input {@code (..., inFeatures)}, output {@code (..., outFeatures)}; parameters
 * {@code weight (outFeatures, inFeatures)} and {@code bias (outFeatures)}. The product and the bias
 * run as one fused GEMM ({@link NN#linear}).
 *
 * <p>Initialization (PyTorch's): weight from Kaiming uniform with {@code a = sqrt(5)}, i.e.
 * {@code U(-1/sqrt(inFeatures), 1/sqrt(inFeatures))}, and bias from the same range.
 */
public class Linear extends Module implements WeightedLayer {
    private final int inFeatures;
    private final int outFeatures;

    /**
     * A layer with a bias.
     *
     * @param inFeatures the size of each input sample
     * @param outFeatures the size of each output sample
     */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /**
     * A layer with or without a bias, initialized from {@link Generator#global()}.
     *
     * @param inFeatures the size of each input sample
     * @param outFeatures the size of each output sample
     * @param bias whether to add a learned bias
     */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: feature counts must be positive, got inFeatures=" + inFeatures
                    + ", outFeatures=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", new Parameter(Tensor.zeros(outFeatures, inFeatures)));
        registerParameter("bias", bias ? new Parameter(Tensor.zeros(outFeatures)) : null);
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        Tensor w = parameter("weight").data();
        Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", g);
        Parameter b = parameter("bias");
        if (b != null) {
            double bound = 1 / Math.sqrt(Init.fans(w)[0]);
            Init.uniform(b.data(), -bound, bound, g);
        }
    }

    @Override
    public Variable forward(Variable x) {
        return forwardWith(x, param("weight"), param("bias"));
    }

    @Override
    public Variable forwardWith(Variable x, Variable weight, Variable bias) {
        return NN.linear(x, weight, bias);
    }

    @Override
    public Parameter weight() {
        return parameter("weight");
    }

    @Override
    public Parameter bias() {
        return parameter("bias");
    }

    /**
     * The input size.
     *
     * @return inFeatures
     */
    public int inFeatures() {
        return inFeatures;
    }

    /**
     * The output size.
     *
     * @return outFeatures
     */
    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "inFeatures=" + inFeatures + ", outFeatures=" + outFeatures + ", bias=" + (parameter("bias") != null);
    }
}
