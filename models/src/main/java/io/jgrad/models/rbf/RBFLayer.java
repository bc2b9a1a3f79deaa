package io.jgrad.models.rbf;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Init;
import io.jgrad.layers.Module;

/**
 * A layer of Gaussian radial basis functions (Broomhead and Lowe 1988, "Multivariable functional
 * interpolation and adaptive networks", Complex Systems 2; Moody and Darken 1989, "Fast learning in
 * networks of locally-tuned processing units", Neural Computation 1): unit {@code k} answers
 * {@code phi_k(x) = exp(-|x - c_k|^2 / (2 sigma_k^2))} to an input {@code x (N, inFeatures)}.
 *
 * <p>Parameters: {@code centres (units, inFeatures)} and {@code log_widths (units)}, the logarithms of
 * the widths {@code sigma_k} (so that gradient steps keep them positive). Both are learned by gradient
 * descent when they require gradients (the default; see {@link #learnCentres} and
 * {@link #learnWidths}); the usual fixed alternative is Moody and Darken's: centres by k-means
 * ({@link #initCentres}, k-means++ seeding, Arthur and Vassilvitskii 2007) and widths from the distance
 * to the nearest other centre ({@link #nearestCentreWidths}). Saved and loaded like any module.
 */
public class RBFLayer extends Module {
    private final int inFeatures;
    private final int units;

    /**
     * A layer with centres from N(0, 1) and widths 1, from {@link Generator#global()}.
     *
     * @param inFeatures the input size, at least 1
     * @param units the number of Gaussian units, at least 1
     */
    public RBFLayer(int inFeatures, int units) {
        if (inFeatures < 1 || units < 1) {
            throw new IllegalArgumentException("RBFLayer: inFeatures and units must be at least 1, got inFeatures="
                    + inFeatures + ", units=" + units);
        }
        this.inFeatures = inFeatures;
        this.units = units;
        registerParameter("centres", new Parameter(Tensor.zeros(units, inFeatures)));
        registerParameter("log_widths", new Parameter(Tensor.zeros(units)));
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        Init.normal(parameter("centres").data(), 0, 1, g);
        parameter("log_widths").data().zero_();
    }

    /** The input size. */
    public int inFeatures() {
        return inFeatures;
    }

    /** The number of Gaussian units. */
    public int units() {
        return units;
    }

    /** The centres {@code (units, inFeatures)}. */
    public Tensor centres() {
        return parameter("centres").data();
    }

    /** The widths {@code sigma_k} {@code (units)} (a new tensor: {@code exp(log_widths)}). */
    public Tensor widths() {
        return parameter("log_widths").data().exp();
    }

    /** Whether the centres are learned by gradient descent (they require gradients); returns this. */
    public RBFLayer learnCentres(boolean on) {
        parameter("centres").requiresGrad(on);
        return this;
    }

    /** Whether the widths are learned by gradient descent (they require gradients); returns this. */
    public RBFLayer learnWidths(boolean on) {
        parameter("log_widths").requiresGrad(on);
        return this;
    }

    /**
     * Sets the centres.
     *
     * @param c {@code (units, inFeatures)}
     */
    public void setCentres(Tensor c) {
        if (c == null || c.dim() != 2 || c.size(0) != units || c.size(1) != inFeatures) {
            throw new IllegalArgumentException("RBFLayer.setCentres: expected (" + units + ", " + inFeatures + "), got "
                    + (c == null ? "null" : Shape.format(c.shape())));
        }
        centres().copy_(c.to(centres().dtype()));
    }

    /**
     * Sets the widths.
     *
     * @param w {@code (units)}, all positive
     */
    public void setWidths(Tensor w) {
        if (w == null || w.dim() != 1 || w.size(0) != units) {
            throw new IllegalArgumentException("RBFLayer.setWidths: expected (" + units + "), got "
                    + (w == null ? "null" : Shape.format(w.shape())));
        }
        double[] v = w.to(DType.FLOAT64).contiguous().toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] > 0) || Double.isInfinite(v[i])) {
                throw new IllegalArgumentException(
                        "RBFLayer.setWidths: widths must be positive and finite, got " + v[i] + " at unit " + i);
            }
        }
        Tensor lw = parameter("log_widths").data();
        lw.copy_(w.to(lw.dtype()).log());
    }

    /** Sets every width to {@code sigma}, positive. */
    public void setWidths(double sigma) {
        setWidths(Tensor.full(DType.FLOAT64, sigma, units));
    }

    /**
     * Places the centres by k-means on {@code x} (k-means++ seeding, then Lloyd's iterations; Moody and
     * Darken 1989).
     *
     * @param x training inputs (N, inFeatures), N at least {@code units}
     * @param options the k-means options
     * @return the clustering
     */
    public KMeans.Result initCentres(Tensor x, KMeans.Options options) {
        checkInput("initCentres", x);
        if (x.size(0) < units) {
            throw new IllegalArgumentException("RBFLayer.initCentres: " + units + " units need at least " + units
                    + " samples, got " + Shape.format(x.shape()));
        }
        KMeans.Result r = KMeans.fit(x, units, options);
        setCentres(r.centres());
        return r;
    }

    /**
     * The nearest-centre width heuristic (Moody and Darken 1989, with one neighbour):
     * {@code sigma_k = scale * min_{j != k} |c_k - c_j|}. A unit whose nearest centre coincides with it
     * gets the mean of the other units' widths (1 when all centres coincide); a single unit gets
     * {@code scale}.
     *
     * @param scale the factor, positive
     * @return the widths set {@code (units)}, FLOAT64
     */
    public Tensor nearestCentreWidths(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(
                    "RBFLayer.nearestCentreWidths: the scale must be positive and finite, got " + scale);
        }
        double[] w = new double[units];
        if (units == 1) {
            w[0] = scale;
        } else {
            Tensor c = centres().to(DType.FLOAT64);
            Tensor d2 = KMeans.squaredDistances(c, c)
                    .add(Tensor.eye(DType.FLOAT64, units, units).mul(Double.MAX_VALUE));
            double[] nearest = d2.amin(new int[] {1}, false).sqrt().toDoubleArray();
            double sum = 0;
            int pos = 0;
            for (double v : nearest) {
                if (v > 0) {
                    sum += v;
                    pos++;
                }
            }
            double fallback = pos == 0 ? 1 : sum / pos;
            for (int k = 0; k < units; k++) {
                w[k] = scale * (nearest[k] > 0 ? nearest[k] : fallback);
            }
        }
        Tensor out = Tensor.wrap(w, units);
        setWidths(out);
        return out;
    }

    private Tensor checkInput(String op, Tensor x) {
        if (x == null || x.dim() != 2 || x.size(1) != inFeatures) {
            throw new IllegalArgumentException("RBFLayer." + op + ": expected inputs (N, " + inFeatures + "), got "
                    + (x == null ? "null" : Shape.format(x.shape())));
        }
        if (x.dtype() != centres().dtype()) {
            throw new IllegalArgumentException(
                    "RBFLayer." + op + ": expected " + centres().dtype() + " inputs like the parameters, got "
                            + x.dtype() + " " + Shape.format(x.shape()) + "; convert with to(DType)");
        }
        return x;
    }

    /**
     * The unit activations without building a graph.
     *
     * @param x inputs (N, inFeatures)
     * @return {@code phi (N, units)}
     */
    public Tensor features(Tensor x) {
        checkInput("features", x);
        Tensor d2 = KMeans.squaredDistances(x, centres());
        Tensor coef = parameter("log_widths").data().mul(-2).exp().mul(-0.5); // -1 / (2 sigma^2)
        return d2.mul(coef).exp();
    }

    /** The unit activations {@code (N, units)}, differentiable in the input, the centres and the widths. */
    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 2 || x.size(1) != inFeatures) {
            throw new IllegalArgumentException(
                    "RBFLayer.forward: expected inputs (N, " + inFeatures + "), got " + Shape.format(x.shape()));
        }
        Variable c = param("centres");
        Variable coef = param("log_widths").mul(-2).exp().mul(-0.5);
        Variable d2 = x.square()
                .sum(1, true)
                .add(c.square().sum(1, false))
                .sub(x.matmul(c.t()).mul(2))
                .clamp(0, Double.POSITIVE_INFINITY);
        return d2.mul(coef).exp();
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", units=" + units;
    }
}
