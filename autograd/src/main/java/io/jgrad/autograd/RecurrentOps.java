package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.RecurrentRows;

/**
 * Fused element-wise parts of the LSTM and GRU cells: one pass over the gates forward, one pass
 * backward, instead of a dozen separate element-wise operations per time step. The passes are the row
 * kernels of the core ({@link RecurrentRows}), the same ones the fused sequence scans run. When the backward pass
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
        RecurrentRows rows = rows("lstmCell", gates.dtype());
        // acts: the gates, replaced row by row by their activations; cn: c, then c'; hn: h'; tc: tanh(c')
        Tensor acts = gates.data().clone();
        Tensor cPrev = c.data().clone();
        Tensor cNew = cPrev.clone();
        Object a = rows.data(acts);
        Object cp = rows.data(cPrev);
        Object cn = rows.data(cNew);
        Object hn = rows.alloc(b * h);
        Object tc = rows.alloc(b * h);
        for (int r = 0; r < b; r++) {
            rows.lstmForward(a, r * 4 * h, cn, hn, r * h, tc, hn, r * h, h);
        }
        // out = [h' | c'] (B, 2H)
        Tensor out = Tensor.zeros(gates.dtype(), b, 2 * h);
        Object o = rows.data(out);
        for (int r = 0; r < b; r++) {
            rows.add(hn, r * h, o, r * 2 * h, h);
            rows.add(cn, r * h, o, r * 2 * h + h, h);
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
                    Object gd = rows.data(go);
                    Object dh = rows.alloc(b * h);
                    Tensor dc = Tensor.zeros(go.dtype(), b, h);
                    Object dcd = rows.data(dc);
                    Tensor dg = Tensor.zeros(go.dtype(), b, 4 * h);
                    Object dgd = rows.data(dg);
                    for (int r = 0; r < b; r++) {
                        rows.add(gd, go.offset() + r * 2 * h, dh, r * h, h);
                        rows.add(gd, go.offset() + r * 2 * h + h, dcd, r * h, h);
                        // dc becomes the gradient of c
                        rows.lstmBackward(a, r * 4 * h, tc, cp, r * h, dh, dcd, r * h, dgd, h);
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

    /** The row kernels of the dtype, or an error naming the op. */
    private static RecurrentRows rows(String op, DType dt) {
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": expected float32 or float64 inputs, got " + dt);
        }
        return RecurrentRows.of(dt);
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
        DType dt = xg.dtype();
        RecurrentRows rows = rows("gruCell", dt);
        // acts: the input gates, replaced row by row by (r, z, n); hh: h, then h'; hn: the hidden n-gate
        Tensor acts = xg.data().clone();
        Tensor hgT = hg.data().contiguous();
        Tensor hpT = hPrev.data().clone();
        Tensor res = hpT.clone();
        Object a = rows.data(acts);
        Object hgd = rows.data(hgT);
        Object hp = rows.data(hpT);
        Object hh = rows.data(res);
        Object hn = rows.alloc(b * h);
        for (int r = 0; r < b; r++) {
            rows.gruForward(a, r * 3 * h, hgd, hgT.offset() + r * 3 * h, hh, r * h, hn, hh, r * h, h);
        }
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
                    // dh becomes the gradient of h: dh * z
                    Tensor dh = grad.data().clone();
                    Tensor dx = Tensor.zeros(dt, b, 3 * h);
                    Tensor dhg = Tensor.zeros(dt, b, 3 * h);
                    Object dhd = rows.data(dh);
                    Object dxd = rows.data(dx);
                    Object dhgd = rows.data(dhg);
                    for (int r = 0; r < b; r++) {
                        rows.gruBackward(a, r * 3 * h, hn, hp, r * h, dhd, r * h, dxd, dhgd, h);
                    }
                    return new Variable[] {Variable.constant(dx), Variable.constant(dhg), Variable.constant(dh)};
                },
                xg,
                hg,
                hPrev);
    }
}
