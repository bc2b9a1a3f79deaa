package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Fused element-wise parts of the LSTM and GRU cells: one pass over the gates forward, one pass
 * backward, instead of a dozen separate element-wise operations per time step. When the backward pass
 * records (higher-order gradients), the gradients come from the same cells written with
 * differentiable primitives ({@link #composedLstm}, {@link #composedGru}) instead.
 */
final class RecurrentOps {
    private RecurrentOps() {}

    /**
     * LSTM cell, PyTorch gate order (i, f, g, o). gates (B, 4H) are pre-activations
     * {@code x W_ih^T + b_ih + h W_hh^T + b_hh}; c (B, H). Returns [h', c'] as views of one (B, 2H) output.
     */
    static Variable[] lstmCell(Variable gates, Variable c) {
        int[] gs = gates.shape();
        int[] cs = c.shape();
        if (gs.length != 2 || cs.length != 2 || gs[0] != cs[0] || gs[1] != 4 * cs[1]) {
            throw new IllegalArgumentException("lstmCell: expected gates (B, 4H) and c (B, H), got " + Shape.format(gs)
                    + " and " + Shape.format(cs));
        }
        PointwiseOps.sameDtype("lstmCell", gates, c);
        int b = gs[0];
        int h = cs[1];
        Tensor g = gates.data().contiguous();
        Tensor cc = c.data().contiguous();
        // out = [h' | c'] (B, 2H); acts = [i f g o] after activation (B, 4H); tc = tanh(c') (B, H)
        Tensor out = Tensor.zeros(g.dtype(), b, 2 * h);
        Tensor acts = Tensor.zeros(g.dtype(), b, 4 * h);
        Tensor tc = Tensor.zeros(g.dtype(), b, h);
        if (g.dtype() == DType.FLOAT32) {
            lstmForwardF(
                    g.floatData(),
                    g.offset(),
                    cc.floatData(),
                    cc.offset(),
                    out.floatData(),
                    acts.floatData(),
                    tc.floatData(),
                    b,
                    h);
        } else {
            lstmForwardD(
                    g.doubleData(),
                    g.offset(),
                    cc.doubleData(),
                    cc.offset(),
                    out.doubleData(),
                    acts.doubleData(),
                    tc.doubleData(),
                    b,
                    h);
        }
        Variable fused = record(
                "lstmCell",
                out,
                0,
                (n, grad) -> {
                    if (Graph.recording()) {
                        return Graph.composedGradient(
                                new Variable[] {n.input(0), n.input(1)}, grad, v -> composedLstm(v[0], v[1], h));
                    }
                    Tensor go = grad.data().contiguous();
                    Tensor dg = Tensor.zeros(go.dtype(), b, 4 * h);
                    Tensor dc = Tensor.zeros(go.dtype(), b, h);
                    if (go.dtype() == DType.FLOAT32) {
                        lstmBackwardF(
                                go.floatData(),
                                go.offset(),
                                acts.floatData(),
                                tc.floatData(),
                                cc.floatData(),
                                cc.offset(),
                                dg.floatData(),
                                dc.floatData(),
                                b,
                                h);
                    } else {
                        lstmBackwardD(
                                go.doubleData(),
                                go.offset(),
                                acts.doubleData(),
                                tc.doubleData(),
                                cc.doubleData(),
                                cc.offset(),
                                dg.doubleData(),
                                dc.doubleData(),
                                b,
                                h);
                    }
                    return new Variable[] {Variable.constant(dg), Variable.constant(dc)};
                },
                gates,
                c);
        return new Variable[] {fused.narrow(1, 0, h), fused.narrow(1, h, h)};
    }

    /** The LSTM cell from differentiable primitives: [h' | c'] as one (B, 2H) variable. */
    static Variable composedLstm(Variable gates, Variable c, int h) {
        Variable i = gates.narrow(1, 0, h).sigmoid();
        Variable f = gates.narrow(1, h, h).sigmoid();
        Variable g = gates.narrow(1, 2 * h, h).tanh();
        Variable o = gates.narrow(1, 3 * h, h).sigmoid();
        Variable cn = f.mul(c).add(i.mul(g));
        return Variable.cat(java.util.List.of(o.mul(cn.tanh()), cn), 1);
    }

    /** The GRU cell from differentiable primitives: h' = n + z (h - n). */
    static Variable composedGru(Variable xg, Variable hg, Variable hPrev, int h) {
        Variable r = xg.narrow(1, 0, h).add(hg.narrow(1, 0, h)).sigmoid();
        Variable z = xg.narrow(1, h, h).add(hg.narrow(1, h, h)).sigmoid();
        Variable nn = xg.narrow(1, 2 * h, h).add(r.mul(hg.narrow(1, 2 * h, h))).tanh();
        return nn.add(z.mul(hPrev.sub(nn)));
    }

    private static float sig(float x) {
        return x >= 0 ? 1f / (1f + (float) Math.exp(-x)) : (float) (Math.exp(x) / (1 + Math.exp(x)));
    }

    private static double sig(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static void lstmForwardF(
            float[] g, int go, float[] c, int co, float[] out, float[] acts, float[] tc, int b, int h) {
        for (int r = 0; r < b; r++) {
            int gr = go + r * 4 * h;
            int ar = r * 4 * h;
            for (int j = 0; j < h; j++) {
                float i = sig(g[gr + j]);
                float f = sig(g[gr + h + j]);
                float gg = (float) Math.tanh(g[gr + 2 * h + j]);
                float o = sig(g[gr + 3 * h + j]);
                float cn = f * c[co + r * h + j] + i * gg;
                float t = (float) Math.tanh(cn);
                acts[ar + j] = i;
                acts[ar + h + j] = f;
                acts[ar + 2 * h + j] = gg;
                acts[ar + 3 * h + j] = o;
                tc[r * h + j] = t;
                out[r * 2 * h + j] = o * t;
                out[r * 2 * h + h + j] = cn;
            }
        }
    }

    private static void lstmForwardD(
            double[] g, int go, double[] c, int co, double[] out, double[] acts, double[] tc, int b, int h) {
        for (int r = 0; r < b; r++) {
            int gr = go + r * 4 * h;
            int ar = r * 4 * h;
            for (int j = 0; j < h; j++) {
                double i = sig(g[gr + j]);
                double f = sig(g[gr + h + j]);
                double gg = Math.tanh(g[gr + 2 * h + j]);
                double o = sig(g[gr + 3 * h + j]);
                double cn = f * c[co + r * h + j] + i * gg;
                double t = Math.tanh(cn);
                acts[ar + j] = i;
                acts[ar + h + j] = f;
                acts[ar + 2 * h + j] = gg;
                acts[ar + 3 * h + j] = o;
                tc[r * h + j] = t;
                out[r * 2 * h + j] = o * t;
                out[r * 2 * h + h + j] = cn;
            }
        }
    }

    private static void lstmBackwardF(
            float[] gout, int goff, float[] acts, float[] tc, float[] c, int co, float[] dg, float[] dc, int b, int h) {
        for (int r = 0; r < b; r++) {
            int ar = r * 4 * h;
            for (int j = 0; j < h; j++) {
                float dh = gout[goff + r * 2 * h + j];
                float dcn = gout[goff + r * 2 * h + h + j];
                float i = acts[ar + j];
                float f = acts[ar + h + j];
                float gg = acts[ar + 2 * h + j];
                float o = acts[ar + 3 * h + j];
                float t = tc[r * h + j];
                // c' = f c + i g ; h' = o tanh(c')
                float dct = dcn + dh * o * (1 - t * t);
                dg[ar + j] = dct * gg * i * (1 - i);
                dg[ar + h + j] = dct * c[co + r * h + j] * f * (1 - f);
                dg[ar + 2 * h + j] = dct * i * (1 - gg * gg);
                dg[ar + 3 * h + j] = dh * t * o * (1 - o);
                dc[r * h + j] = dct * f;
            }
        }
    }

    private static void lstmBackwardD(
            double[] gout,
            int goff,
            double[] acts,
            double[] tc,
            double[] c,
            int co,
            double[] dg,
            double[] dc,
            int b,
            int h) {
        for (int r = 0; r < b; r++) {
            int ar = r * 4 * h;
            for (int j = 0; j < h; j++) {
                double dh = gout[goff + r * 2 * h + j];
                double dcn = gout[goff + r * 2 * h + h + j];
                double i = acts[ar + j];
                double f = acts[ar + h + j];
                double gg = acts[ar + 2 * h + j];
                double o = acts[ar + 3 * h + j];
                double t = tc[r * h + j];
                double dct = dcn + dh * o * (1 - t * t);
                dg[ar + j] = dct * gg * i * (1 - i);
                dg[ar + h + j] = dct * c[co + r * h + j] * f * (1 - f);
                dg[ar + 2 * h + j] = dct * i * (1 - gg * gg);
                dg[ar + 3 * h + j] = dh * t * o * (1 - o);
                dc[r * h + j] = dct * f;
            }
        }
    }

    /**
     * GRU cell, PyTorch gate order (r, z, n): xg (B, 3H) = {@code x W_ih^T + b_ih}, hg (B, 3H) =
     * {@code h W_hh^T + b_hh}, h (B, H). Returns h' = (1 - z) n + z h with
     * n = tanh(xg_n + r * hg_n).
     */
    static Variable gruCell(Variable xg, Variable hg, Variable hPrev) {
        int[] xs = xg.shape();
        int[] hs = hg.shape();
        int[] ps = hPrev.shape();
        if (xs.length != 2
                || hs.length != 2
                || ps.length != 2
                || xs[0] != ps[0]
                || hs[0] != ps[0]
                || xs[1] != 3 * ps[1]
                || hs[1] != 3 * ps[1]) {
            throw new IllegalArgumentException(
                    "gruCell: expected input gates (B, 3H), hidden gates (B, 3H) and h (B, H), got " + Shape.format(xs)
                            + ", " + Shape.format(hs) + " and " + Shape.format(ps));
        }
        PointwiseOps.sameDtype("gruCell", xg, hg);
        PointwiseOps.sameDtype("gruCell", xg, hPrev);
        int b = ps[0];
        int h = ps[1];
        double[] x = xg.data().toDoubleArray();
        double[] hgv = hg.data().toDoubleArray();
        double[] hp = hPrev.data().toDoubleArray();
        double[] out = new double[b * h];
        double[] acts = new double[b * 3 * h]; // r, z, n
        for (int r0 = 0; r0 < b; r0++) {
            for (int j = 0; j < h; j++) {
                int g3 = r0 * 3 * h;
                double rr = sig(x[g3 + j] + hgv[g3 + j]);
                double z = sig(x[g3 + h + j] + hgv[g3 + h + j]);
                double nn = Math.tanh(x[g3 + 2 * h + j] + rr * hgv[g3 + 2 * h + j]);
                acts[g3 + j] = rr;
                acts[g3 + h + j] = z;
                acts[g3 + 2 * h + j] = nn;
                out[r0 * h + j] = (1 - z) * nn + z * hp[r0 * h + j];
            }
        }
        DType dt = xg.dtype();
        Tensor res = Tensor.of(out, b, h).to(dt);
        return record(
                "gruCell",
                res,
                0,
                (node, grad) -> {
                    if (Graph.recording()) {
                        return Graph.composedGradient(
                                new Variable[] {node.input(0), node.input(1), node.input(2)},
                                grad,
                                v -> composedGru(v[0], v[1], v[2], h));
                    }
                    double[] gh = grad.data().toDoubleArray();
                    double[] dx = new double[b * 3 * h];
                    double[] dhg = new double[b * 3 * h];
                    double[] dh = new double[b * h];
                    for (int r0 = 0; r0 < b; r0++) {
                        for (int j = 0; j < h; j++) {
                            int g3 = r0 * 3 * h;
                            double rr = acts[g3 + j];
                            double z = acts[g3 + h + j];
                            double nn = acts[g3 + 2 * h + j];
                            double d = gh[r0 * h + j];
                            double dn = d * (1 - z) * (1 - nn * nn);
                            double dz = d * (hp[r0 * h + j] - nn) * z * (1 - z);
                            double dr = dn * hgv[g3 + 2 * h + j] * rr * (1 - rr);
                            dx[g3 + j] = dr;
                            dx[g3 + h + j] = dz;
                            dx[g3 + 2 * h + j] = dn;
                            dhg[g3 + j] = dr;
                            dhg[g3 + h + j] = dz;
                            dhg[g3 + 2 * h + j] = dn * rr;
                            dh[r0 * h + j] = d * z;
                        }
                    }
                    return new Variable[] {
                        Variable.constant(Tensor.of(dx, b, 3 * h).to(dt)),
                        Variable.constant(Tensor.of(dhg, b, 3 * h).to(dt)),
                        Variable.constant(Tensor.of(dh, b, h).to(dt))
                    };
                },
                xg,
                hg,
                hPrev);
    }
}
