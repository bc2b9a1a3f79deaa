package io.jgrad.models.seq2seq;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.RNNOutput;
import io.jgrad.layers.RecurrentOptions;
import java.util.List;

/**
 * An LSTM encoder-decoder with global attention, after Luong, Pham and Manning 2015, "Effective
 * approaches to attention-based neural machine translation" (the "general" score, without input
 * feeding):
 * <pre>
 *   encoder:   h̄_1 .. h̄_S = LSTM_enc(embed_src(x))                      (N, S, D H)
 *   decoder:   h_t = LSTM_dec(embed_tgt(y_(t-1)), h_(t-1)), from the encoder's final state
 *   scores:    a_t(s) = softmax_s(h_t^T W_a h̄_s)   (padding positions excluded)
 *   context:   c_t = sum_s a_t(s) h̄_s
 *   output:    h~_t = tanh(W_c [c_t; h_t]),   logits_t = W_s h~_t + b_s
 * </pre>
 * With a bidirectional encoder ({@code D = 2}, as Bahdanau, Cho and Bengio 2015) every source
 * position also sees what follows it, and the decoder starts from the sum of the two directions'
 * final states; otherwise {@code D = 1}. Without input feeding the decoder's recurrence does not depend on the attention, so under teacher
 * forcing the decoder runs over the whole target in one fused LSTM pass and the attention of all steps
 * is two batched matrix products.
 *
 * <p>Children: {@code src_embed}, {@code tgt_embed} ({@link Embedding}s whose padding row stays 0),
 * {@code encoder} and {@code decoder} ({@link LSTM}s of {@code numLayers} layers, batch-first, with
 * dropout between layers), {@code attn} ({@code W_a}, no bias), {@code combine} ({@code W_c}, no bias),
 * {@code out} ({@code W_s, b_s}). Initialization: the layers' defaults (PyTorch's).
 */
public final class LstmSeq2Seq extends Seq2Seq {
    private final Embedding srcEmbed;
    private final Embedding tgtEmbed;
    private final LSTM encoder;
    private final LSTM decoder;
    private final Linear attn;
    private final Linear combine;
    private final Linear out;
    private final boolean bidirectional;

    /**
     * A model of the given sizes with a unidirectional encoder.
     *
     * @param srcVocab the source vocabulary size
     * @param tgtVocab the target vocabulary size
     * @param tokens the special token ids
     * @param embedDim the embedding size, at least 1
     * @param hiddenSize the LSTM size H, at least 1
     * @param numLayers the LSTM layers of encoder and decoder, at least 1
     * @param dropout the dropout between stacked LSTM layers, in [0, 1)
     */
    public LstmSeq2Seq(
            int srcVocab,
            int tgtVocab,
            SpecialTokens tokens,
            int embedDim,
            int hiddenSize,
            int numLayers,
            double dropout) {
        this(srcVocab, tgtVocab, tokens, embedDim, hiddenSize, numLayers, dropout, false);
    }

    /**
     * A model of the given sizes.
     *
     * @param srcVocab the source vocabulary size
     * @param tgtVocab the target vocabulary size
     * @param tokens the special token ids
     * @param embedDim the embedding size, at least 1
     * @param hiddenSize the LSTM size H, at least 1
     * @param numLayers the LSTM layers of encoder and decoder, at least 1
     * @param dropout the dropout between stacked LSTM layers, in [0, 1)
     * @param bidirectional whether the encoder reads the source in both directions
     */
    public LstmSeq2Seq(
            int srcVocab,
            int tgtVocab,
            SpecialTokens tokens,
            int embedDim,
            int hiddenSize,
            int numLayers,
            double dropout,
            boolean bidirectional) {
        super(srcVocab, tgtVocab, tokens);
        if (embedDim < 1 || hiddenSize < 1 || numLayers < 1 || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(
                    "LstmSeq2Seq: need embedDim, hiddenSize and numLayers of at least 1 and dropout in "
                            + "[0, 1), got " + embedDim + ", " + hiddenSize + ", " + numLayers + ", " + dropout);
        }
        RecurrentOptions o = RecurrentOptions.defaults().numLayers(numLayers).dropout(numLayers > 1 ? dropout : 0);
        srcEmbed = registerModule("src_embed", new Embedding(srcVocab, embedDim, tokens.pad()));
        tgtEmbed = registerModule("tgt_embed", new Embedding(tgtVocab, embedDim, tokens.pad()));
        this.bidirectional = bidirectional;
        int memory = bidirectional ? 2 * hiddenSize : hiddenSize;
        encoder = registerModule("encoder", new LSTM(embedDim, hiddenSize, o.bidirectional(bidirectional)));
        decoder = registerModule("decoder", new LSTM(embedDim, hiddenSize, o));
        attn = registerModule("attn", new Linear(hiddenSize, memory, false));
        combine = registerModule("combine", new Linear(memory + hiddenSize, hiddenSize, false));
        out = registerModule("out", new Linear(hiddenSize, tgtVocab));
    }

    @Override
    public Variable forward(Variable source, Variable targetIn) {
        Encoded e = encodeBatch(source.data());
        RNNOutput d = decoder.run(tgtEmbed.lookup(targetIn.data()), (int[]) null, e.h, e.c);
        return out.call(attend(d.output(), e.memory, e.padding)); // (N, T, V)
    }

    /** The encoder's outputs, final states and padding mask. */
    private record Encoded(Variable memory, Variable h, Variable c, Tensor padding) {}

    private Encoded encodeBatch(Tensor source) {
        // source is (N, S); lengths count the tokens before the right padding
        Tensor padding = paddingMask(source); // (N, S), 1 at padding
        int[] m = padding.toIntArray();
        int n = source.size(0);
        int s = source.size(1);
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < s && m[i * s + t] == 0; t++) {
                lengths[i]++;
            }
        }
        RNNOutput r = encoder.run(srcEmbed.lookup(source), lengths);
        if (!bidirectional) {
            return new Encoded(r.output(), r.hN(), r.cN(), padding);
        }
        // final states (2L, N, H), layer-major with the directions inner: the decoder starts from their sum
        int layers = r.hN().size(0) / 2;
        int h = r.hN().size(2);
        return new Encoded(
                r.output(),
                r.hN().reshape(layers, 2, n, h).sum(1, false),
                r.cN().reshape(layers, 2, n, h).sum(1, false),
                padding);
    }

    /** Luong attention of decoder states {@code (N, T, H)} over the memory {@code (N, S, D H)}: {@code h~ (N, T, H)}. */
    private Variable attend(Variable dec, Variable memory, Tensor padding) {
        int n = dec.size(0);
        int t = dec.size(1);
        int s = memory.size(1);
        Variable scores = attn.call(dec).matmul(memory.transpose(1, 2)); // (N, T, S)
        Tensor mask = padding.reshape(n, 1, s).expand(n, t, s).contiguous();
        Variable weights = scores.maskedFill(mask, -1e9).softmax(2);
        Variable context = weights.matmul(memory); // (N, T, D H)
        return combine.call(Variable.cat(List.of(context, dec), 2)).tanh();
    }

    /** Returns whether the encoder is bidirectional. */
    public boolean isBidirectional() {
        return bidirectional;
    }

    @Override
    protected StepScorer encodeSources(Tensor sources) {
        Encoded e = encodeBatch(sources);
        return (rows, prefixes) -> {
            Tensor index = Tensor.wrap(rows.clone(), rows.length);
            Variable memory = e.memory.indexSelect(0, index);
            Variable h = e.h.indexSelect(1, index);
            Variable c = e.c.indexSelect(1, index);
            Tensor padding = e.padding.indexSelect(0, index);
            RNNOutput d = decoder.run(tgtEmbed.lookup(prefixTensor(prefixes)), (int[]) null, h, c);
            return lastLogProbs(out.call(attend(d.output(), memory, padding)));
        };
    }
}
