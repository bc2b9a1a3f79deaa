package io.jgrad.models.rbm;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Init;
import io.jgrad.layers.Module;

/**
 * A restricted Boltzmann machine: {@code nVisible} visible units and {@code nHidden} binary hidden
 * units joined by a weight matrix, with no connections within a layer (Smolensky 1986; Hinton 2002,
 * "Training products of experts by minimizing contrastive divergence"). The energy of a joint state is
 * {@code E(v, h) = -b_v . v - b_h . h - h W v} for Bernoulli (binary) visible units, and
 * {@code E(v, h) = |v - b_v|^2 / 2 - b_h . h - h W v} for Gaussian visible units of unit variance
 * (Hinton, "A practical guide to training restricted Boltzmann machines", 2010, section 13.2: scale the
 * data to zero mean and unit variance first).
 *
 * <p>Parameters, in the layout of {@link io.jgrad.layers.Linear} so that a trained RBM's weights can
 * initialize a linear layer: {@code weight (nHidden, nVisible)}, {@code hidden_bias (nHidden)} and
 * {@code visible_bias (nVisible)}. {@link #forward} gives the hidden probabilities (differentiable), so an
 * RBM can sit in a {@link io.jgrad.layers.Sequential} as a feature layer. Training is
 * {@link ContrastiveDivergence} (CD-k or persistent CD). Saved and loaded like any module
 * ({@link #save}, {@link #load}).
 *
 * <p>All methods take a batch of visible vectors {@code (N, nVisible)} (FLOAT32 or FLOAT64, the
 * parameters' type) or of hidden vectors {@code (N, nHidden)}.
 */
public class RBM extends Module {
    /** The kind of visible unit. */
    public enum Visible {
        /** Binary units (or probabilities in [0, 1] as data): {@code p(v = 1 | h) = sigmoid(h W + b_v)}. */
        BERNOULLI,
        /** Real-valued units of unit variance: {@code v | h ~ N(h W + b_v, 1)}. */
        GAUSSIAN
    }

    private final int nVisible;
    private final int nHidden;
    private final Visible visible;

    /**
     * An RBM with Bernoulli visible units, initialized from {@link Generator#global()}.
     *
     * @param nVisible the number of visible units, at least 1
     * @param nHidden the number of hidden units, at least 1
     */
    public RBM(int nVisible, int nHidden) {
        this(nVisible, nHidden, Visible.BERNOULLI);
    }

    /**
     * An RBM initialized from {@link Generator#global()}: weights from N(0, 0.01^2), biases zero (Hinton's
     * guide, section 8).
     *
     * @param nVisible the number of visible units, at least 1
     * @param nHidden the number of hidden units, at least 1
     * @param visible the kind of visible unit
     */
    public RBM(int nVisible, int nHidden, Visible visible) {
        if (nVisible < 1 || nHidden < 1) {
            throw new IllegalArgumentException(
                    "RBM: unit counts must be positive, got nVisible=" + nVisible + ", nHidden=" + nHidden);
        }
        if (visible == null) {
            throw new IllegalArgumentException("RBM: the visible unit kind must not be null");
        }
        this.nVisible = nVisible;
        this.nHidden = nHidden;
        this.visible = visible;
        registerParameter("weight", new Parameter(Tensor.zeros(nHidden, nVisible)));
        registerParameter("hidden_bias", new Parameter(Tensor.zeros(nHidden)));
        registerParameter("visible_bias", new Parameter(Tensor.zeros(nVisible)));
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        Init.normal(parameter("weight").data(), 0, 0.01, g);
        parameter("hidden_bias").data().zero_();
        parameter("visible_bias").data().zero_();
    }

    /** The number of visible units. */
    public int visibleUnits() {
        return nVisible;
    }

    /** The number of hidden units. */
    public int hiddenUnits() {
        return nHidden;
    }

    /** The kind of visible unit. */
    public Visible visibleKind() {
        return visible;
    }

    /** The weights (nHidden, nVisible). */
    public Tensor weight() {
        return parameter("weight").data();
    }

    /** The hidden biases (nHidden). */
    public Tensor hiddenBias() {
        return parameter("hidden_bias").data();
    }

    /** The visible biases (nVisible). */
    public Tensor visibleBias() {
        return parameter("visible_bias").data();
    }

    private Tensor checkVisible(String op, Tensor v) {
        if (v.dim() != 2 || v.size(1) != nVisible) {
            throw new IllegalArgumentException(
                    "RBM." + op + ": expected visible vectors (N, " + nVisible + "), got " + Shape.format(v.shape()));
        }
        return checkType(op, v);
    }

    private Tensor checkHidden(String op, Tensor h) {
        if (h.dim() != 2 || h.size(1) != nHidden) {
            throw new IllegalArgumentException(
                    "RBM." + op + ": expected hidden vectors (N, " + nHidden + "), got " + Shape.format(h.shape()));
        }
        return checkType(op, h);
    }

    private Tensor checkType(String op, Tensor t) {
        DType want = weight().dtype();
        if (t.dtype() != want) {
            throw new IllegalArgumentException("RBM." + op + ": expected " + want + " values like the parameters, got "
                    + t.dtype() + " " + Shape.format(t.shape()) + "; convert with to(DType)");
        }
        return t;
    }

    /** {@code v W^T + b_h}: the hidden units' total input (N, nHidden). */
    private Tensor hiddenInput(Tensor v) {
        return Tensor.addmm(hiddenBias(), v, weight().t());
    }

    /**
     * {@code p(h = 1 | v) = sigmoid(v W^T + b_h)}.
     *
     * @param v visible vectors (N, nVisible)
     * @return hidden probabilities (N, nHidden)
     */
    public Tensor hiddenProbabilities(Tensor v) {
        return hiddenInput(checkVisible("hiddenProbabilities", v)).sigmoid();
    }

    /**
     * The mean of the visible units given the hidden ones: {@code sigmoid(h W + b_v)} for Bernoulli
     * units, {@code h W + b_v} for Gaussian ones.
     *
     * @param h hidden vectors (N, nHidden)
     * @return visible means (N, nVisible)
     */
    public Tensor visibleMeans(Tensor h) {
        Tensor a = Tensor.addmm(visibleBias(), checkHidden("visibleMeans", h), weight());
        return visible == Visible.BERNOULLI ? a.sigmoid() : a;
    }

    /**
     * Binary hidden states drawn from {@code p(h | v)}.
     *
     * @param v visible vectors (N, nVisible)
     * @param g the random generator
     * @return hidden states in {0, 1} (N, nHidden)
     */
    public Tensor sampleHidden(Tensor v, Generator g) {
        return bernoulli(hiddenProbabilities(v), g);
    }

    /**
     * Visible states drawn from {@code p(v | h)}: binary for Bernoulli units, the mean plus standard
     * normal noise for Gaussian ones.
     *
     * @param h hidden vectors (N, nHidden)
     * @param g the random generator
     * @return visible states (N, nVisible)
     */
    public Tensor sampleVisible(Tensor h, Generator g) {
        Tensor m = visibleMeans(h);
        if (visible == Visible.BERNOULLI) {
            return bernoulli(m, g);
        }
        return m.add(Tensor.randn(g, m.dtype(), m.shape()));
    }

    /** 1 where a uniform draw is below p, else 0 (one draw per element, in row-major order). */
    static Tensor bernoulli(Tensor p, Generator g) {
        return Tensor.rand(g, p.dtype(), p.shape()).lt(p).to(p.dtype());
    }

    /**
     * {@code steps} rounds of block Gibbs sampling from {@code v}: h ~ p(h | v), then v ~ p(v | h).
     *
     * @param v the starting visible vectors (N, nVisible)
     * @param steps the number of rounds, at least 1
     * @param g the random generator
     * @return the visible states after the last round
     */
    public Tensor gibbs(Tensor v, int steps, Generator g) {
        if (steps < 1) {
            throw new IllegalArgumentException("RBM.gibbs: steps must be at least 1, got " + steps);
        }
        Tensor x = checkVisible("gibbs", v);
        for (int s = 0; s < steps; s++) {
            x = sampleVisible(sampleHidden(x, g), g);
        }
        return x;
    }

    /**
     * The free energy {@code F(v) = -log sum_h exp(-E(v, h))} of each visible vector:
     * {@code -b_v . v - sum_j softplus((v W^T + b_h)_j)} for Bernoulli units, with
     * {@code |v - b_v|^2 / 2} in place of the first term for Gaussian ones.
     *
     * @param v visible vectors (N, nVisible)
     * @return (N)
     */
    public Tensor freeEnergy(Tensor v) {
        checkVisible("freeEnergy", v);
        Tensor hidden = hiddenInput(v).softplus().sum(1, false);
        Tensor vis = visible == Visible.BERNOULLI
                ? v.matmul(visibleBias()).neg()
                : v.sub(visibleBias()).square().sum(1, false).mul(0.5);
        return vis.sub(hidden);
    }

    /**
     * The mean squared difference between {@code v} and its mean-field reconstruction
     * {@code visibleMeans(hiddenProbabilities(v))}, per element: a rough progress measure.
     *
     * @param v visible vectors (N, nVisible)
     * @return the reconstruction error
     */
    public double reconstructionError(Tensor v) {
        Tensor r = visibleMeans(hiddenProbabilities(v));
        return r.sub(v).square().mean().item();
    }

    /**
     * The stochastic pseudo-likelihood estimate of scikit-learn's {@code BernoulliRBM.score_samples}: for
     * each vector, one visible unit i chosen at random is flipped and
     * {@code nVisible * log sigmoid(F(v with i flipped) - F(v))} is returned, an estimate of the log
     * pseudo-likelihood. Bernoulli visible units only; the data should be binary (values are rounded
     * to 0 or 1 before flipping).
     *
     * @param v visible vectors (N, nVisible)
     * @param g the random generator choosing the flipped units
     * @return (N) estimates
     */
    public Tensor pseudoLikelihood(Tensor v, Generator g) {
        if (visible != Visible.BERNOULLI) {
            throw new IllegalStateException("RBM.pseudoLikelihood: defined for Bernoulli visible units only, this RBM "
                    + "has " + visible + " units");
        }
        checkVisible("pseudoLikelihood", v);
        Tensor bin = v.gt(0.5).to(v.dtype());
        int n = v.size(0);
        Tensor idx = Tensor.randint(g, 0, nVisible, n, 1);
        Tensor flipMask = Tensor.zeros(v.dtype(), n, nVisible).scatterAdd(1, idx, Tensor.ones(v.dtype(), n, 1));
        // flipped = bin + mask - 2 bin mask
        Tensor flipped = bin.add(flipMask).sub(bin.mul(flipMask).mul(2));
        Tensor d = freeEnergy(flipped).sub(freeEnergy(bin));
        // log sigmoid(d) = -softplus(-d)
        return d.neg().softplus().neg().mul(nVisible);
    }

    /**
     * The hidden probabilities as features (scikit-learn's {@code transform}).
     *
     * @param v visible vectors (N, nVisible)
     * @return (N, nHidden)
     */
    public Tensor transform(Tensor v) {
        return hiddenProbabilities(v);
    }

    /** The hidden probabilities {@code sigmoid(x W^T + b_h)}, differentiable in x and the parameters. */
    @Override
    public Variable forward(Variable x) {
        return NN.linear(x, param("weight"), param("hidden_bias")).sigmoid();
    }

    @Override
    protected String extraRepr() {
        return "visible=" + nVisible + ", hidden=" + nHidden + ", units=" + visible;
    }
}
