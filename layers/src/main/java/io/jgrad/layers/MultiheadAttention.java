package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.PackedSelfAttention;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Multi-head attention, like {@code torch.nn.MultiheadAttention} (with {@code kdim = vdim =
 * embedDim}): the query, key and value are projected by the three blocks of {@code in_proj_weight},
 * split into {@code numHeads} heads of size {@code embedDim / numHeads}, attended with
 * {@link Attention#scaledDotProduct} per head, concatenated and projected by {@code out_proj}.
 *
 * <p>Parameters (PyTorch's names, so its state dicts load): {@code in_proj_weight (3E, E)} (Xavier
 * uniform), {@code in_proj_bias (3E)} (zeros), {@code out_proj.weight (E, E)} (Linear's default)
 * and {@code out_proj.bias (E)} (zeros).
 *
 * <p>Shapes: batch-first {@code (B, L, E)} by default (PyTorch's default is {@code (L, B, E)}; set
 * {@code batchFirst} false for that layout). Masks: {@code keyPaddingMask (B, S)} (INT32 non-zero or
 * additive: padding keys), {@code attnMask (L, S)} or {@code (B * numHeads, L, S)} (INT32 non-zero =
 * not allowed, or additive), and a causal flag; see {@link Attention}. Dropout applies to the
 * attention weights in training mode. The heads are views of the projections (no copies) and every
 * head's product runs as one batched GEMM. Self-attention (the same variable as query, key and value)
 * without masks other than causal, dropout or a request for the weights projects with one product by the
 * whole {@code in_proj_weight} and attends the heads as views of it ({@link PackedSelfAttention}), so
 * that the backward's input gradient is one product too.
 *
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(256, 8);
 * Variable y = mha.forward(x);                                          // self-attention, x (B, L, 256)
 * AttentionResult r = mha.attend(q, k, v, padding, true, null, true, false);
 * Variable w = r.weights();                                             // (B, L, S), averaged over heads
 * }</pre>
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean batchFirst;
    private final Linear outProj;
    private Generator generator;

    /**
     * Batch-first attention with biases and no dropout.
     *
     * @param embedDim the model size E
     * @param numHeads the number of heads; must divide E
     */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, true);
    }

    /**
     * A configured layer.
     *
     * @param embedDim the model size E
     * @param numHeads the number of heads; must divide E
     * @param dropout dropout on the attention weights in training mode, in [0, 1)
     * @param bias whether the projections have biases
     * @param batchFirst {@code (B, L, E)} when true, {@code (L, B, E)} when false
     */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim (" + embedDim
                    + ") must be a positive multiple of numHeads (" + numHeads + ")");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1), got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        registerParameter("in_proj_weight", new Parameter(Tensor.zeros(3 * embedDim, embedDim)));
        registerParameter("in_proj_bias", bias ? new Parameter(Tensor.zeros(3 * embedDim)) : null);
        this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias));
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        Init.xavierUniform(parameter("in_proj_weight").data(), 1, g);
        outProj.resetParameters(g);
        if (parameter("in_proj_bias") != null) {
            Init.zeros(parameter("in_proj_bias").data());
            Init.zeros(outProj.bias().data());
        }
    }

    @Override
    protected void useGenerator(Generator g) {
        this.generator = g;
    }

    /**
     * Self-attention without masks.
     *
     * @param x {@code (B, L, E)} (or {@code (L, B, E)})
     * @return the output, same shape
     */
    @Override
    public Variable forward(Variable x) {
        return attend(x, x, x, null, false, null, true, false).output();
    }

    /**
     * Attention for inputs {@code (x)} (self-attention) or {@code (query, key, value)}, without masks.
     *
     * @param inputs one or three inputs
     * @return the output {@code (B, L, E)} (or {@code (L, B, E)})
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length == 1) {
            return forward(inputs[0]);
        }
        if (inputs.length != 3) {
            throw new IllegalArgumentException(
                    "MultiheadAttention: expected (x) or (query, key, value), got " + inputs.length + " inputs");
        }
        return attend(inputs[0], inputs[1], inputs[2], null, false, null, true, false)
                .output();
    }

    /**
     * Attention with every option, like PyTorch's {@code forward}.
     *
     * @param query {@code (B, L, E)} (or {@code (L, B, E)})
     * @param key {@code (B, S, E)} (or {@code (S, B, E)})
     * @param value {@code (B, S, E)} (or {@code (S, B, E)})
     * @param keyPaddingMask {@code (B, S)}, INT32 non-zero (or additive) for padding keys; or null
     * @param needWeights whether to return the attention weights
     * @param attnMask {@code (L, S)} or {@code (B * numHeads, L, S)}, INT32 non-zero = not allowed (or
     *     additive); or null
     * @param averageWeights average the returned weights over heads ({@code (B, L, S)}) rather than
     *     per head ({@code (B, numHeads, L, S)})
     * @param causal whether query i may only attend keys {@code j <= i}
     * @return the output {@code (B, L, E)} (or {@code (L, B, E)}) and the weights, or null weights
     */
    public AttentionResult attend(
            Variable query,
            Variable key,
            Variable value,
            Tensor keyPaddingMask,
            boolean needWeights,
            Tensor attnMask,
            boolean averageWeights,
            boolean causal) {
        for (Variable v : new Variable[] {query, key, value}) {
            if (v.dim() != 3 || v.size(2) != embedDim) {
                throw new IllegalArgumentException("MultiheadAttention: expected query, key and value "
                        + (batchFirst ? "(B, L, " : "(L, B, ")
                        + embedDim + "), got " + Shape.format(query.shape()) + ", " + Shape.format(key.shape()) + ", "
                        + Shape.format(value.shape()));
            }
        }
        Variable q = batchFirst ? query : query.transpose(0, 1);
        Variable k = batchFirst ? key : key.transpose(0, 1);
        Variable v = batchFirst ? value : value.transpose(0, 1);
        int b = q.size(0);
        int l = q.size(1);
        int s = k.size(1);
        if (k.size(0) != b || v.size(0) != b || v.size(1) != s) {
            throw new IllegalArgumentException(
                    "MultiheadAttention: batch or length mismatch between query " + Shape.format(query.shape())
                            + ", key " + Shape.format(key.shape()) + " and value " + Shape.format(value.shape()));
        }
        int e = embedDim;
        Variable w = param("in_proj_weight");
        Variable bias = param("in_proj_bias");
        double p = isTraining() ? dropout : 0;
        if (query == key
                && key == value
                && attnMask == null
                && keyPaddingMask == null
                && !needWeights
                && p == 0
                && q.numel() > 0) {
            // self-attention: one product for the three projections, attended as views of it
            int d = e / numHeads;
            Variable qkv = NN.linear(q, w, bias);
            Variable o = outProj.call(new PackedSelfAttention(numHeads, 1 / Math.sqrt(d), causal).apply(qkv));
            return new AttentionResult(batchFirst ? o : o.transpose(0, 1), null);
        }
        Variable qh = heads(NN.linear(q, w.narrow(0, 0, e), bias == null ? null : bias.narrow(0, 0, e)), b, l);
        Variable kh = heads(NN.linear(k, w.narrow(0, e, e), bias == null ? null : bias.narrow(0, e, e)), b, s);
        Variable vh = heads(NN.linear(v, w.narrow(0, 2 * e, e), bias == null ? null : bias.narrow(0, 2 * e, e)), b, s);
        Tensor mask = attnMask;
        if (attnMask != null) {
            if (attnMask.dim() == 3) {
                if (attnMask.size(0) != b * numHeads || attnMask.size(1) != l || attnMask.size(2) != s) {
                    throw new IllegalArgumentException(
                            "MultiheadAttention: 3-D attnMask of shape " + Shape.format(attnMask.shape())
                                    + ", expected (" + (b * numHeads) + ", " + l + ", " + s + ")");
                }
                mask = attnMask.reshape(b, numHeads, l, s);
            } else if (attnMask.dim() != 2 || attnMask.size(0) != l || attnMask.size(1) != s) {
                throw new IllegalArgumentException("MultiheadAttention: 2-D attnMask of shape "
                        + Shape.format(attnMask.shape()) + ", expected (" + l + ", " + s + ")");
            }
        }
        if (keyPaddingMask != null
                && (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != b || keyPaddingMask.size(1) != s)) {
            throw new IllegalArgumentException("MultiheadAttention: keyPaddingMask of shape "
                    + Shape.format(keyPaddingMask.shape()) + ", expected (" + b + ", " + s + ")");
        }
        AttentionResult r = Attention.scaledDotProduct(
                qh,
                kh,
                vh,
                mask,
                keyPaddingMask,
                causal,
                p,
                generator != null ? generator : Generator.global(),
                needWeights);
        // (B, H, L, d) -> (B, L, H, d) -> (B, L, E)
        Variable o = outProj.call(r.output().permute(0, 2, 1, 3).reshape(b, l, e));
        if (!batchFirst) {
            o = o.transpose(0, 1);
        }
        Variable weights = null;
        if (needWeights) {
            weights = averageWeights ? r.weights().mean(1, false) : r.weights();
        }
        return new AttentionResult(o, weights);
    }

    /** (B, L, E) -> (B, heads, L, d) as a view. */
    private Variable heads(Variable x, int b, int len) {
        return x.reshape(b, len, numHeads, embedDim / numHeads).permute(0, 2, 1, 3);
    }

    /**
     * The model size.
     *
     * @return E
     */
    public int embedDim() {
        return embedDim;
    }

    /**
     * The number of heads.
     *
     * @return numHeads
     */
    public int numHeads() {
        return numHeads;
    }

    @Override
    protected String extraRepr() {
        return "embedDim=" + embedDim + ", numHeads=" + numHeads + (dropout > 0 ? ", dropout=" + dropout : "")
                + (batchFirst ? "" : ", batchFirst=false");
    }
}
