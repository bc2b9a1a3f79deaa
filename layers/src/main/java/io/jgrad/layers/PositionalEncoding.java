package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Adds the fixed sinusoidal position encodings of "Attention is all you need" (Vaswani et al.,
 * 2017) to a sequence, then applies dropout:
 * {@code PE[pos, 2i] = sin(pos / 10000^(2i/d))}, {@code PE[pos, 2i+1] = cos(pos / 10000^(2i/d))}.
 *
 * <p>Input {@code (B, T, d)} batch-first (or {@code (T, B, d)}), {@code T <= maxLen}. The table
 * {@code (maxLen, d)} is computed once in double precision and converted to the input's type; it
 * has no parameters and nothing in the state dict.
 */
public class PositionalEncoding extends Module {
    private final int dModel;
    private final int maxLen;
    private final boolean batchFirst;
    private final double dropout;
    private final Tensor table;
    private Tensor converted;
    private Generator generator;

    /**
     * Batch-first encodings without dropout.
     *
     * @param dModel the model size d
     * @param maxLen the longest sequence
     */
    public PositionalEncoding(int dModel, int maxLen) {
        this(dModel, maxLen, 0, true);
    }

    /**
     * A configured layer.
     *
     * @param dModel the model size d
     * @param maxLen the longest sequence
     * @param dropout dropout after the addition in training mode, in [0, 1)
     * @param batchFirst {@code (B, T, d)} when true, {@code (T, B, d)} when false
     */
    public PositionalEncoding(int dModel, int maxLen, double dropout, boolean batchFirst) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException(
                    "PositionalEncoding: sizes must be positive, got dModel=" + dModel + ", maxLen=" + maxLen);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("PositionalEncoding: dropout must be in [0, 1), got " + dropout);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.table = table(maxLen, dModel);
    }

    /**
     * The sinusoidal table.
     *
     * @param maxLen the number of positions
     * @param dModel the model size
     * @return {@code (maxLen, dModel)} in FLOAT64
     */
    public static Tensor table(int maxLen, int dModel) {
        double[] pe = new double[maxLen * dModel];
        for (int pos = 0; pos < maxLen; pos++) {
            for (int i = 0; i < dModel; i += 2) {
                double angle = pos * Math.exp(-Math.log(10000.0) * i / dModel);
                pe[pos * dModel + i] = Math.sin(angle);
                if (i + 1 < dModel) {
                    pe[pos * dModel + i + 1] = Math.cos(angle);
                }
            }
        }
        return Tensor.of(pe, maxLen, dModel);
    }

    @Override
    protected void useGenerator(Generator g) {
        this.generator = g;
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 3 || x.size(2) != dModel) {
            throw new IllegalArgumentException("PositionalEncoding: expected " + (batchFirst ? "(B, T, " : "(T, B, ")
                    + dModel + "), got " + Shape.format(x.shape()));
        }
        int t = x.size(batchFirst ? 1 : 0);
        if (t > maxLen) {
            throw new IllegalArgumentException(
                    "PositionalEncoding: sequence of length " + t + " exceeds maxLen=" + maxLen);
        }
        if (converted == null || converted.dtype() != x.dtype()) {
            converted = table.to(x.dtype());
        }
        Tensor slice = converted.narrow(0, 0, t);
        Variable y = x.add(Variable.constant(batchFirst ? slice : slice.unsqueeze(1)));
        return NN.dropout(y, dropout, isTraining(), generator != null ? generator : Generator.global());
    }

    @Override
    protected String extraRepr() {
        return "dModel=" + dModel + ", maxLen=" + maxLen + (dropout > 0 ? ", dropout=" + dropout : "");
    }
}
