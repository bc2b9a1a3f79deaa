package io.jgrad.models.rbm;

import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains an {@link RBM} by contrastive divergence, CD-k (Hinton 2002), or persistent contrastive
 * divergence (Tieleman 2008, "Training restricted Boltzmann machines using approximations to the
 * likelihood gradient"), on mini-batches, with momentum and L2 weight decay, following Hinton's
 * "A practical guide to training restricted Boltzmann machines" (2010).
 *
 * <p>One update on a batch {@code v0} of B vectors:
 * <ul>
 *   <li>positive phase: {@code p0 = p(h = 1 | v0)};</li>
 *   <li>negative phase, CD-k: {@code h ~ p0}, then k times {@code vk = visibleMeans(h)},
 *       {@code pk = p(h = 1 | vk)} and, between steps, {@code h ~ pk} (the guide's advice: binary hidden
 *       states when driven by data, probabilities for reconstructions); persistent CD instead continues
 *       B fantasy chains from their last hidden states with k rounds of full Gibbs sampling
 *       ({@code vk ~ p(v | h)}, {@code h ~ p(h | vk)}), the chains starting from the first batch;</li>
 *   <li>{@code dW = (p0^T v0 - pk^T vk) / B - weightDecay W}, {@code db_h = mean(p0 - pk)},
 *       {@code db_v = mean(v0 - vk)};</li>
 *   <li>each parameter moves by its velocity {@code u = momentum u + learningRate d}.</li>
 * </ul>
 */
public final class ContrastiveDivergence {
    /** Training options; every setter returns this. */
    public static final class Options {
        int k = 1;
        boolean persistent;
        double learningRate = 0.1;
        double momentum;
        double weightDecay;
        int batchSize = 10;
        int epochs = 10;
        long seed = 1;

        /** Gibbs steps per update, at least 1 (default 1). */
        public Options k(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("ContrastiveDivergence: k must be at least 1, got " + k);
            }
            this.k = k;
            return this;
        }

        /** Persistent chains instead of chains restarted at the data (default false). */
        public Options persistent(boolean on) {
            this.persistent = on;
            return this;
        }

        /** The learning rate, positive (default 0.1). */
        public Options learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException(
                        "ContrastiveDivergence: learning rate must be positive and finite, got " + lr);
            }
            this.learningRate = lr;
            return this;
        }

        /** Momentum in [0, 1) (default 0). */
        public Options momentum(double m) {
            if (!(m >= 0 && m < 1)) {
                throw new IllegalArgumentException("ContrastiveDivergence: momentum must be in [0, 1), got " + m);
            }
            this.momentum = m;
            return this;
        }

        /** L2 weight decay on the weights (not the biases), at least 0 (default 0). */
        public Options weightDecay(double wd) {
            if (!(wd >= 0) || Double.isInfinite(wd)) {
                throw new IllegalArgumentException("ContrastiveDivergence: weight decay must be at least 0, got " + wd);
            }
            this.weightDecay = wd;
            return this;
        }

        /** Mini-batch size for {@link #fit}, at least 1 (default 10). */
        public Options batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("ContrastiveDivergence: batch size must be at least 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /** Epochs for {@link #fit}, at least 1 (default 10). */
        public Options epochs(int e) {
            if (e < 1) {
                throw new IllegalArgumentException("ContrastiveDivergence: epochs must be at least 1, got " + e);
            }
            this.epochs = e;
            return this;
        }

        /** Seed of the shuffling and sampling generator (default 1). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }
    }

    /**
     * What one epoch of {@link #fit} measured.
     *
     * @param epoch the epoch, from 1
     * @param reconstructionError {@link RBM#reconstructionError} over the whole data after the epoch
     * @param pseudoLikelihood the mean {@link RBM#pseudoLikelihood} over the data after the epoch (NaN for
     *     Gaussian visible units)
     * @param seconds the epoch's training time
     */
    public record Epoch(int epoch, double reconstructionError, double pseudoLikelihood, double seconds) {}

    private final RBM rbm;
    private final Options options;
    private final Generator generator;
    private Tensor velocityW;
    private Tensor velocityH;
    private Tensor velocityV;
    private Tensor chain;

    /**
     * A trainer for {@code rbm}.
     *
     * @param rbm the machine to train (updated in place)
     * @param options the options (copied)
     */
    public ContrastiveDivergence(RBM rbm, Options options) {
        if (rbm == null || options == null) {
            throw new IllegalArgumentException("ContrastiveDivergence: rbm and options must not be null");
        }
        this.rbm = rbm;
        Options o = new Options();
        o.k = options.k;
        o.persistent = options.persistent;
        o.learningRate = options.learningRate;
        o.momentum = options.momentum;
        o.weightDecay = options.weightDecay;
        o.batchSize = options.batchSize;
        o.epochs = options.epochs;
        o.seed = options.seed;
        this.options = o;
        this.generator = new Generator(o.seed);
    }

    /** The generator used for sampling and shuffling (seeded from the options). */
    public Generator generator() {
        return generator;
    }

    /**
     * One update on a mini-batch.
     *
     * @param v0 the batch of visible vectors (B, nVisible)
     */
    public void step(Tensor v0) {
        Tensor p0 = rbm.hiddenProbabilities(v0);
        int b = v0.size(0);
        Tensor vk;
        Tensor pk;
        if (options.persistent) {
            if (chain == null || chain.size(0) != b) {
                chain = RBM.bernoulli(p0, generator);
            }
            Tensor h = chain;
            vk = null;
            pk = null;
            for (int s = 0; s < options.k; s++) {
                vk = rbm.sampleVisible(h, generator);
                pk = rbm.hiddenProbabilities(vk);
                h = RBM.bernoulli(pk, generator);
            }
            chain = h;
        } else {
            Tensor h = RBM.bernoulli(p0, generator);
            vk = null;
            pk = null;
            for (int s = 0; s < options.k; s++) {
                vk = rbm.visibleMeans(h);
                pk = rbm.hiddenProbabilities(vk);
                if (s + 1 < options.k) {
                    h = RBM.bernoulli(pk, generator);
                }
            }
        }
        Tensor w = rbm.weight();
        Tensor dW = p0.t().matmul(v0).sub(pk.t().matmul(vk)).mul(1.0 / b);
        if (options.weightDecay != 0) {
            dW = dW.sub(w.mul(options.weightDecay));
        }
        Tensor dH = p0.sub(pk).mean(0, false);
        Tensor dV = v0.sub(vk).mean(0, false);
        velocityW = velocity(velocityW, dW);
        velocityH = velocity(velocityH, dH);
        velocityV = velocity(velocityV, dV);
        w.add_(velocityW);
        rbm.hiddenBias().add_(velocityH);
        rbm.visibleBias().add_(velocityV);
    }

    private Tensor velocity(Tensor u, Tensor d) {
        Tensor step = d.mul(options.learningRate);
        if (u == null || options.momentum == 0) {
            return step;
        }
        return u.mul(options.momentum).add(step);
    }

    /**
     * Trains for the configured epochs on shuffled mini-batches of {@code data} (the last batch may be
     * smaller).
     *
     * @param data the training vectors (N, nVisible)
     * @return one entry per epoch
     */
    public List<Epoch> fit(Tensor data) {
        if (data.dim() != 2 || data.size(1) != rbm.visibleUnits() || data.size(0) < 1) {
            throw new IllegalArgumentException("ContrastiveDivergence.fit: expected data (N, " + rbm.visibleUnits()
                    + ") with N >= 1, got " + Shape.format(data.shape()));
        }
        int n = data.size(0);
        List<Epoch> out = new ArrayList<>();
        for (int e = 1; e <= options.epochs; e++) {
            long t0 = System.nanoTime();
            Tensor perm = Tensor.randperm(generator, n);
            for (int from = 0; from < n; from += options.batchSize) {
                int len = Math.min(options.batchSize, n - from);
                step(data.indexSelect(0, perm.narrow(0, from, len)));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double pl = rbm.visibleKind() == RBM.Visible.BERNOULLI
                    ? rbm.pseudoLikelihood(data, generator).mean().item()
                    : Double.NaN;
            out.add(new Epoch(e, rbm.reconstructionError(data), pl, secs));
        }
        return out;
    }
}
