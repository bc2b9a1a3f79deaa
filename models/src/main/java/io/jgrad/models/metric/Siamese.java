package io.jgrad.models.metric;

import io.jgrad.autograd.Variable;
import io.jgrad.layers.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Siamese network (Bromley, Guyon, LeCun, Sackinger and Shah, "Signature Verification using a
 * Siamese Time Delay Neural Network", 1993): one embedding network, with one set of weights, applied
 * to each input of a pair or triplet, so that the distance between two embeddings measures how alike
 * the inputs are. Train it with the contrastive loss ({@link io.jgrad.layers.ContrastiveLoss}) on
 * pairs or the triplet margin loss ({@link io.jgrad.layers.TripletMarginLoss}) on triplets.
 *
 * <p>{@link #embedAll} runs the inputs through the network in one concatenated batch, so batch
 * normalization sees them all and the work is one large forward pass; the gradients of every branch
 * flow into the shared weights. The state dict is the embedding network's under {@code embedding.}.
 *
 * <pre>{@code
 * Siamese siamese = new Siamese(embeddingNet);
 * Variable[] e = siamese.embedAll(x1, x2);          // (N, D) each
 * Variable loss = Losses.contrastive(e[0], e[1], similar, 1.0, 1e-6, Reduction.MEAN);
 * }</pre>
 */
public class Siamese extends Module {
    private final Module embedding;

    /**
     * Wraps an embedding network.
     *
     * @param embedding the shared network, mapping a batch of inputs to (N, D) embeddings
     */
    public Siamese(Module embedding) {
        if (embedding == null) {
            throw new IllegalArgumentException("Siamese: the embedding network is null");
        }
        this.embedding = registerModule("embedding", embedding);
    }

    /**
     * The shared embedding network.
     *
     * @return the network
     */
    public Module embedding() {
        return embedding;
    }

    /**
     * The embeddings of one batch.
     *
     * @param x a batch of inputs
     * @return (N, D)
     */
    @Override
    public Variable forward(Variable x) {
        return embedding.call(x);
    }

    /**
     * The embeddings of several batches of the same shape (a pair, a triplet), computed in one pass
     * of the shared network over their concatenation.
     *
     * @param xs two or more batches with the same shape
     * @return one embedding batch per input, in order
     */
    public Variable[] embedAll(Variable... xs) {
        if (xs.length < 1) {
            throw new IllegalArgumentException("Siamese.embedAll: expected at least one input");
        }
        int[] shape = xs[0].shape();
        for (int i = 1; i < xs.length; i++) {
            if (!Arrays.equals(xs[i].shape(), shape)) {
                throw new IllegalArgumentException(
                        "Siamese.embedAll: input " + i + " has shape " + Arrays.toString(xs[i].shape()) + ", input 0 "
                                + Arrays.toString(shape) + "; every branch takes batches of one shape");
            }
        }
        if (xs.length == 1) {
            return new Variable[] {embedding.call(xs[0])};
        }
        List<Variable> parts = new ArrayList<>(Arrays.asList(xs));
        Variable all = embedding.call(Variable.cat(parts, 0));
        int n = shape[0];
        Variable[] out = new Variable[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = all.narrow(0, i * n, n);
        }
        return out;
    }

    /**
     * The Euclidean distance between the embeddings of two batches, row by row.
     *
     * @param x1 a batch
     * @param x2 a batch of the same shape
     * @return (N) distances
     */
    public Variable distance(Variable x1, Variable x2) {
        Variable[] e = embedAll(x1, x2);
        return e[0].sub(e[1]).square().sum(1, false).sqrt();
    }
}
