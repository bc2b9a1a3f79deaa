package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Layer normalization over the trailing dimensions, like {@code torch.nn.LayerNorm}: for an input
 * {@code (..., *normalizedShape)}, each sample's last dimensions are normalized with their own mean
 * and biased variance, {@code y = (x - mean) / sqrt(var + eps) * weight + bias}. The same in
 * training and evaluation.
 *
 * <p>Parameters {@code weight} (ones) and {@code bias} (zeros) of {@code normalizedShape} when
 * {@code elementwiseAffine}. Fused: one pass for the statistics, one for the output, two for the
 * backward; a recording backward pass (higher-order gradients) differentiates the composed definition.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    /**
     * Eps 1e-5 with a learned affine.
     *
     * @param normalizedShape the trailing shape to normalize over
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    /**
     * A fully configured layer.
     *
     * @param normalizedShape the trailing shape to normalize over
     * @param eps added to the variance
     * @param elementwiseAffine whether to learn weight and bias
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must not be empty");
        }
        for (int s : normalizedShape) {
            if (s <= 0) {
                throw new IllegalArgumentException(
                        "LayerNorm: invalid normalizedShape " + Shape.format(normalizedShape));
            }
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("LayerNorm: eps must be non-negative, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? new Parameter(Tensor.ones(normalizedShape)) : null);
        registerParameter("bias", elementwiseAffine ? new Parameter(Tensor.zeros(normalizedShape)) : null);
    }

    @Override
    public void resetParameters(Generator g) {
        if (elementwiseAffine) {
            Init.ones(parameter("weight").data());
            Init.zeros(parameter("bias").data());
        }
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.layerNorm(x, normalizedShape, param("weight"), param("bias"), eps);
    }

    /**
     * The scale, or null without affine.
     *
     * @return the weight parameter
     */
    public Parameter weight() {
        return parameter("weight");
    }

    /**
     * The shift, or null without affine.
     *
     * @return the bias parameter
     */
    public Parameter bias() {
        return parameter("bias");
    }

    @Override
    protected String extraRepr() {
        return Shape.format(normalizedShape) + ", eps=" + eps + ", elementwiseAffine=" + elementwiseAffine;
    }
}
