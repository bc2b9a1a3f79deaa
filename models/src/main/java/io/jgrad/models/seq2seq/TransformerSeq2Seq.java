package io.jgrad.models.seq2seq;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.Init;
import io.jgrad.layers.Linear;
import io.jgrad.layers.PositionalEncoding;
import io.jgrad.layers.Transformer;

/**
 * The encoder-decoder Transformer of Vaswani et al. 2017, "Attention is all you need", for token
 * sequences: source and target embeddings scaled by {@code sqrt(dModel)} plus sinusoidal positions
 * (section 3.4-3.5), the {@link Transformer} (post-norm layers, ReLU feed-forward, a causal mask on
 * the decoder's self-attention and the source padding masked in both attentions), and a linear layer
 * to the target vocabulary.
 *
 * <p>Initialization: embedding rows from {@code N(0, 1/dModel)}, so that the scaled embeddings have
 * unit variance per component, the scale of the positional encodings (with {@link Embedding}'s
 * {@code N(0, 1)} the positions would be drowned by a factor {@code sqrt(dModel)}); the padding rows
 * are 0; the transformer Xavier-uniform as PyTorch's; the output layer as {@link Linear}.
 *
 * <p>Children: {@code src_embed}, {@code tgt_embed}, {@code pos} (the encodings with dropout),
 * {@code transformer} (PyTorch's names below it) and {@code generator}. Decoding re-runs the decoder
 * on the whole prefix at each step (no key-value cache), which is cheap for short targets.
 */
public final class TransformerSeq2Seq extends Seq2Seq {
    private final int dModel;
    private final int maxLen;
    private final Embedding srcEmbed;
    private final Embedding tgtEmbed;
    private final PositionalEncoding pos;
    private final Transformer transformer;
    private final Linear generator;

    /**
     * A model of the given sizes.
     *
     * @param srcVocab the source vocabulary size
     * @param tgtVocab the target vocabulary size
     * @param tokens the special token ids
     * @param dModel the model size, divisible by {@code nhead}
     * @param nhead the attention heads
     * @param numLayers the encoder's and the decoder's layers, at least 1
     * @param dimFeedforward the feed-forward hidden size, at least 1
     * @param dropout the dropout probability, in [0, 1)
     * @param maxLen the longest source or target the positional encodings cover, at least 1
     */
    public TransformerSeq2Seq(
            int srcVocab,
            int tgtVocab,
            SpecialTokens tokens,
            int dModel,
            int nhead,
            int numLayers,
            int dimFeedforward,
            double dropout,
            int maxLen) {
        super(srcVocab, tgtVocab, tokens);
        if (dModel < 1
                || nhead < 1
                || dModel % nhead != 0
                || numLayers < 1
                || dimFeedforward < 1
                || maxLen < 1
                || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(
                    "TransformerSeq2Seq: need dModel divisible by nhead, numLayers, dimFeedforward and "
                            + "maxLen of at least 1, dropout in [0, 1); got dModel=" + dModel + ", nhead=" + nhead
                            + ", numLayers="
                            + numLayers + ", dimFeedforward=" + dimFeedforward + ", dropout=" + dropout + ", maxLen="
                            + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        srcEmbed = registerModule("src_embed", new Embedding(srcVocab, dModel, tokens.pad()));
        tgtEmbed = registerModule("tgt_embed", new Embedding(tgtVocab, dModel, tokens.pad()));
        pos = registerModule("pos", new PositionalEncoding(dModel, maxLen, dropout, true));
        transformer = registerModule(
                "transformer",
                new Transformer(
                        dModel, nhead, numLayers, numLayers, dimFeedforward, dropout, "relu", 1e-5, true, false));
        generator = registerModule("generator", new Linear(dModel, tgtVocab));
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        super.resetParameters(g);
        for (Embedding e : new Embedding[] {srcEmbed, tgtEmbed}) {
            Tensor w = e.weight().data();
            Init.normal(w, 0, 1 / Math.sqrt(dModel), g);
            w.select(0, tokens.pad()).zero_();
        }
    }

    private Variable embed(Embedding e, Tensor ids) {
        if (ids.size(1) > maxLen) {
            throw new IllegalArgumentException(
                    "TransformerSeq2Seq: sequence length " + ids.size(1) + " exceeds maxLen " + maxLen);
        }
        return pos.call(e.lookup(ids).mul(Math.sqrt(dModel)));
    }

    @Override
    public Variable forward(Variable source, Variable targetIn) {
        Tensor padding = paddingMask(source.data());
        Variable memory = transformer.encode(embed(srcEmbed, source.data()), null, padding);
        Variable y = transformer.decode(embed(tgtEmbed, targetIn.data()), memory, null, null, null, padding, true);
        return generator.call(y); // (N, T, V)
    }

    @Override
    protected StepScorer encodeSources(Tensor sources) {
        Tensor padding = paddingMask(sources);
        Variable memory = transformer.encode(embed(srcEmbed, sources), null, padding);
        return (rows, prefixes) -> {
            Tensor index = Tensor.wrap(rows.clone(), rows.length);
            Variable y = transformer.decode(
                    embed(tgtEmbed, prefixTensor(prefixes)),
                    memory.indexSelect(0, index),
                    null,
                    null,
                    null,
                    padding.indexSelect(0, index),
                    true);
            return lastLogProbs(generator.call(y));
        };
    }
}
