package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.PoolKernels;
import java.util.Arrays;

/**
 * The implementations behind {@link Functional#interpolate}, {@link Functional#adaptiveMaxPool2d}
 * and {@link Functional#pixelShuffle}: each is composed of differentiable primitives (index
 * selection, gathers, weighted sums, reshapes and permutations), so it is differentiable at every
 * order.
 */
final class Resampling {
    private Resampling() {}

    // ------------------------------------------------------------------------------------------ interpolate

    static Variable interpolate(
            String who,
            Variable x,
            int[] size,
            double[] scaleFactor,
            InterpolationMode mode,
            boolean alignCorners,
            boolean recomputeScaleFactor) {
        if (x == null) {
            throw new IllegalArgumentException(who + ": input is null");
        }
        if (mode == null) {
            throw new IllegalArgumentException(who + ": mode is null");
        }
        int[] s = x.shape();
        int spatial = s.length - 2;
        if (mode == InterpolationMode.BILINEAR && s.length != 4) {
            throw new IllegalArgumentException(
                    who + ": mode bilinear expects a 4-D input (N, C, H, W), got " + Shape.format(s));
        }
        if (mode == InterpolationMode.LINEAR && s.length != 3) {
            throw new IllegalArgumentException(
                    who + ": mode linear expects a 3-D input (N, C, L), got " + Shape.format(s));
        }
        if (s.length != 3 && s.length != 4) {
            throw new IllegalArgumentException(
                    who + ": expected a 3-D (N, C, L) or 4-D (N, C, H, W) input, got " + Shape.format(s));
        }
        if (alignCorners && !mode.isLinear()) {
            throw new IllegalArgumentException(
                    who + ": alignCorners can only be set with the interpolating modes linear and " + "bilinear, not "
                            + mode.torchName());
        }
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException(who + ": give exactly one of an output size and a scale factor");
        }
        int[] out = new int[spatial];
        double[] scales = new double[spatial]; // PyTorch's scales argument: 1/scale_factor, or 0 for none
        if (size != null) {
            if (size.length != 1 && size.length != spatial) {
                throw new IllegalArgumentException(who + ": the output size " + Arrays.toString(size)
                        + " must have 1 or " + spatial + " values for an input of shape " + Shape.format(s));
            }
            for (int d = 0; d < spatial; d++) {
                out[d] = size[size.length == 1 ? 0 : d];
                if (out[d] < 1) {
                    throw new IllegalArgumentException(
                            who + ": the output size must be positive, got " + Arrays.toString(size));
                }
            }
        } else {
            if (scaleFactor.length != 1 && scaleFactor.length != spatial) {
                throw new IllegalArgumentException(who + ": the scale factor " + Arrays.toString(scaleFactor)
                        + " must have 1 or " + spatial + " values for an input of shape " + Shape.format(s));
            }
            for (int d = 0; d < spatial; d++) {
                double f = scaleFactor[scaleFactor.length == 1 ? 0 : d];
                if (!(f > 0) || Double.isInfinite(f)) {
                    throw new IllegalArgumentException(who + ": the scale factor must be positive and finite, got "
                            + Arrays.toString(scaleFactor));
                }
                out[d] = (int) Math.floor(s[2 + d] * f);
                if (out[d] < 1) {
                    throw new IllegalArgumentException(who + ": the scale factor " + Arrays.toString(scaleFactor)
                            + " gives an empty output for an input of shape " + Shape.format(s));
                }
                scales[d] = recomputeScaleFactor ? 0 : f;
            }
        }
        Variable y = x;
        for (int d = 0; d < spatial; d++) {
            int in = s[2 + d];
            int o = out[d];
            int dim = 2 + d;
            if (mode.isLinear()) {
                y = linearAlong(y, dim, in, o, scales[d], alignCorners);
            } else {
                int[] idx = new int[o];
                boolean identity = o == in;
                for (int i = 0; i < o; i++) {
                    idx[i] = mode == InterpolationMode.NEAREST
                            ? nearest(i, in, o, scales[d])
                            : nearestExact(i, in, o, scales[d]);
                    identity &= idx[i] == i;
                }
                if (!identity) {
                    y = y.indexSelect(dim, Tensor.of(idx));
                }
            }
        }
        return y;
    }

    /** PyTorch's {@code compute_scales_value<float>}. */
    private static float scaleFloat(double scales, int in, int out) {
        return scales > 0 ? (float) (1.0 / scales) : (float) in / out;
    }

    /** PyTorch's {@code nearest_idx} (single-precision arithmetic, as its CPU kernel). */
    static int nearest(int dst, int in, int out, double scales) {
        if (out == in) {
            return dst;
        }
        if (out == 2 * in) {
            return dst >> 1;
        }
        float scale = scaleFloat(scales, in, out);
        return Math.min((int) Math.floor((float) dst * scale), in - 1);
    }

    /** PyTorch's {@code nearest_exact_idx}. */
    static int nearestExact(int dst, int in, int out, double scales) {
        float scale = scaleFloat(scales, in, out);
        return Math.min((int) Math.floor((float) ((dst + 0.5) * scale)), in - 1);
    }

    /** Linear interpolation along one dimension: two index selections weighted by constants. */
    private static Variable linearAlong(Variable x, int dim, int in, int out, double scales, boolean alignCorners) {
        if (out == in) {
            return x; // PyTorch's kernel copies when the sizes agree, whatever the scale
        }
        double scale = alignCorners
                ? (out > 1 ? (double) (in - 1) / (out - 1) : 0)
                : (scales > 0 ? 1.0 / scales : (double) in / out);
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        double[] w0 = new double[out];
        double[] w1 = new double[out];
        for (int i = 0; i < out; i++) {
            double src = alignCorners ? scale * i : Math.max(scale * (i + 0.5) - 0.5, 0);
            int lo = (int) src;
            i0[i] = lo;
            i1[i] = lo + (lo < in - 1 ? 1 : 0);
            w1[i] = Math.min(Math.max(src - lo, 0), 1);
            w0[i] = 1 - w1[i];
        }
        int[] view = new int[x.dim()];
        Arrays.fill(view, 1);
        view[dim] = out;
        DType dt = x.dtype();
        Variable a = x.indexSelect(dim, Tensor.of(i0))
                .mul(Variable.constant(Tensor.of(w0).to(dt).reshape(view)));
        Variable b = x.indexSelect(dim, Tensor.of(i1))
                .mul(Variable.constant(Tensor.of(w1).to(dt).reshape(view)));
        return a.add(b);
    }

    // ------------------------------------------------------------------------------------------ adaptive max pooling

    /**
     * Adaptive max pooling of the trailing {@code out.length} dimensions of {@code x} (N, C, ...):
     * the first maximum of each window (a NaN wins), found without gradient, then gathered.
     */
    static Variable adaptiveMaxPool(String who, Variable x, int[] out) {
        int sp = out.length;
        int[] s = x.shape();
        if (s.length != sp + 2) {
            throw new IllegalArgumentException(
                    who + ": expected an input (N, C, " + (sp == 1 ? "L" : "H, W") + "), got " + Shape.format(s));
        }
        for (int d = 0; d < sp; d++) {
            if (out[d] < 1) {
                throw new IllegalArgumentException(
                        who + ": the output size must be positive, got " + Arrays.toString(out));
            }
            if (s[2 + d] < 1) {
                throw new IllegalArgumentException(
                        who + ": the input's spatial sizes must be positive, got " + Shape.format(s));
            }
        }
        int h = sp == 2 ? s[2] : 1;
        int w = s[s.length - 1];
        int oh = sp == 2 ? out[0] : 1;
        int ow = out[sp - 1];
        int[] idx = PoolKernels.adaptiveMaxIndices(x.data(), h, w, oh, ow);
        int[] os = s.clone();
        for (int d = 0; d < sp; d++) {
            os[2 + d] = out[d];
        }
        return x.reshape(s[0], s[1], h * w)
                .gather(2, Tensor.of(idx, s[0], s[1], oh * ow))
                .reshape(os);
    }

    // ------------------------------------------------------------------------------------------ pixel shuffle

    static Variable pixelShuffle(String who, Variable x, int r) {
        if (r < 1) {
            throw new IllegalArgumentException(who + ": the upscale factor must be positive, got " + r);
        }
        int[] s = x.shape();
        if (s.length != 4 || s[1] % (r * r) != 0) {
            throw new IllegalArgumentException(who + ": expected an input (N, C * " + r * r
                    + ", H, W) for upscale factor " + r + ", got " + Shape.format(s));
        }
        int c = s[1] / (r * r);
        return x.reshape(s[0], c, r, r, s[2], s[3]).permute(0, 1, 4, 2, 5, 3).reshape(s[0], c, s[2] * r, s[3] * r);
    }

    static Variable pixelUnshuffle(String who, Variable x, int r) {
        if (r < 1) {
            throw new IllegalArgumentException(who + ": the downscale factor must be positive, got " + r);
        }
        int[] s = x.shape();
        if (s.length != 4 || s[2] % r != 0 || s[3] % r != 0) {
            throw new IllegalArgumentException(who + ": expected an input (N, C, H, W) with H and W divisible by " + r
                    + ", got " + Shape.format(s));
        }
        int h = s[2] / r;
        int w = s[3] / r;
        return x.reshape(s[0], s[1], h, r, w, r).permute(0, 1, 3, 5, 2, 4).reshape(s[0], s[1] * r * r, h, w);
    }
}
