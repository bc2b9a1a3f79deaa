package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * A small decoder-only (GPT-style) language model: token embedding plus learned positions, a stack
 * of pre-norm {@link TransformerEncoderLayer}s run with a causal mask (each position sees only
 * itself and earlier ones), a final layer norm and a linear head to next-token logits.
 *
 * <pre>
 * h = dropout(tok_emb(tokens) + pos_emb)          tokens (B, T) int32
 * h = encoder(h, causal)                          pre-norm layers, GELU, final norm
 * logits = head(h)                                (B, T, vocab)
 * </pre>
 *
 * <p>Children: {@code tok_emb} ({@link Embedding}), {@code pos_emb}
 * ({@link LearnedPositionalEmbedding}), {@code drop}, {@code encoder} ({@link TransformerEncoder}
 * with final {@code norm}) and {@code head} ({@link Linear} without bias). Train it with
 * {@code Losses.crossEntropy(logits.reshape(-1, vocab), targets.reshape(-1))} where the targets are
 * the tokens shifted by one; sample with {@link #generate}.
 *
 * <pre>{@code
 * CausalTransformerLM lm = new CausalTransformerLM(65, 128, 128, 4, 4, 512, 0.1);
 * Variable logits = lm.forward(tokens);              // (B, T, 65)
 * int[] text = lm.generate(prompt, 200, 0.8, new Generator(1));
 * }</pre>
 */
public class CausalTransformerLM extends Module {
    private final int vocabSize;
    private final int maxLen;
    private final Embedding tokEmb;
    private final LearnedPositionalEmbedding posEmb;
    private final Dropout drop;
    private final TransformerEncoder encoder;
    private final Linear head;

    /**
     * A configured model.
     *
     * @param vocabSize the number of tokens
     * @param maxLen the context length (longest sequence)
     * @param dModel the model size
     * @param nhead the number of attention heads
     * @param numLayers the number of layers
     * @param dimFeedforward the feed-forward hidden size
     * @param dropout the dropout probability
     */
    public CausalTransformerLM(
            int vocabSize, int maxLen, int dModel, int nhead, int numLayers, int dimFeedforward, double dropout) {
        this.vocabSize = vocabSize;
        this.maxLen = maxLen;
        this.tokEmb = registerModule("tok_emb", new Embedding(vocabSize, dModel));
        this.posEmb = registerModule("pos_emb", new LearnedPositionalEmbedding(maxLen, dModel));
        this.drop = registerModule("drop", new Dropout(dropout));
        this.encoder = registerModule(
                "encoder",
                new TransformerEncoder(
                        () -> new TransformerEncoderLayer(
                                dModel, nhead, dimFeedforward, dropout, "gelu", 1e-5, true, true),
                        numLayers,
                        new LayerNorm(dModel)));
        this.head = registerModule("head", new Linear(dModel, vocabSize, false));
        // small token embeddings, as GPT-2 (N(0, 1) would dominate the learned positions)
        Init.normal(tokEmb.weight().data(), 0, 0.02, Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        super.resetParameters(g);
        Init.normal(tokEmb.weight().data(), 0, 0.02, g);
    }

    /**
     * Next-token logits.
     *
     * @param tokens INT32 {@code (B, T)}, {@code T <= maxLen}
     * @return {@code (B, T, vocabSize)}
     */
    @Override
    public Variable forward(Variable tokens) {
        return logits(tokens.data());
    }

    /**
     * Next-token logits.
     *
     * @param tokens INT32 {@code (B, T)}, {@code T <= maxLen}
     * @return {@code (B, T, vocabSize)}
     */
    public Variable logits(Tensor tokens) {
        if (tokens.dim() != 2) {
            throw new IllegalArgumentException(
                    "CausalTransformerLM: expected tokens (B, T), got " + Shape.format(tokens.shape()));
        }
        Variable h = drop.call(posEmb.forward(tokEmb.lookup(tokens)));
        return head.call(encoder.forward(h, null, null, true));
    }

    /**
     * Samples {@code count} tokens after {@code prompt}, one at a time, from the softmax of the
     * logits divided by {@code temperature} (greedy when it is 0), in evaluation mode without
     * recording gradients; the context is cut to the last {@code maxLen} tokens.
     *
     * @param prompt the first tokens (at least one)
     * @param count the number of tokens to add
     * @param temperature the sampling temperature, 0 for the most likely token
     * @param g the generator
     * @return the prompt followed by the sampled tokens
     */
    public int[] generate(int[] prompt, int count, double temperature, Generator g) {
        if (prompt == null || prompt.length == 0 || count < 0 || !(temperature >= 0)) {
            throw new IllegalArgumentException(
                    "CausalTransformerLM.generate: need a non-empty prompt, count >= 0 and temperature >= 0");
        }
        var modes = saveModes();
        eval();
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + count);
        try (var off = Autograd.noGrad()) {
            for (int n = prompt.length; n < seq.length; n++) {
                int start = Math.max(0, n - maxLen);
                Tensor ctx = Tensor.of(java.util.Arrays.copyOfRange(seq, start, n), 1, n - start);
                Tensor last =
                        logits(ctx).data().select(1, n - start - 1).select(0, 0).to(DType.FLOAT64);
                seq[n] = sample(last.toDoubleArray(), temperature, g);
            }
        } finally {
            restoreModes(modes);
        }
        return seq;
    }

    static int sample(double[] logits, double temperature, Generator g) {
        int best = 0;
        for (int k = 1; k < logits.length; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        if (temperature == 0) {
            return best;
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp((logits[k] - logits[best]) / temperature);
            sum += p[k];
        }
        double u = g.nextDouble() * sum;
        for (int k = 0; k < p.length; k++) {
            u -= p[k];
            if (u < 0) {
                return k;
            }
        }
        return best;
    }

    /**
     * The vocabulary size.
     *
     * @return vocabSize
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * The context length.
     *
     * @return maxLen
     */
    public int maxLen() {
        return maxLen;
    }
}
