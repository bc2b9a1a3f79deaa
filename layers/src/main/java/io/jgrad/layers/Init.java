package io.jgrad.layers;

import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Locale;

/**
 * Weight initializers, like {@code torch.nn.init}: each fills a tensor in place (bumping its version)
 * and returns it. Random ones draw from an explicit {@link Generator}, so initialization repeats
 * exactly for a given seed.
 *
 * <p>Fans follow PyTorch: for a tensor of shape {@code (out, in, k1, k2, ...)}, {@code fanIn = in *
 * k1 * k2 * ...} and {@code fanOut = out * k1 * k2 * ...}; a 2-D {@code (out, in)} Linear weight has
 * {@code fanIn = in}.
 *
 * <pre>{@code
 * Init.kaimingNormal(conv.weight().data(), 0, Init.FanMode.FAN_OUT, "relu", g);
 * Init.zeros(conv.bias().data());
 * }</pre>
 */
public final class Init {
    private Init() {}

    /** Which fan a Kaiming initializer preserves the variance of. */
    public enum FanMode {
        /** Preserves the variance of activations in the forward pass. */
        FAN_IN,
        /** Preserves the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for
     * {@code linear}, the {@code conv*} and {@code conv_transpose*} names and {@code sigmoid};
     * 5/3 for {@code tanh}; sqrt(2) for {@code relu}; sqrt(2 / (1 + slope^2)) for
     * {@code leaky_relu} (slope 0.01); 3/4 for {@code selu}.
     *
     * @param nonlinearity the name, as in PyTorch
     * @return the gain
     */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /**
     * The recommended gain with a parameter: the negative slope of {@code leaky_relu} (NaN means the
     * default 0.01); ignored by the other nonlinearities.
     *
     * @param nonlinearity the name, as in PyTorch
     * @param param the slope for {@code leaky_relu}
     * @return the gain
     */
    public static double calculateGain(String nonlinearity, double param) {
        if (nonlinearity == null) {
            throw new IllegalArgumentException("calculateGain: nonlinearity is null");
        }
        switch (nonlinearity.toLowerCase(Locale.ROOT)) {
            case "linear":
            case "conv1d":
            case "conv2d":
            case "conv3d":
            case "conv_transpose1d":
            case "conv_transpose2d":
            case "conv_transpose3d":
            case "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2);
            case "leaky_relu": {
                double slope = Double.isNaN(param) ? 0.01 : param;
                return Math.sqrt(2 / (1 + slope * slope));
            }
            case "selu":
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException(
                        "calculateGain: unsupported nonlinearity '" + nonlinearity
                                + "' (expected linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu)");
        }
    }

    /**
     * The fans of a weight tensor of at least two dimensions.
     *
     * @param t the weight
     * @return {@code {fanIn, fanOut}}
     */
    public static int[] fans(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException(
                    "fans: fan in and fan out cannot be computed for a tensor with fewer than 2 " + "dimensions, got "
                            + Shape.format(t.shape()));
        }
        int receptive = 1;
        for (int k = 2; k < t.dim(); k++) {
            receptive *= t.size(k);
        }
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    // ------------------------------------------------------------------------------------------ constants

    /**
     * Fills with zeros.
     *
     * @param t the tensor, modified
     * @return {@code t}
     */
    public static Tensor zeros(Tensor t) {
        return t.zero_();
    }

    /**
     * Fills with ones.
     *
     * @param t the tensor, modified
     * @return {@code t}
     */
    public static Tensor ones(Tensor t) {
        return t.fill_(1);
    }

    /**
     * Fills with {@code value}.
     *
     * @param t the tensor, modified
     * @param value the value
     * @return {@code t}
     */
    public static Tensor constant(Tensor t, double value) {
        return t.fill_(value);
    }

    // ------------------------------------------------------------------------------------------ random

    /**
     * Fills with values drawn uniformly from {@code [a, b)}.
     *
     * @param t the floating point tensor, modified
     * @param a the lower bound
     * @param b the upper bound
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor uniform(Tensor t, double a, double b, Generator g) {
        requireFloat("uniform", t);
        if (!(a <= b)) {
            throw new IllegalArgumentException("uniform: lower bound " + a + " must not exceed upper bound " + b);
        }
        double[] v = new double[t.numel()];
        for (int k = 0; k < v.length; k++) {
            v[k] = a + (b - a) * g.nextDouble();
        }
        return fill(t, v);
    }

    /**
     * Fills with values drawn from the normal distribution {@code N(mean, std^2)}.
     *
     * @param t the floating point tensor, modified
     * @param mean the mean
     * @param std the standard deviation (non-negative)
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor normal(Tensor t, double mean, double std, Generator g) {
        requireFloat("normal", t);
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: standard deviation must be non-negative, got " + std);
        }
        double[] v = new double[t.numel()];
        for (int k = 0; k < v.length; k++) {
            v[k] = mean + std * g.nextGaussian();
        }
        return fill(t, v);
    }

    /**
     * Xavier/Glorot uniform: {@code U(-b, b)} with {@code b = gain * sqrt(6 / (fanIn + fanOut))}.
     *
     * @param t the weight (at least 2-D), modified
     * @param gain the scale (1 for linear or sigmoid layers, see {@link #calculateGain})
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor xavierUniform(Tensor t, double gain, Generator g) {
        int[] f = fans(t);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -bound, bound, g);
    }

    /**
     * Xavier/Glorot normal: {@code N(0, std^2)} with {@code std = gain * sqrt(2 / (fanIn + fanOut))}.
     *
     * @param t the weight (at least 2-D), modified
     * @param gain the scale
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor xavierNormal(Tensor t, double gain, Generator g) {
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
    }

    /**
     * Kaiming/He uniform: {@code U(-b, b)} with {@code b = gain * sqrt(3 / fan)}, where gain is
     * {@code calculateGain(nonlinearity, a)}. PyTorch's layers use {@code a = sqrt(5)} with
     * {@code leaky_relu} and fan in, which gives {@code b = 1 / sqrt(fanIn)}.
     *
     * @param t the weight (at least 2-D), modified
     * @param a the negative slope for {@code leaky_relu}
     * @param mode which fan to use
     * @param nonlinearity {@code relu}, {@code leaky_relu}, ... (see {@link #calculateGain})
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
        double bound = calculateGain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, -bound, bound, g);
    }

    /**
     * Kaiming/He normal: {@code N(0, std^2)} with {@code std = gain / sqrt(fan)}.
     *
     * @param t the weight (at least 2-D), modified
     * @param a the negative slope for {@code leaky_relu}
     * @param mode which fan to use
     * @param nonlinearity {@code relu}, {@code leaky_relu}, ... (see {@link #calculateGain})
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator g) {
        return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode)), g);
    }

    /**
     * LeCun normal: {@code N(0, 1 / fanIn)}, the initialization for self-normalizing (SELU)
     * networks. Untruncated, as {@code kaiming_normal_(nonlinearity='linear')} in PyTorch.
     *
     * @param t the weight (at least 2-D), modified
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor lecunNormal(Tensor t, Generator g) {
        return normal(t, 0, 1 / Math.sqrt(fans(t)[0]), g);
    }

    /**
     * A (semi-)orthogonal matrix scaled by {@code gain}, as {@code torch.nn.init.orthogonal_}: the
     * tensor is viewed as {@code (rows, numel / rows)}; a Gaussian matrix is factored by QR (modified
     * Gram-Schmidt with re-orthogonalization, in double) and Q is sign-corrected so that R has a
     * positive diagonal, which makes the result uniformly (Haar) distributed. The rows are
     * orthonormal when {@code rows <= cols}, otherwise the columns.
     *
     * @param t the tensor (at least 2-D), modified
     * @param gain the scale
     * @param g the generator
     * @return {@code t}
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator g) {
        requireFloat("orthogonal", t);
        if (t.dim() < 2) {
            throw new IllegalArgumentException(
                    "orthogonal: only tensors with 2 or more dimensions are supported, got " + Shape.format(t.shape()));
        }
        int rows = t.size(0);
        int cols = t.numel() / Math.max(rows, 1);
        if (t.numel() == 0) {
            return t;
        }
        // factor the tall matrix (m x n, m >= n): the transpose when rows < cols
        boolean transposed = rows < cols;
        int m = transposed ? cols : rows;
        int n = transposed ? rows : cols;
        double[][] col = new double[n][m]; // columns of the Gaussian matrix (row-major fill like PyTorch)
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = g.nextGaussian();
                if (transposed) {
                    col[i][j] = v;
                } else {
                    col[j][i] = v;
                }
            }
        }
        // modified Gram-Schmidt, twice per column for stability; the diagonal of R is the norm > 0
        for (int j = 0; j < n; j++) {
            double[] q = col[j];
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double[] p = col[k];
                    double dot = 0;
                    for (int r = 0; r < m; r++) {
                        dot += p[r] * q[r];
                    }
                    for (int r = 0; r < m; r++) {
                        q[r] -= dot * p[r];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < m; r++) {
                norm += q[r] * q[r];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < m; r++) {
                q[r] /= norm;
            }
        }
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i * cols + j] = gain * (transposed ? col[i][j] : col[j][i]);
            }
        }
        return fill(t, v);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static int fan(Tensor t, FanMode mode) {
        int[] f = fans(t);
        int n = mode == FanMode.FAN_OUT ? f[1] : f[0];
        if (n == 0) {
            throw new IllegalArgumentException(
                    "kaiming: the " + mode + " of a tensor of shape " + Shape.format(t.shape()) + " is 0");
        }
        return n;
    }

    private static void requireFloat(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(
                    op + ": expected a floating point tensor, got " + t.dtype() + " " + Shape.format(t.shape()));
        }
    }

    /** Copies row-major values into {@code t} (any layout), converting to its type. */
    private static Tensor fill(Tensor t, double[] v) {
        return t.copy_(Tensor.wrap(v).reshape(t.shape()).to(t.dtype()));
    }
}
