package io.jgrad.autograd.fused;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.FloatGemmDriver;
import io.jgrad.core.kernel.Parallel;
import io.jgrad.core.kernel.RecurrentRows;
import io.jgrad.core.kernel.ScratchPool;

/**
 * One direction of one recurrent layer over a whole sequence, as a single differentiable operation.
 *
 * <p>The input projections {@code xp = x W_ih^T + b} of all time steps are computed before, in one
 * GEMM, by the caller. Each step then costs one small GEMM {@code h W_hh^T} (B x GH x H) into a
 * preallocated gate buffer and one fused pass over the gates; nothing is recorded per step. The
 * backward runs the recurrence in reverse with one GEMM per step for {@code dh_prev = dgates W_hh}
 * and computes {@code dW_hh} in a single GEMM over all steps at the end.
 *
 * <p>Inputs: {@code xp (T, B, G*H)} in time order; {@code W_hh (G*H, H)}; {@code h0 (B, H)}; then
 * {@code c0 (B, H)} for an LSTM or {@code b_hh (G*H)} for a GRU (whose {@code b_hn} sits inside the
 * reset gate product, so it cannot be folded into {@code xp}; for the other cells the caller adds
 * {@code b_hh} to the projection bias). Gate orders are PyTorch's: LSTM (i, f, g, o), GRU (r, z, n).
 *
 * <p>The output packs the step outputs and the final states: {@code (T + 1, B, H)} holds
 * {@code h_t} for each time t then {@code h_N}; an LSTM's {@code (T + 2, B, H)} adds {@code c_N}.
 *
 * <p>Variable lengths: where {@code real[t * B + b]} is false the step is padding: the state is
 * carried unchanged, the output is zero, and no gradient flows through the step's gates. So a
 * padded step changes nothing, in either direction: a reverse scan over a right-padded sequence
 * starts at its own last real step with the initial state.
 *
 * <p>Recurrent dropout (Gal and Ghahramani): when {@code dropMask (B, H)} is given, the recurrent
 * product uses {@code (h * dropMask) W_hh^T} at every step (one mask for the whole sequence).
 *
 * <p>Gradients: the fused backward above serves the first-order path. While a backward pass records
 * (higher-order gradients), the engine differentiates {@link #composedForward} instead, the same scan
 * written step by step with differentiable operations, so the layer is differentiable at every order.
 */
public final class RecurrentScan extends FusedFunction {
    /** The recurrent cell. */
    public enum Kind {
        /** {@code h' = tanh(xp + h W_hh^T)}. */
        RNN_TANH(1),
        /** {@code h' = relu(xp + h W_hh^T)}. */
        RNN_RELU(1),
        /** PyTorch's LSTM. */
        LSTM(4),
        /** PyTorch's GRU. */
        GRU(3);

        /** Gates per hidden unit. */
        public final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    /** The context keys of the forward's saved buffers. */
    private static final String[] SAVED = {"gates", "hprev", "cprev", "aux"};

    private final Kind kind;
    private final boolean reverse;
    /** (T * B) true where the step is real; null when every step is. */
    private final boolean[] real;
    /** (B, H) recurrent dropout mask, contiguous, of the inputs' dtype; or null. */
    private final Tensor dropMask;

    private RecurrentScan(Kind kind, boolean reverse, boolean[] real, Tensor dropMask) {
        super(kind == Kind.LSTM ? "lstmScan" : kind == Kind.GRU ? "gruScan" : "rnnScan");
        this.kind = kind;
        this.reverse = reverse;
        this.real = real;
        this.dropMask = dropMask;
    }

    /**
     * Runs the scan.
     *
     * @param kind the cell
     * @param reverse process time steps from last to first
     * @param real (T * B) flags of real steps, or null
     * @param dropMask (B, H) recurrent dropout mask, or null
     * @param xp (T, B, G*H) input projections
     * @param whh (G*H, H) recurrent weight
     * @param h0 (B, H) initial state
     * @param extra c0 (B, H) for an LSTM, b_hh (G*H) for a GRU, null otherwise
     * @return the packed output (T + 1 or T + 2, B, H)
     */
    public static Variable run(
            Kind kind,
            boolean reverse,
            boolean[] real,
            Tensor dropMask,
            Variable xp,
            Variable whh,
            Variable h0,
            Variable extra) {
        int t = xp.size(0);
        int b = xp.size(1);
        int h = h0.size(1);
        if (xp.dim() != 3
                || whh.dim() != 2
                || h0.dim() != 2
                || xp.size(2) != kind.gates * h
                || h0.size(0) != b
                || whh.size(0) != kind.gates * h
                || whh.size(1) != h
                || t == 0) {
            throw new IllegalArgumentException("recurrent scan: inconsistent shapes xp " + Shape.format(xp.shape())
                    + ", W_hh " + Shape.format(whh.shape()) + ", h0 " + Shape.format(h0.shape()));
        }
        RecurrentScan fn = of(kind, reverse, real, dropMask);
        return extra == null ? fn.apply(xp, whh, h0) : fn.apply(xp, whh, h0, extra);
    }

    /** The scan as a function, without the shape checks of {@link #run} (tests call it directly). */
    public static RecurrentScan of(Kind kind, boolean reverse, boolean[] real, Tensor dropMask) {
        return new RecurrentScan(kind, reverse, real, dropMask == null ? null : dropMask.contiguous());
    }

    /**
     * Rows per thread when a scan splits its batch: each thread then runs every time step on its own rows
     * (a row's GEMM values do not depend on how many rows the product has, so the bits are those of one
     * thread). Splitting each step's GEMM and cell pass instead cost two joins of the thread pool per
     * step, a few microseconds each against 20-50 us of work. At least 4 rows per thread (fewer would run
     * as matrix-vector products with no B reuse), and one thread when the whole scan has fewer than about
     * a million multiply-adds.
     */
    static int rowChunk(int steps, int batch, int gh, int hid) {
        long work = (long) steps * batch * gh * hid;
        return work < (1L << 20) ? Math.max(1, batch) : Math.min(batch, 4);
    }

    /**
     * op(W) (k x n) packed once for every time step's product when the batch is multiplied in register
     * tiles; null for a batch under {@link FloatGemmDriver#GEMV_ROWS}, whose products read W in place.
     * Packing it at each step cost 5-7% of an LSTM's training step.
     */
    private static Object packedWeight(
            RecurrentRows ops, int batch, boolean trans, int k, int n, Object w, int wo, int ldw) {
        return batch >= FloatGemmDriver.GEMV_ROWS ? ops.packB(trans, k, n, w, wo, ldw) : null;
    }

    /**
     * C[rows, n] = A[rows, k] op(W) (+ C when beta is 1), A's and C's rows contiguous: from the packed
     * weight when there is one.
     */
    private static void recurrentProduct(
            RecurrentRows ops,
            Object wp,
            boolean trans,
            int rows,
            int n,
            int k,
            Object a,
            int ao,
            Object w,
            int wo,
            int ldw,
            double beta,
            Object c,
            int co) {
        if (wp != null) {
            ops.gemmPacked(rows, a, ao, k, wp, beta, c, co, n);
        } else {
            ops.gemm(false, trans, rows, n, k, a, ao, k, w, wo, ldw, beta, c, co, n);
        }
    }

    private boolean isReal(int t, int b, int batch) {
        return real == null || real[t * batch + b];
    }

    // ------------------------------------------------------------------------------------------ forward

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor xpT = in[0];
        if (xpT.strides()[2] != 1) {
            xpT = xpT.contiguous();
        }
        int steps = xpT.size(0);
        int batch = xpT.size(1);
        // Each step multiplies h (B, H) by W_hh^T. With a batch that the GEMM multiplies in register tiles,
        // W_hh^T is packed once for all the steps (see packedWeight). Below the GEMM's matrix-vector size
        // (a batch of 1 to 3: inference, generation) the products read W_hh in place: as W_hh^T when it
        // is stored input-major (Inference.optimize), else as dot products along the rows of W_hh (G*H, H).
        Tensor whhT = in[1].t();
        boolean transposed = whhT.isContiguous();
        Tensor wt = transposed ? whhT : in[1].contiguous();
        int ldw = wt.size(1); // GH when transposed, else H
        int gh = xpT.size(2);
        int hid = in[2].size(1);
        boolean lstm = kind == Kind.LSTM;
        boolean gru = kind == Kind.GRU;
        RecurrentRows ops = RecurrentRows.of(xpT.dtype());
        int bh = batch * hid;
        // The saved buffers come from the scratch pool and go back to it in release (after the backward):
        // every entry that the backward reads is written below (aux only on real steps, the only ones
        // whose gates the backward visits).
        Object gates = ops.take(steps * batch * gh); // (T, B, GH): pre-activations, then activations
        Object hprev = ops.take(steps * bh); // (T, B, H): the state entering each time step
        Object cprev = lstm ? ops.take(steps * bh) : null;
        Object aux = lstm || gru ? ops.take(steps * bh) : null; // LSTM: tanh(c'), GRU: h W_hn^T + b_hn
        int[] outShape = {steps + (lstm ? 2 : 1), batch, hid};
        // padded steps output zeros by leaving them unwritten; otherwise every entry is written
        Tensor out = real != null ? Tensor.zeros(xpT.dtype(), outShape) : Tensor.empty(xpT.dtype(), outShape);
        Object o = ops.data(out);
        Object h = ops.data(in[2].contiguous().clone());
        Object c = lstm ? ops.data(in[3].contiguous().clone()) : null;
        Object dm = dropMask == null ? null : ops.data(dropMask);
        Object hin = dm != null ? ops.alloc(bh) : h;
        Object hg = gru ? ops.alloc(batch * gh) : null;
        Tensor bhh = gru ? in[3].contiguous() : null;
        Object xp = ops.data(xpT);
        int xo = xpT.offset();
        int xst = xpT.strides()[0];
        int xsb = xpT.strides()[1];
        Object wa = ops.data(wt);
        Object wp = packedWeight(ops, batch, !transposed, hid, gh, wa, wt.offset(), ldw);
        // The rows of a batch are independent: each thread runs the whole scan on its own rows, with no
        // synchronization per time step (see rowChunk).
        Parallel.forRange(batch, rowChunk(steps, batch, gh, hid), (from, to) -> {
            int rows = to - from;
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s;
                int ht = t * bh;
                int r0 = from * hid;
                System.arraycopy(h, r0, hprev, ht + r0, rows * hid);
                if (lstm) {
                    System.arraycopy(c, r0, cprev, ht + r0, rows * hid);
                }
                if (dm != null) {
                    ops.mul(h, r0, dm, r0, hin, r0, rows * hid);
                }
                int gt = t * batch * gh;
                for (int b = from; b < to; b++) {
                    System.arraycopy(xp, xo + t * xst + b * xsb, gates, gt + b * gh, gh);
                }
                if (gru) {
                    Object bias = ops.data(bhh);
                    for (int b = from; b < to; b++) {
                        System.arraycopy(bias, bhh.offset(), hg, b * gh, gh);
                    }
                }
                // h W_hh^T: into the GRU's separate hidden gates (after b_hh), else added to the input's
                recurrentProduct(
                        ops,
                        wp,
                        !transposed,
                        rows,
                        gh,
                        hid,
                        hin,
                        r0,
                        wa,
                        wt.offset(),
                        ldw,
                        1,
                        gru ? hg : gates,
                        gru ? from * gh : gt + from * gh);
                for (int b = from; b < to; b++) {
                    if (!isReal(t, b, batch)) {
                        continue; // padding: state carried, output stays zero
                    }
                    int g = gt + b * gh;
                    int hb = b * hid;
                    int ob = ht + hb;
                    switch (kind) {
                        case LSTM:
                            ops.lstmForward(gates, g, c, h, hb, aux, o, ob, hid);
                            break;
                        case GRU:
                            ops.gruForward(gates, g, hg, b * gh, h, hb, aux, o, ob, hid);
                            break;
                        default:
                            ops.rnnForward(gates, g, h, hb, o, ob, hid, kind == Kind.RNN_RELU);
                    }
                }
            }
        });
        ops.releasePacked(wp); // packed for this scan alone
        System.arraycopy(h, 0, o, steps * bh, bh);
        if (lstm) {
            System.arraycopy(c, 0, o, (steps + 1) * bh, bh);
        }
        ctx.put("gates", gates);
        ctx.put("hprev", hprev);
        ctx.put("cprev", cprev);
        ctx.put("aux", aux);
        return out;
    }

    /** Gives the forward's saved buffers back to the scratch pool: they never leave this function. */
    @Override
    protected void release(Context ctx) {
        for (String key : SAVED) {
            ScratchPool.give(ctx.get(key));
        }
    }

    // ------------------------------------------------------------------------------------------ backward

    @Override
    protected Variable[] backward(Context ctx, Variable gradOutput) {
        Variable xpV = ctx.input(0);
        Variable wV = ctx.input(1);
        int steps = xpV.size(0);
        int batch = xpV.size(1);
        int gh = xpV.size(2);
        int hid = ctx.input(2).size(1);
        int bh = batch * hid;
        boolean lstm = kind == Kind.LSTM;
        boolean gru = kind == Kind.GRU;
        DType dt = xpV.dtype();
        RecurrentRows ops = RecurrentRows.of(dt);
        Object gates = ctx.get("gates");
        Object hprev = ctx.get("hprev");
        Object cprev = ctx.get("cprev");
        Object aux = ctx.get("aux");
        Tensor w = wV.data().contiguous();
        Object wa = ops.data(w);
        Tensor goT = gradOutput.data().contiguous();
        Object go = ops.data(goT);
        int goOff = goT.offset();
        // d xp, the gates' pre-activation gradients: every entry written unless padded steps skip some.
        // The gradients returned are tensors of the engine's making, so that it can recycle them.
        Tensor dxT = real != null ? Tensor.zeros(dt, steps, batch, gh) : Tensor.empty(dt, steps, batch, gh);
        Object dx = ops.data(dxT);
        // d (h W_hh^T + b_hh); a GRU's is private (pooled), zeroed where padded steps leave it unwritten
        Object dhg = !gru ? dx : real != null ? ops.alloc(steps * batch * gh) : ops.take(steps * batch * gh);
        Tensor dhT = Tensor.empty(dt, batch, hid);
        Object dh = ops.data(dhT);
        System.arraycopy(go, goOff + steps * bh, dh, 0, bh);
        Tensor dcT = lstm ? Tensor.empty(dt, batch, hid) : null;
        Object dc = lstm ? ops.data(dcT) : null;
        if (lstm) {
            System.arraycopy(go, goOff + (steps + 1) * bh, dc, 0, bh);
        }
        Object dm = dropMask == null ? null : ops.data(dropMask);
        Object tmp = ops.alloc(bh);
        Object wp = packedWeight(ops, batch, false, gh, hid, wa, w.offset(), hid);
        Parallel.forRange(batch, rowChunk(steps, batch, gh, hid), (from, to) -> {
            int rows = to - from;
            for (int s = steps - 1; s >= 0; s--) {
                int t = reverse ? steps - 1 - s : s;
                int ht = t * bh;
                int gt = t * batch * gh;
                boolean any = false;
                for (int b = from; b < to && !any; b++) {
                    any = isReal(t, b, batch);
                }
                if (!any) {
                    continue; // all padding: dh and dc pass through unchanged
                }
                for (int b = from; b < to; b++) {
                    if (!isReal(t, b, batch)) {
                        continue; // padding: dh and dc pass through to the previous step unchanged
                    }
                    int g = gt + b * gh;
                    int hb = b * hid;
                    int ob = ht + hb;
                    ops.add(go, goOff + ob, dh, hb, hid);
                    switch (kind) {
                        case LSTM:
                            ops.lstmBackward(gates, g, aux, cprev, ob, dh, dc, hb, dx, hid);
                            break;
                        case GRU:
                            ops.gruBackward(gates, g, aux, hprev, ob, dh, hb, dx, dhg, hid);
                            break;
                        default:
                            ops.rnnBackward(gates, g, dh, hb, dx, hid, kind == Kind.RNN_RELU);
                    }
                }
                // dh_prev = dhg_t W_hh (times the dropout mask), added to the direct term of real rows
                recurrentProduct(
                        ops, wp, false, rows, hid, gh, dhg, gt + from * gh, wa, w.offset(), hid, 0, tmp, from * hid);
                for (int b = from; b < to; b++) {
                    if (isReal(t, b, batch)) {
                        int hb = b * hid;
                        if (dm != null) {
                            ops.addMul(tmp, hb, dm, hb, dh, hb, hid);
                        } else {
                            ops.add(tmp, hb, dh, hb, hid);
                        }
                    }
                }
            }
        });
        ops.releasePacked(wp);
        Variable[] r = new Variable[kind == Kind.LSTM || kind == Kind.GRU ? 4 : 3];
        if (xpV.requiresGrad()) {
            r[0] = Variable.constant(dxT);
        }
        if (wV.requiresGrad()) {
            // dW_hh = sum_t dhg_t^T (h_t * mask): one GEMM over all T * B rows
            Object hin = hprev;
            if (dm != null) {
                hin = ops.take(steps * bh);
                for (int t = 0; t < steps; t++) {
                    ops.mul(hprev, t * bh, dm, 0, hin, t * bh, bh);
                }
            }
            Tensor dwT = Tensor.empty(dt, gh, hid); // the product overwrites it
            ops.gemm(true, false, gh, hid, steps * batch, dhg, 0, gh, hin, 0, hid, 0, ops.data(dwT), 0, hid);
            r[1] = Variable.constant(dwT);
            if (hin != hprev) {
                ops.give(hin);
            }
        }
        if (ctx.input(2).requiresGrad()) {
            r[2] = Variable.constant(dhT);
        }
        if (lstm && ctx.input(3).requiresGrad()) {
            r[3] = Variable.constant(dcT);
        }
        if (gru && ctx.input(3).requiresGrad()) {
            Tensor dbT = Tensor.zeros(dt, gh);
            Object db = ops.data(dbT);
            for (int row = 0; row < steps * batch; row++) {
                ops.add(dhg, row * gh, db, 0, gh);
            }
            r[3] = Variable.constant(dbT);
        }
        if (gru) {
            ops.give(dhg);
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------ composed

    /**
     * The same scan written as a loop over the time steps of differentiable variable operations, for
     * the second-order path (used only while a backward pass records). The padding flags and the
     * recurrent dropout mask are the ones the forward used, as constants; padded rows carry the state
     * unchanged and output zeros, exactly as the fused forward does.
     */
    @Override
    public Variable composedForward(Variable... in) {
        Variable xp = in[0];
        Variable whhT = in[1].t(); // (H, G*H)
        Variable h = in[2];
        Variable c = kind == Kind.LSTM ? in[3] : null;
        Variable bhh = kind == Kind.GRU ? in[3] : null;
        int steps = xp.size(0);
        int batch = xp.size(1);
        int hid = h.size(1);
        DType dt = xp.dtype();
        Variable mask = dropMask == null ? null : Variable.constant(dropMask);
        Variable zeros = Variable.constant(Tensor.zeros(dt, batch, hid));
        Variable[] outs = new Variable[steps];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int nReal = 0;
            for (int b = 0; b < batch; b++) {
                nReal += isReal(t, b, batch) ? 1 : 0;
            }
            if (nReal == 0) {
                outs[t] = zeros; // all padding: state carried, output zero
                continue;
            }
            Variable rec = (mask != null ? h.mul(mask) : h).matmul(whhT); // (B, G*H)
            Variable xt = xp.select(0, t); // (B, G*H)
            Variable hn;
            Variable cn = null;
            switch (kind) {
                case LSTM: {
                    Variable gates = xt.add(rec);
                    Variable ig = gates.narrow(1, 0, hid).sigmoid();
                    Variable fg = gates.narrow(1, hid, hid).sigmoid();
                    Variable gg = gates.narrow(1, 2 * hid, hid).tanh();
                    Variable og = gates.narrow(1, 3 * hid, hid).sigmoid();
                    cn = fg.mul(c).add(ig.mul(gg));
                    hn = og.mul(cn.tanh());
                    break;
                }
                case GRU: {
                    Variable hg = rec.add(bhh);
                    Variable r = xt.narrow(1, 0, hid).add(hg.narrow(1, 0, hid)).sigmoid();
                    Variable z =
                            xt.narrow(1, hid, hid).add(hg.narrow(1, hid, hid)).sigmoid();
                    Variable n = xt.narrow(1, 2 * hid, hid)
                            .add(r.mul(hg.narrow(1, 2 * hid, hid)))
                            .tanh();
                    hn = n.add(z.mul(h.sub(n)));
                    break;
                }
                default: {
                    Variable pre = xt.add(rec);
                    hn = kind == Kind.RNN_RELU ? pre.relu() : pre.tanh();
                }
            }
            if (nReal == batch) {
                h = hn;
                c = cn;
                outs[t] = hn;
            } else {
                // (B, 1) flags of this step's real rows: padded rows keep the state and output zero
                Tensor rowReal = Tensor.zeros(dt, batch, 1);
                for (int b = 0; b < batch; b++) {
                    if (isReal(t, b, batch)) {
                        rowReal.set(1, b, 0);
                    }
                }
                h = Variable.where(rowReal, hn, h);
                if (cn != null) {
                    c = Variable.where(rowReal, cn, c);
                }
                outs[t] = Variable.where(rowReal, hn, zeros);
            }
        }
        java.util.List<Variable> all = new java.util.ArrayList<>(java.util.List.of(outs));
        all.add(h);
        if (kind == Kind.LSTM) {
            all.add(c);
        }
        return Variable.stack(all, 0);
    }
}
