package io.jgrad.models.rbf;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;

/**
 * A radial basis function network (Broomhead and Lowe 1988; Moody and Darken 1989): an {@link RBFLayer}
 * of Gaussian units (child {@code rbf}) followed by a linear output layer (child {@code output}, a
 * {@link Linear}), {@code y = W phi(x) + b}.
 *
 * <p>Two ways to train it:
 * <ul>
 *   <li>in two stages (Moody and Darken 1989), {@link #fit}: centres by k-means on the inputs, widths by
 *       the nearest-centre heuristic, then the output weights in closed form by ridge-regularized linear
 *       least squares on the unit activations ({@link #fitOutput}, {@link LeastSquares}). Classification
 *       regresses one-hot targets and predicts the largest output;</li>
 *   <li>end to end by gradient descent: the network is a module, so any optimizer (such as Adam) or the
 *       {@code Trainer} with any loss trains the centres, the widths and the output weights together,
 *       through autograd (Poggio and Girosi 1990), typically starting from the two-stage solution.</li>
 * </ul>
 */
public class RBFNetwork extends Module {
    /** Options of {@link #fit}; every setter checks its value and returns this. */
    public static final class Options {
        int units = 10;
        double widthScale = 1;
        double ridge = 1e-6;
        int kmeansIterations = 100;
        long seed = 1;

        /** Gaussian units, at least 1 and at most the number of samples (default 10). */
        public Options units(int u) {
            if (u < 1) {
                throw new IllegalArgumentException("RBFNetwork.Options: units must be at least 1, got " + u);
            }
            this.units = u;
            return this;
        }

        /** The factor of the nearest-centre width heuristic, positive (default 1). */
        public Options widthScale(double s) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "RBFNetwork.Options: the width scale must be positive and finite, got " + s);
            }
            this.widthScale = s;
            return this;
        }

        /** The ridge of the least-squares output fit, at least 0 (default 1e-6). */
        public Options ridge(double r) {
            if (!(r >= 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException(
                        "RBFNetwork.Options: the ridge must be at least 0 and finite, got " + r);
            }
            this.ridge = r;
            return this;
        }

        /** Lloyd iterations of the k-means placing the centres, at least 0 (default 100). */
        public Options kmeansIterations(int n) {
            if (n < 0) {
                throw new IllegalArgumentException(
                        "RBFNetwork.Options: k-means iterations must be at least 0, got " + n);
            }
            this.kmeansIterations = n;
            return this;
        }

        /** Seed of the k-means++ seeding (default 1). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }
    }

    private final RBFLayer rbf;
    private final Linear output;

    /**
     * A network with randomly initialized parameters (see {@link RBFLayer} and {@link Linear}).
     *
     * @param inFeatures the input size, at least 1
     * @param units the number of Gaussian units, at least 1
     * @param outFeatures the output size (classes for a classifier), at least 1
     */
    public RBFNetwork(int inFeatures, int units, int outFeatures) {
        if (inFeatures < 1 || units < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("RBFNetwork: sizes must be at least 1, got inFeatures=" + inFeatures
                    + ", units=" + units + ", outFeatures=" + outFeatures);
        }
        rbf = registerModule("rbf", new RBFLayer(inFeatures, units));
        output = registerModule("output", new Linear(units, outFeatures));
    }

    /** The Gaussian layer. */
    public RBFLayer rbf() {
        return rbf;
    }

    /** The linear output layer. */
    public Linear output() {
        return output;
    }

    /** The output size. */
    public int outFeatures() {
        return output.outFeatures();
    }

    /**
     * Builds and trains a network in two stages (see the class comment).
     *
     * @param x training inputs {@code (N, d)}, FLOAT32 or FLOAT64 (the network takes this type)
     * @param y INT32 class labels {@code (N)} in {@code [0, classes)} (a classifier with {@code classes}
     *     outputs), or real targets {@code (N, M)} or {@code (N)} (M outputs, 1 for a vector)
     * @param classes the number of classes for INT32 labels (ignored for real targets)
     * @param options the options
     * @return the network
     */
    public static RBFNetwork fit(Tensor x, Tensor y, int classes, Options options) {
        if (options == null) {
            throw new IllegalArgumentException("RBFNetwork.fit: options must not be null");
        }
        if (x == null || x.dim() != 2 || !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("RBFNetwork.fit: expected floating point inputs (N, d), got "
                    + (x == null ? "null" : x.dtype() + " " + Shape.format(x.shape())));
        }
        if (options.units > x.size(0)) {
            throw new IllegalArgumentException("RBFNetwork.fit: " + options.units
                    + " units need at least as many samples, got " + Shape.format(x.shape()));
        }
        y = y == null ? null : y.asInt32Index("RBFNetwork.fit"); // INT64 labels as INT32
        int out = outputsOf("fit", x, y, classes);
        RBFNetwork net = new RBFNetwork(x.size(1), options.units, out);
        net.to(x.dtype());
        net.rbf.initCentres(
                x, new KMeans.Options().maxIterations(options.kmeansIterations).seed(options.seed));
        net.rbf.nearestCentreWidths(options.widthScale);
        net.fitOutput(x, y, options.ridge);
        return net;
    }

    private static int outputsOf(String op, Tensor x, Tensor y, int classes) {
        if (y == null || y.size(0) != x.size(0) || y.dim() < 1 || y.dim() > 2) {
            throw new IllegalArgumentException("RBFNetwork." + op + ": expected targets (N) or (N, M) for inputs "
                    + Shape.format(x.shape()) + ", got " + (y == null ? "null" : Shape.format(y.shape())));
        }
        if (y.dtype() == DType.INT32) {
            if (y.dim() != 1) {
                throw new IllegalArgumentException(
                        "RBFNetwork." + op + ": INT32 labels must be (N), got " + Shape.format(y.shape()));
            }
            if (classes < 1) {
                throw new IllegalArgumentException("RBFNetwork." + op + ": classes must be at least 1, got " + classes);
            }
            return classes;
        }
        return y.dim() == 1 ? 1 : y.size(1);
    }

    /**
     * Fits the output layer in closed form to the unit activations, the Gaussian layer unchanged:
     * ridge-regularized least squares with an unpenalized bias ({@link LeastSquares#ridgeWithIntercept}).
     *
     * @param x inputs {@code (N, inFeatures)}, the network's type
     * @param y INT32 (or INT64) labels {@code (N)} in {@code [0, outFeatures)} (one-hot targets), or real targets
     *     {@code (N, outFeatures)} (or {@code (N)} when there is one output)
     * @param ridge the ridge, at least 0
     * @return the mean squared error of the fit on these samples
     */
    public double fitOutput(Tensor x, Tensor y, double ridge) {
        y = y == null ? null : y.asInt32Index("RBFNetwork.fitOutput"); // INT64 labels as INT32
        int out = outputsOf("fitOutput", x, y, outFeatures());
        if (out != outFeatures()) {
            throw new IllegalArgumentException("RBFNetwork.fitOutput: targets " + Shape.format(y.shape())
                    + " for a network of " + outFeatures() + " outputs");
        }
        Tensor targets = y.dtype() == DType.INT32
                ? oneHot(y, outFeatures())
                : (y.dim() == 1 ? y.unsqueeze(1) : y).to(DType.FLOAT64);
        Tensor phi = rbf.features(x);
        LeastSquares.Fit f = LeastSquares.ridgeWithIntercept(phi, targets, ridge);
        DType dt = output.weight().dtype();
        output.weight().data().copy_(f.weights().t().to(dt));
        output.bias().data().copy_(f.intercept().to(dt));
        Tensor pred = phi.to(DType.FLOAT64).matmul(f.weights()).add(f.intercept());
        return pred.sub(targets).square().mean().item();
    }

    private static Tensor oneHot(Tensor labels, int classes) {
        int[] y = labels.contiguous().toIntArray();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException(
                        "RBFNetwork: label " + y[i] + " at sample " + i + " is outside [0, " + classes + ")");
            }
        }
        return labels.oneHot(classes).to(DType.FLOAT64);
    }

    /**
     * The outputs without building a graph.
     *
     * @param x inputs {@code (N, inFeatures)}
     * @return {@code (N, outFeatures)}
     */
    public Tensor predict(Tensor x) {
        Tensor phi = rbf.features(x);
        return Tensor.addmm(output.bias().data(), phi, output.weight().data().t());
    }

    /**
     * The class of each input: the index of its largest output.
     *
     * @param x inputs {@code (N, inFeatures)}
     * @return INT32 {@code (N)}
     */
    public Tensor classify(Tensor x) {
        return predict(x).argmax(1, false);
    }

    @Override
    public Variable forward(Variable x) {
        return output.call(rbf.call(x));
    }
}
