package io.jgrad.core;

/**
 * Naive reference loops for convolution and pooling, written from the definitions (the oracle for the
 * fast code). Everything is double precision on contiguous row-major arrays with explicit shapes.
 */
final class ConvReference {
    private ConvReference() {}

    /** Convolution output size, from the definition (0 or less when the kernel does not fit). */
    static int outSize(int in, int k, int s, int p, int d) {
        return Math.floorDiv(in + 2 * p - d * (k - 1) - 1, s) + 1;
    }

    /**
     * y[n, co, oh, ow] = b[co] + sum over ci in the group of co, i, j of
     * w[co, ci, i, j] * x[n, g * cinG + ci, oh * sh - ph + i * dh, ow * sw - pw + j * dw] (0 outside).
     * x is (N, Cin, H, W), w (Cout, Cin/groups, kh, kw).
     */
    static double[] conv2d(
            double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] s, int[] p, int[] d, int groups) {
        int n = xs[0];
        int cin = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int cout = ws[0];
        int cinG = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int coutG = cout / groups;
        int oh = outSize(h, kh, s[0], p[0], d[0]);
        int ow = outSize(wd, kw, s[1], p[1], d[1]);
        double[] y = new double[n * cout * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int co = 0; co < cout; co++) {
                int gr = co / coutG;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double acc = b == null ? 0 : b[co];
                        for (int ci = 0; ci < cinG; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = r * s[0] - p[0] + i * d[0];
                                    int iw = q * s[1] - p[1] + j * d[1];
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) {
                                        continue;
                                    }
                                    acc += w[((co * cinG + ci) * kh + i) * kw + j]
                                            * x[((in * cin + gr * cinG + ci) * h + ih) * wd + iw];
                                }
                            }
                        }
                        y[((in * cout + co) * oh + r) * ow + q] = acc;
                    }
                }
            }
        }
        return y;
    }

    /**
     * The input gradient by the definition: every output position scatters g * w back into the input
     * element it read. g is (N, Cout, oh, ow).
     */
    static double[] conv2dBackwardInput(
            double[] g, int[] gs, double[] w, int[] ws, int[] xs, int[] s, int[] p, int[] d, int groups) {
        int n = xs[0];
        int cin = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int cout = ws[0];
        int cinG = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int coutG = cout / groups;
        int oh = gs[2];
        int ow = gs[3];
        double[] gx = new double[n * cin * h * wd];
        for (int in = 0; in < n; in++) {
            for (int co = 0; co < cout; co++) {
                int gr = co / coutG;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double gv = g[((in * cout + co) * oh + r) * ow + q];
                        for (int ci = 0; ci < cinG; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = r * s[0] - p[0] + i * d[0];
                                    int iw = q * s[1] - p[1] + j * d[1];
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) {
                                        continue;
                                    }
                                    gx[((in * cin + gr * cinG + ci) * h + ih) * wd + iw] +=
                                            gv * w[((co * cinG + ci) * kh + i) * kw + j];
                                }
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** The weight gradient by the definition: sum over images and positions of g * the input read. */
    static double[] conv2dBackwardWeight(
            double[] g, int[] gs, double[] x, int[] xs, int[] ws, int[] s, int[] p, int[] d, int groups) {
        int n = xs[0];
        int cin = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int cout = ws[0];
        int cinG = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int coutG = cout / groups;
        int oh = gs[2];
        int ow = gs[3];
        double[] gw = new double[cout * cinG * kh * kw];
        for (int in = 0; in < n; in++) {
            for (int co = 0; co < cout; co++) {
                int gr = co / coutG;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double gv = g[((in * cout + co) * oh + r) * ow + q];
                        for (int ci = 0; ci < cinG; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = r * s[0] - p[0] + i * d[0];
                                    int iw = q * s[1] - p[1] + j * d[1];
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) {
                                        continue;
                                    }
                                    gw[((co * cinG + ci) * kh + i) * kw + j] +=
                                            gv * x[((in * cin + gr * cinG + ci) * h + ih) * wd + iw];
                                }
                            }
                        }
                    }
                }
            }
        }
        return gw;
    }

    /** Transposed output size, from PyTorch's formula. */
    static int transposedOutSize(int in, int k, int s, int p, int op, int d) {
        return (in - 1) * s - 2 * p + d * (k - 1) + op + 1;
    }

    /**
     * Transposed convolution by its definition: each input element x[n, ci, r, q] scatters
     * x * w[ci, col, i, j] into y[n, gr * coutG + col, r * sh - ph + i * dh, q * sw - pw + j * dw].
     * x is (N, Cin, H, W), w (Cin, Cout/groups, kh, kw).
     */
    static double[] convTranspose2d(
            double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] s, int[] p, int[] op, int[] d, int groups) {
        int n = xs[0];
        int cin = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int coutG = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int cinG = cin / groups;
        int cout = coutG * groups;
        int oh = transposedOutSize(h, kh, s[0], p[0], op[0], d[0]);
        int ow = transposedOutSize(wd, kw, s[1], p[1], op[1], d[1]);
        double[] y = new double[n * cout * oh * ow];
        for (int in = 0; in < n; in++) {
            if (b != null) {
                for (int co = 0; co < cout; co++) {
                    for (int e = 0; e < oh * ow; e++) {
                        y[(in * cout + co) * oh * ow + e] = b[co];
                    }
                }
            }
            for (int ci = 0; ci < cin; ci++) {
                int gr = ci / cinG;
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < wd; q++) {
                        double xv = x[((in * cin + ci) * h + r) * wd + q];
                        for (int col = 0; col < coutG; col++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int yh = r * s[0] - p[0] + i * d[0];
                                    int yw = q * s[1] - p[1] + j * d[1];
                                    if (yh < 0 || yh >= oh || yw < 0 || yw >= ow) {
                                        continue;
                                    }
                                    y[((in * cout + gr * coutG + col) * oh + yh) * ow + yw] +=
                                            xv * w[((ci * coutG + col) * kh + i) * kw + j];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** Gradient of the transposed convolution in its input: gx[n, ci, r, q] = sum of gy * w over the taps. */
    static double[] convTranspose2dBackwardInput(
            double[] gy, int[] gys, double[] w, int[] ws, int[] xs, int[] s, int[] p, int[] d, int groups) {
        int n = xs[0];
        int cin = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int coutG = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int cinG = cin / groups;
        int cout = gys[1];
        int oh = gys[2];
        int ow = gys[3];
        double[] gx = new double[n * cin * h * wd];
        for (int in = 0; in < n; in++) {
            for (int ci = 0; ci < cin; ci++) {
                int gr = ci / cinG;
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < wd; q++) {
                        double acc = 0;
                        for (int col = 0; col < coutG; col++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int yh = r * s[0] - p[0] + i * d[0];
                                    int yw = q * s[1] - p[1] + j * d[1];
                                    if (yh < 0 || yh >= oh || yw < 0 || yw >= ow) {
                                        continue;
                                    }
                                    acc += gy[((in * cout + gr * coutG + col) * oh + yh) * ow + yw]
                                            * w[((ci * coutG + col) * kh + i) * kw + j];
                                }
                            }
                        }
                        gx[((in * cin + ci) * h + r) * wd + q] = acc;
                    }
                }
            }
        }
        return gx;
    }

    /** Gradient of the transposed convolution in its weight: sum of x * gy over images and positions. */
    static double[] convTranspose2dBackwardWeight(
            double[] gy, int[] gys, double[] x, int[] xs, int[] ws, int[] s, int[] p, int[] d, int groups) {
        int n = xs[0];
        int cin = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int coutG = ws[1];
        int kh = ws[2];
        int kw = ws[3];
        int cinG = cin / groups;
        int cout = gys[1];
        int oh = gys[2];
        int ow = gys[3];
        double[] gw = new double[cin * coutG * kh * kw];
        for (int in = 0; in < n; in++) {
            for (int ci = 0; ci < cin; ci++) {
                int gr = ci / cinG;
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < wd; q++) {
                        double xv = x[((in * cin + ci) * h + r) * wd + q];
                        for (int col = 0; col < coutG; col++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int yh = r * s[0] - p[0] + i * d[0];
                                    int yw = q * s[1] - p[1] + j * d[1];
                                    if (yh < 0 || yh >= oh || yw < 0 || yw >= ow) {
                                        continue;
                                    }
                                    gw[((ci * coutG + col) * kh + i) * kw + j] +=
                                            xv * gy[((in * cout + gr * coutG + col) * oh + yh) * ow + yw];
                                }
                            }
                        }
                    }
                }
            }
        }
        return gw;
    }

    // ---------------------------------------------------------------------------------- pooling

    /**
     * Pooling output size, written out from PyTorch's rule: ceil or floor of the span over the stride,
     * plus 1; in ceil mode a last window starting beyond the input and its left padding is dropped.
     */
    static int poolOutSize(int in, int k, int s, int p, int d, boolean ceil) {
        int span = in + 2 * p - d * (k - 1) - 1;
        int out = (ceil ? (int) Math.ceil(span / (double) s) : (int) Math.floor(span / (double) s)) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    /** Max pooling of x (N, C, H, W): values and flat in-plane indices, PyTorch's tie and NaN rules. */
    static double[][] maxPool2d(double[] x, int[] xs, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        int planes = xs[0] * xs[1];
        int h = xs[2];
        int w = xs[3];
        int oh = poolOutSize(h, k[0], s[0], p[0], d[0], ceil);
        int ow = poolOutSize(w, k[1], s[1], p[1], d[1], ceil);
        double[] y = new double[planes * oh * ow];
        double[] idx = new double[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestIdx = -1;
                    int firstValid = -1;
                    for (int i = 0; i < k[0]; i++) {
                        for (int j = 0; j < k[1]; j++) {
                            int ih = r * s[0] - p[0] + i * d[0];
                            int iw = q * s[1] - p[1] + j * d[1];
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
                                continue;
                            }
                            if (firstValid < 0) {
                                firstValid = ih * w + iw;
                            }
                            double v = x[pl * h * w + ih * w + iw];
                            if (v > best || Double.isNaN(v)) {
                                best = v;
                                bestIdx = ih * w + iw;
                            }
                        }
                    }
                    y[(pl * oh + r) * ow + q] = best;
                    idx[(pl * oh + r) * ow + q] = bestIdx >= 0 ? bestIdx : firstValid;
                }
            }
        }
        return new double[][] {y, idx};
    }

    /** Average pooling of x (N, C, H, W) with PyTorch's divisor rules. */
    static double[] avgPool2d(double[] x, int[] xs, int[] k, int[] s, int[] p, boolean ceil, boolean includePad) {
        int planes = xs[0] * xs[1];
        int h = xs[2];
        int w = xs[3];
        int oh = poolOutSize(h, k[0], s[0], p[0], 1, ceil);
        int ow = poolOutSize(w, k[1], s[1], p[1], 1, ceil);
        double[] y = new double[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    y[(pl * oh + r) * ow + q] = avgWindow(x, pl * h * w, h, w, r, q, k, s, p, includePad, null, 0);
                }
            }
        }
        return y;
    }

    /** Input gradient of average pooling: each output gradient spread like the forward's weights. */
    static double[] avgPool2dBackward(
            double[] g, int[] xs, int[] k, int[] s, int[] p, boolean ceil, boolean includePad) {
        int planes = xs[0] * xs[1];
        int h = xs[2];
        int w = xs[3];
        int oh = poolOutSize(h, k[0], s[0], p[0], 1, ceil);
        int ow = poolOutSize(w, k[1], s[1], p[1], 1, ceil);
        double[] gx = new double[planes * h * w];
        for (int pl = 0; pl < planes; pl++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    avgWindow(null, pl * h * w, h, w, r, q, k, s, p, includePad, gx, g[(pl * oh + r) * ow + q]);
                }
            }
        }
        return gx;
    }

    /**
     * One average window: returns its mean (x given) or adds gv / divisor to each element (gx given). The
     * divisor counts positions inside input-plus-padding when includePad, else only input positions.
     */
    private static double avgWindow(
            double[] x,
            int base,
            int h,
            int w,
            int r,
            int q,
            int[] k,
            int[] s,
            int[] p,
            boolean includePad,
            double[] gx,
            double gv) {
        int inside = 0;
        int inPadded = 0;
        double sum = 0;
        for (int i = 0; i < k[0]; i++) {
            for (int j = 0; j < k[1]; j++) {
                int ih = r * s[0] - p[0] + i;
                int iw = q * s[1] - p[1] + j;
                if (ih < h + p[0] && iw < w + p[1]) {
                    inPadded++;
                }
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    inside++;
                    if (x != null) {
                        sum += x[base + ih * w + iw];
                    }
                }
            }
        }
        if (inside == 0) {
            return 0;
        }
        int div = includePad ? inPadded : inside;
        if (gx != null) {
            for (int i = 0; i < k[0]; i++) {
                for (int j = 0; j < k[1]; j++) {
                    int ih = r * s[0] - p[0] + i;
                    int iw = q * s[1] - p[1] + j;
                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                        gx[base + ih * w + iw] += gv / div;
                    }
                }
            }
        }
        return sum / div;
    }

    /** Adaptive average pooling: cell (r, q) averages rows [floor(r H / oh), ceil((r + 1) H / oh)), etc. */
    static double[] adaptiveAvgPool2d(double[] x, int[] xs, int oh, int ow) {
        int planes = xs[0] * xs[1];
        int h = xs[2];
        int w = xs[3];
        double[] y = new double[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++) {
            for (int r = 0; r < oh; r++) {
                int h0 = (int) Math.floor((double) r * h / oh);
                int h1 = (int) Math.ceil((double) (r + 1) * h / oh);
                for (int q = 0; q < ow; q++) {
                    int w0 = (int) Math.floor((double) q * w / ow);
                    int w1 = (int) Math.ceil((double) (q + 1) * w / ow);
                    double sum = 0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sum += x[pl * h * w + ih * w + iw];
                        }
                    }
                    y[(pl * oh + r) * ow + q] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        return y;
    }
}
