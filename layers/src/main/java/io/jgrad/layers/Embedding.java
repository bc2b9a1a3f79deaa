package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.EmbeddingLookup;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * A lookup table of vectors, like {@code torch.nn.Embedding}: INT32 indices of any shape
 * {@code (*)} give {@code (*, embeddingDim)} rows of {@code weight (numEmbeddings, embeddingDim)}.
 *
 * <ul>
 *   <li>{@code paddingIdx}: the row at this index (negative counts from the end) starts at zero and
 *       never gets a gradient, so it stays what it is (e.g. the pad token's zero vector).
 *   <li>{@code maxNorm}: before each lookup, every looked-up row whose {@code normType}-norm exceeds
 *       {@code maxNorm} is rescaled in place to norm {@code maxNorm} (PyTorch's
 *       {@code embedding_renorm_}: scale {@code maxNorm / (norm + 1e-7)}). This modifies the weight.
 *   <li>{@link #fromPretrained}: a table initialized from given vectors, frozen or trainable.
 * </ul>
 *
 * <p>Initialization (PyTorch's): {@code N(0, 1)}, with the padding row zero. The gradient is a dense
 * tensor with the summed gradients of the looked-up rows. The lookup is differentiable at every
 * order: when the backward pass records, it is an {@code indexSelect} of the weight (the padding row
 * taken as a constant, so it gets no gradient); a max-norm renormalization, done in place before the
 * lookup, is not differentiated, as in PyTorch.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(65, 64);
 * Variable v = emb.forward(tokens);   // tokens int32 (B, T) -> (B, T, 64)
 * }</pre>
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final double maxNorm;
    private final double normType;

    /**
     * A table without padding index or norm limit.
     *
     * @param numEmbeddings the number of rows (the vocabulary size)
     * @param embeddingDim the size of each vector
     */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, Double.NaN, 2);
    }

    /**
     * A table with a padding index.
     *
     * @param numEmbeddings the number of rows
     * @param embeddingDim the size of each vector
     * @param paddingIdx the row that gets no gradient (negative: from the end), or null
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Double.NaN, 2);
    }

    /**
     * A fully configured table.
     *
     * @param numEmbeddings the number of rows
     * @param embeddingDim the size of each vector
     * @param paddingIdx the row that gets no gradient (negative: from the end), or null
     * @param maxNorm the largest norm of a looked-up row, or NaN for no limit
     * @param normType the p of the p-norm used with {@code maxNorm} (2 by default)
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, double maxNorm, double normType) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got numEmbeddings=" + numEmbeddings
                    + ", embeddingDim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : wrapPadding(paddingIdx, numEmbeddings);
        if (!Double.isNaN(maxNorm) && !(maxNorm > 0)) {
            throw new IllegalArgumentException("Embedding: maxNorm must be positive (or NaN for none), got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("Embedding: normType must be positive, got " + normType);
        }
        this.maxNorm = maxNorm;
        this.normType = normType;
        registerParameter("weight", new Parameter(Tensor.zeros(numEmbeddings, embeddingDim)));
        resetParameters(Generator.global());
    }

    private static int wrapPadding(int p, int n) {
        if (p >= n || p < -n) {
            throw new IllegalArgumentException(
                    "Embedding: paddingIdx " + p + " must be within [-" + n + ", " + n + ")");
        }
        return p < 0 ? p + n : p;
    }

    /**
     * A table holding {@code embeddings}, like {@code nn.Embedding.from_pretrained}.
     *
     * @param embeddings the vectors {@code (numEmbeddings, embeddingDim)} (copied), FLOAT32 or FLOAT64
     * @param freeze true for a table that is not trained
     * @return the layer
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        return fromPretrained(embeddings, freeze, null, Double.NaN);
    }

    /**
     * A table holding {@code embeddings} with a padding index and norm limit. Unlike a new table, the
     * padding row keeps its given values.
     *
     * @param embeddings the vectors {@code (numEmbeddings, embeddingDim)} (copied)
     * @param freeze true for a table that is not trained
     * @param paddingIdx the row that gets no gradient, or null
     * @param maxNorm the largest norm of a looked-up row, or NaN for no limit
     * @return the layer
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx, double maxNorm) {
        if (embeddings == null || embeddings.dim() != 2 || !embeddings.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Embedding.fromPretrained: expected a 2-D floating point tensor, got "
                    + (embeddings == null ? "null" : embeddings.dtype() + " " + Shape.format(embeddings.shape())));
        }
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, maxNorm, 2);
        e.to(embeddings.dtype());
        e.weight().data().copy_(embeddings);
        e.weight().requiresGrad(!freeze);
        return e;
    }

    @Override
    public void resetParameters(Generator g) {
        Tensor w = parameter("weight").data();
        Init.normal(w, 0, 1, g);
        if (paddingIdx != null) {
            w.select(0, paddingIdx).zero_();
        }
    }

    /**
     * Looks up the rows.
     *
     * @param indices an INT32 variable (a constant) of any shape
     * @return {@code (*, embeddingDim)}
     */
    @Override
    public Variable forward(Variable indices) {
        return lookup(indices.data());
    }

    /**
     * Looks up the rows.
     *
     * @param indices INT32 or INT64 indices of any shape, each in {@code [0, numEmbeddings)}
     * @return {@code (*, embeddingDim)}
     */
    public Variable lookup(Tensor indices) {
        indices = indices.asInt32Index("Embedding"); // INT64 indices work like INT32 ones
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("Embedding: indices must be int32 or int64, got " + indices.dtype() + " "
                    + Shape.format(indices.shape()));
        }
        int[] idx = indices.contiguous().toIntArray();
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= numEmbeddings) {
                throw new IndexOutOfBoundsException("Embedding: index " + idx[k] + " (element " + k + " of indices "
                        + Shape.format(indices.shape()) + ") is out of range [0, " + numEmbeddings + ")");
            }
        }
        Variable w = param("weight");
        if (!Double.isNaN(maxNorm)) {
            renorm(w.data(), idx);
        }
        int[] os = new int[indices.dim() + 1];
        System.arraycopy(indices.shape(), 0, os, 0, indices.dim());
        os[indices.dim()] = embeddingDim;
        return new EmbeddingLookup(idx, paddingIdx == null ? -1 : paddingIdx, os).apply(w);
    }

    /** PyTorch's embedding_renorm_: rescales each distinct looked-up row whose norm exceeds maxNorm. */
    private void renorm(Tensor w, int[] idx) {
        boolean[] seen = new boolean[numEmbeddings];
        try (var off = Autograd.noGrad()) {
            for (int i : idx) {
                if (seen[i]) {
                    continue;
                }
                seen[i] = true;
                Tensor row = w.select(0, i);
                double norm = row.norm(normType, null, false).item();
                if (norm > maxNorm) {
                    row.mul_(maxNorm / (norm + 1e-7));
                }
            }
        }
    }

    /**
     * The table.
     *
     * @return the weight parameter {@code (numEmbeddings, embeddingDim)}
     */
    public Parameter weight() {
        return parameter("weight");
    }

    /**
     * The number of rows.
     *
     * @return numEmbeddings
     */
    public int numEmbeddings() {
        return numEmbeddings;
    }

    /**
     * The size of each vector.
     *
     * @return embeddingDim
     */
    public int embeddingDim() {
        return embeddingDim;
    }

    /**
     * The padding index (non-negative), or null.
     *
     * @return paddingIdx
     */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", paddingIdx=" + paddingIdx : "")
                + (Double.isNaN(maxNorm)
                        ? ""
                        : ", maxNorm=" + maxNorm + (normType != 2 ? ", normType=" + normType : ""));
    }
}
