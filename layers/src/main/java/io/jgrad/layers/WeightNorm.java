package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Weight normalization (Salimans and Kingma, 2016) of a {@link Linear} or convolution layer, like
 * {@code torch.nn.utils.weight_norm}: the weight is reparameterized as
 * {@code w = g * v / ||v||}, the norm taken over every dimension but {@code dim} (0, the output
 * channels, by default), so that its direction {@code v} and magnitude {@code g} are learned
 * separately.
 *
 * <p>State, under PyTorch's names: {@code bias} (the wrapped layer's, shared), {@code weight_g}
 * (shape of the weight with every dimension but {@code dim} of size 1) and {@code weight_v} (the
 * weight's shape). They start as {@code ||w||} and {@code w} of the wrapped layer, so the layer
 * initially computes the same function. The wrapped layer is not a child: its own weight is unused.
 */
public class WeightNorm extends Module {
    private final WeightedLayer layer;
    private final int dim;

    /**
     * Weight normalization over the output dimension 0.
     *
     * @param layer the layer to reparameterize (a Linear or convolution)
     */
    public WeightNorm(WeightedLayer layer) {
        this(layer, 0);
    }

    /**
     * Weight normalization keeping dimension {@code dim} (negative counts from the end).
     *
     * @param layer the layer to reparameterize
     * @param dim the dimension that keeps one norm per entry
     */
    public WeightNorm(WeightedLayer layer, int dim) {
        if (layer == null) {
            throw new IllegalArgumentException("WeightNorm: layer is null");
        }
        int[] ws = layer.weight().shape();
        this.layer = layer;
        this.dim = Shape.wrapDim("WeightNorm", dim, ws.length);
        registerParameter("bias", layer.bias());
        int[] gs = new int[ws.length];
        java.util.Arrays.fill(gs, 1);
        gs[this.dim] = ws[this.dim];
        registerParameter("weight_g", new Parameter(Tensor.zeros(layer.weight().dtype(), gs)));
        registerParameter("weight_v", new Parameter(Tensor.zeros(layer.weight().dtype(), ws)));
        copyFromLayer();
    }

    private int[] normDims() {
        int r = parameter("weight_v").dim();
        int[] d = new int[r - 1];
        for (int k = 0, j = 0; k < r; k++) {
            if (k != dim) {
                d[j++] = k;
            }
        }
        return d;
    }

    /** g = ||w||, v = w from the wrapped layer's weight. */
    private void copyFromLayer() {
        try (var off = Autograd.noGrad()) {
            Tensor w = layer.weight().data();
            Tensor v = parameter("weight_v").data();
            v.copy_(w.to(v.dtype()));
            parameter("weight_g").data().copy_(v.norm(2, normDims(), true));
        }
    }

    @Override
    public void resetParameters(Generator g) {
        if (layer instanceof Module) {
            ((Module) layer).resetParameters(g);
        }
        copyFromLayer();
    }

    /**
     * The effective weight {@code g * v / ||v||}.
     *
     * @return the weight as a differentiable function of g and v
     */
    public Variable weight() {
        Variable v = param("weight_v");
        return v.mul(param("weight_g").div(v.norm(2, normDims(), true)));
    }

    @Override
    public Variable forward(Variable x) {
        return layer.forwardWith(x, weight(), param("bias"));
    }

    @Override
    protected String extraRepr() {
        return layer + ", dim=" + dim;
    }
}
