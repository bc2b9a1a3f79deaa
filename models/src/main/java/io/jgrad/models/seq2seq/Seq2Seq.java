package io.jgrad.models.seq2seq;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Tape;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Module;
import java.util.List;

/**
 * A sequence-to-sequence model over token ids: an encoder reads the source, a decoder predicts the
 * target one token at a time from the tokens before it (teacher forcing in training), and
 * {@link #greedyDecode} and {@link #beamSearch} generate targets for new sources.
 *
 * <p>Training: {@code forward(source, targetIn)} takes INT32 (or INT64) {@code (N, S)} source ids and INT32 (or INT64)
 * {@code (N, T)} decoder inputs (the target shifted right: {@code bos y1 .. y(T-1)}) and returns logits
 * {@code (N, T, tgtVocab)} for {@code y1 .. yT}; {@link SequenceCrossEntropyLoss} compares them with the
 * target (padding ignored). Sources are right-padded with {@link SpecialTokens#pad()}; padding is
 * masked out of attention. The two inputs go through {@link #forward(Variable...)}, so a
 * {@code Trainer} fits the model on a data set with the inputs (source, target in) and the target out.
 *
 * <p>Decoding runs in evaluation mode without gradients (the training mode is restored afterwards):
 * {@link #encode(int[][])} encodes sources once and gives a {@link StepScorer}, which
 * {@link Decoding} extends token by token.
 */
public abstract class Seq2Seq extends Module {
    /** The source vocabulary size. */
    protected final int srcVocab;
    /** The target vocabulary size. */
    protected final int tgtVocab;
    /** The special token ids (shared by source and target). */
    protected final SpecialTokens tokens;

    /**
     * Checks and keeps the vocabulary sizes and special tokens.
     *
     * @param srcVocab the source vocabulary size, larger than every special id
     * @param tgtVocab the target vocabulary size, larger than every special id
     * @param tokens the special token ids
     */
    protected Seq2Seq(int srcVocab, int tgtVocab, SpecialTokens tokens) {
        if (tokens == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": special tokens are null");
        }
        tokens.checkVocabulary(getClass().getSimpleName() + " (source)", srcVocab);
        tokens.checkVocabulary(getClass().getSimpleName() + " (target)", tgtVocab);
        this.srcVocab = srcVocab;
        this.tgtVocab = tgtVocab;
        this.tokens = tokens;
    }

    /** Returns the source vocabulary size. */
    public int srcVocab() {
        return srcVocab;
    }

    /** Returns the target vocabulary size. */
    public int tgtVocab() {
        return tgtVocab;
    }

    /** Returns the special token ids. */
    public SpecialTokens tokens() {
        return tokens;
    }

    /**
     * Logits of the target tokens under teacher forcing.
     *
     * @param source INT32 source ids {@code (N, S)}, right-padded
     * @param targetIn INT32 decoder inputs {@code (N, T)}, starting with bos
     * @return logits {@code (N, T, tgtVocab)}
     */
    public abstract Variable forward(Variable source, Variable targetIn);

    /**
     * The model on its two inputs (source, target in), see {@link #forward(Variable, Variable)}.
     *
     * @param inputs the source ids and the decoder inputs
     * @return logits {@code (N, T, tgtVocab)}
     */
    @Override
    public final Variable forward(Variable... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException(
                    typeName() + ": expected the inputs (source, targetIn), got " + inputs.length + " inputs");
        }
        Variable source = ids("source", inputs[0]);
        Variable targetIn = ids("targetIn", inputs[1]);
        if (source.size(0) != targetIn.size(0)) {
            throw new IllegalArgumentException(typeName() + ": source " + Shape.format(source.shape())
                    + " and targetIn " + Shape.format(targetIn.shape()) + " have different batch sizes");
        }
        return forward(source, targetIn);
    }

    /**
     * A one-input call is an error: the model needs the source and the decoder inputs.
     *
     * @param x a single input
     * @return never
     */
    @Override
    public final Variable forward(Variable x) {
        throw new IllegalArgumentException(typeName()
                + ": expected the inputs (source, targetIn), got one input of shape " + Shape.format(x.shape()));
    }

    /**
     * Encodes sources for decoding; the caller runs in evaluation mode without gradients (the
     * decoding methods of this class do so).
     *
     * @param sources source ids, right-padded to one length
     * @return a scorer whose row {@code i} continues {@code sources[i]}
     */
    protected abstract StepScorer encodeSources(Tensor sources);

    /**
     * Encodes sources for {@link Decoding}, without gradients; this switches the model to evaluation
     * mode (the decoding methods of this class restore the previous mode afterwards).
     *
     * @param sources token ids of each source (any lengths, at least 1 token each; padded here)
     * @return a scorer whose row {@code i} continues {@code sources[i]}; use it while the model stays
     *     in evaluation mode
     */
    public final StepScorer encode(int[][] sources) {
        Tensor src = pad(sources);
        eval();
        try (Tape.Scope off = Autograd.noGrad()) {
            StepScorer inner = encodeSources(src);
            return (rows, prefixes) -> {
                try (Tape.Scope off2 = Autograd.noGrad()) {
                    return inner.nextLogProbs(rows, prefixes);
                }
            };
        }
    }

    /**
     * Greedy decoding of one source.
     *
     * @param source the source ids
     * @param maxLen the most decoding steps (the end-of-sequence token counts)
     * @return the output tokens (without bos and eos), their log-probability and whether eos was reached
     */
    public Hypothesis greedyDecode(int[] source, int maxLen) {
        return greedyDecode(new int[][] {source}, maxLen)[0];
    }

    /**
     * Greedy decoding of several sources in one batch.
     *
     * @param sources the sources' ids
     * @param maxLen the most decoding steps (the end-of-sequence token counts)
     * @return one hypothesis per source
     */
    public Hypothesis[] greedyDecode(int[][] sources, int maxLen) {
        boolean wasTraining = isTraining();
        try {
            return Decoding.greedy(encode(sources), sources.length, tokens.bos(), tokens.eos(), maxLen);
        } finally {
            train(wasTraining);
        }
    }

    /**
     * Beam search for one source (see {@link Decoding#beamSearch}).
     *
     * @param source the source ids
     * @param beamWidth the number of prefixes kept, at least 1
     * @param maxLen the most decoding steps (the end-of-sequence token counts)
     * @return up to {@code beamWidth} hypotheses, the best first
     */
    public List<Hypothesis> beamSearch(int[] source, int beamWidth, int maxLen) {
        boolean wasTraining = isTraining();
        try {
            return Decoding.beamSearch(encode(new int[][] {source}), 0, tokens.bos(), tokens.eos(), beamWidth, maxLen);
        } finally {
            train(wasTraining);
        }
    }

    /** Right-pads sources into an INT32 {@code (N, S)} tensor, checking ids. */
    final Tensor pad(int[][] sources) {
        if (sources == null || sources.length == 0) {
            throw new IllegalArgumentException(typeName() + ": no sources to encode");
        }
        int len = 0;
        for (int[] s : sources) {
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException(typeName() + ": every source needs at least one token");
            }
            len = Math.max(len, s.length);
        }
        int[] ids = new int[sources.length * len];
        java.util.Arrays.fill(ids, tokens.pad());
        for (int i = 0; i < sources.length; i++) {
            for (int t = 0; t < sources[i].length; t++) {
                int v = sources[i][t];
                if (v < 0 || v >= srcVocab) {
                    throw new IllegalArgumentException(
                            typeName() + ": source " + i + " has token " + v + " outside [0, " + srcVocab + ")");
                }
                ids[i * len + t] = v;
            }
        }
        return Tensor.wrap(ids, sources.length, len);
    }

    /** Prefixes {@code (k, t)} as an INT32 tensor, checking ids and lengths. */
    final Tensor prefixTensor(int[][] prefixes) {
        int t = prefixes[0].length;
        int[] ids = new int[prefixes.length * t];
        for (int i = 0; i < prefixes.length; i++) {
            if (prefixes[i].length != t) {
                throw new IllegalArgumentException(
                        typeName() + ": prefixes of different lengths " + t + " and " + prefixes[i].length);
            }
            for (int j = 0; j < t; j++) {
                int v = prefixes[i][j];
                if (v < 0 || v >= tgtVocab) {
                    throw new IllegalArgumentException(
                            typeName() + ": prefix token " + v + " outside [0, " + tgtVocab + ")");
                }
                ids[i * t + j] = v;
            }
        }
        return Tensor.wrap(ids, prefixes.length, t);
    }

    /** The padding mask {@code (N, S)}: INT32 1 where the source is padding. */
    final Tensor paddingMask(Tensor source) {
        int[] ids = source.contiguous().toIntArray();
        int[] m = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            m[i] = ids[i] == tokens.pad() ? 1 : 0;
        }
        return Tensor.wrap(m, source.shape());
    }

    /** The last step's log-softmax of logits {@code (k, t, V)} as {@code double[k][V]}. */
    static double[][] lastLogProbs(Variable logits) {
        int k = logits.size(0);
        int t = logits.size(1);
        int v = logits.size(2);
        double[] lp = logits.select(1, t - 1)
                .logSoftmax(1)
                .data()
                .to(DType.FLOAT64)
                .contiguous()
                .toDoubleArray();
        double[][] out = new double[k][v];
        for (int i = 0; i < k; i++) {
            System.arraycopy(lp, i * v, out[i], 0, v);
        }
        return out;
    }

    /** INT32 ids {@code (N, L)}: INT32 as they are, INT64 converted (an id past the int32 range throws). */
    private Variable ids(String what, Variable ids) {
        Tensor t = ids.data();
        if ((t.dtype() != DType.INT32 && t.dtype() != DType.INT64) || t.dim() != 2) {
            throw new IllegalArgumentException(typeName() + ": " + what + " must be INT32 or INT64 ids (N, L), got "
                    + t.dtype() + " " + Shape.format(t.shape()));
        }
        return t.dtype() == DType.INT32 ? ids : Variable.constant(t.asInt32Index(typeName() + " " + what));
    }
}
