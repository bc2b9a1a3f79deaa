package io.jgrad.layers;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.Parallel;

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
 * (higher-order gradients), the engine differentiates {@link #composed} instead, the same scan
 * written step by step with differentiable operations, so the layer is differentiable at every order.
 */
final class RecurrentScan extends Function {
    /** The recurrent cell. */
    enum Kind {
        /** {@code h' = tanh(xp + h W_hh^T)}. */
        RNN_TANH(1),
        /** {@code h' = relu(xp + h W_hh^T)}. */
        RNN_RELU(1),
        /** PyTorch's LSTM. */
        LSTM(4),
        /** PyTorch's GRU. */
        GRU(3);

        /** Gates per hidden unit. */
        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

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
    static Variable run(Kind kind, boolean reverse, boolean[] real, Tensor dropMask, Variable xp, Variable whh,
            Variable h0, Variable extra) {
        int t = xp.size(0);
        int b = xp.size(1);
        int h = h0.size(1);
        if (xp.dim() != 3 || whh.dim() != 2 || h0.dim() != 2 || xp.size(2) != kind.gates * h || h0.size(0) != b
                || whh.size(0) != kind.gates * h || whh.size(1) != h || t == 0) {
            throw new IllegalArgumentException("recurrent scan: inconsistent shapes xp " + Shape.format(xp.shape()) + ", W_hh "
                    + Shape.format(whh.shape()) + ", h0 " + Shape.format(h0.shape()));
        }
        RecurrentScan fn = of(kind, reverse, real, dropMask);
        return extra == null ? fn.apply(xp, whh, h0) : fn.apply(xp, whh, h0, extra);
    }

    /** The scan as a function, without the shape checks of {@link #run} (tests call it directly). */
    static RecurrentScan of(Kind kind, boolean reverse, boolean[] real, Tensor dropMask) {
        return new RecurrentScan(kind, reverse, real, dropMask == null ? null : dropMask.contiguous());
    }

    /** Rows per task of the per-step element-wise work: at least 16K gate values, else one task. */
    private static int rowGrain(int batch, int gh) {
        return Math.max(1, Math.min(batch, (1 << 14) / Math.max(1, gh)));
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
        // W_hh^T (H, G*H) contiguous, so each step's product reads B without a transposed packing
        Tensor wt = in[1].t().contiguous();
        int steps = xpT.size(0);
        int batch = xpT.size(1);
        int gh = xpT.size(2);
        int hid = in[2].size(1);
        boolean lstm = kind == Kind.LSTM;
        boolean gru = kind == Kind.GRU;
        Ops ops = Ops.of(xpT.dtype());
        int bh = batch * hid;
        Object gates = ops.alloc(steps * batch * gh); // (T, B, GH): pre-activations, then activations
        Object hprev = ops.alloc(steps * bh);         // (T, B, H): the state entering each time step
        Object cprev = lstm ? ops.alloc(steps * bh) : null;
        Object aux = lstm || gru ? ops.alloc(steps * bh) : null; // LSTM: tanh(c'), GRU: h W_hn^T + b_hn
        Tensor out = Tensor.zeros(xpT.dtype(), steps + (lstm ? 2 : 1), batch, hid);
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
        int grain = rowGrain(batch, gh);
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int ht = t * bh;
            System.arraycopy(h, 0, hprev, ht, bh);
            if (lstm) {
                System.arraycopy(c, 0, cprev, ht, bh);
            }
            if (dm != null) {
                ops.mul(h, 0, dm, 0, hin, 0, bh);
            }
            int gt = t * batch * gh;
            for (int b = 0; b < batch; b++) {
                System.arraycopy(xp, xo + t * xst + b * xsb, gates, gt + b * gh, gh);
            }
            if (gru) {
                Object bias = ops.data(bhh);
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(bias, bhh.offset(), hg, b * gh, gh);
                }
                ops.gemm(false, false, batch, gh, hid, hin, 0, hid, wa, wt.offset(), gh, 1, hg, 0, gh);
            } else {
                ops.gemm(false, false, batch, gh, hid, hin, 0, hid, wa, wt.offset(), gh, 1, gates, gt, gh);
            }
            // rows are independent: split them over the threads when there is enough work
            Parallel.forRange(batch, grain, (from, to) -> {
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
            });
        }
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
        Ops ops = Ops.of(dt);
        Object gates = ctx.get("gates");
        Object hprev = ctx.get("hprev");
        Object cprev = ctx.get("cprev");
        Object aux = ctx.get("aux");
        Tensor w = wV.data().contiguous();
        Object wa = ops.data(w);
        Tensor goT = gradOutput.data().contiguous();
        Object go = ops.data(goT);
        int goOff = goT.offset();
        Object dx = ops.alloc(steps * batch * gh);       // d xp: the gates' pre-activation gradients
        Object dhg = gru ? ops.alloc(steps * batch * gh) : dx; // d (h W_hh^T + b_hh)
        Object dh = ops.alloc(bh);
        System.arraycopy(go, goOff + steps * bh, dh, 0, bh);
        Object dc = lstm ? ops.alloc(bh) : null;
        if (lstm) {
            System.arraycopy(go, goOff + (steps + 1) * bh, dc, 0, bh);
        }
        Object dm = dropMask == null ? null : ops.data(dropMask);
        Object tmp = ops.alloc(bh);
        int grain = rowGrain(batch, gh);
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            int ht = t * bh;
            int gt = t * batch * gh;
            boolean any = false;
            for (int b = 0; b < batch && !any; b++) {
                any = isReal(t, b, batch);
            }
            if (!any) {
                continue; // all padding: dh and dc pass through unchanged
            }
            Parallel.forRange(batch, grain, (from, to) -> {
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
            });
            // dh_prev = dhg_t W_hh (times the dropout mask), added to the direct term of real rows
            ops.gemm(false, false, batch, hid, gh, dhg, gt, gh, wa, w.offset(), hid, 0, tmp, 0, hid);
            for (int b = 0; b < batch; b++) {
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
        Variable[] r = new Variable[kind == Kind.LSTM || kind == Kind.GRU ? 4 : 3];
        if (xpV.requiresGrad()) {
            r[0] = Variable.constant(ops.wrap(dx, steps, batch, gh));
        }
        if (wV.requiresGrad()) {
            // dW_hh = sum_t dhg_t^T (h_t * mask): one GEMM over all T * B rows
            Object hin = hprev;
            if (dm != null) {
                hin = ops.alloc(steps * bh);
                for (int t = 0; t < steps; t++) {
                    ops.mul(hprev, t * bh, dm, 0, hin, t * bh, bh);
                }
            }
            Object dw = ops.alloc(gh * hid);
            ops.gemm(true, false, gh, hid, steps * batch, dhg, 0, gh, hin, 0, hid, 0, dw, 0, hid);
            r[1] = Variable.constant(ops.wrap(dw, gh, hid));
        }
        if (ctx.input(2).requiresGrad()) {
            r[2] = Variable.constant(ops.wrap(dh, batch, hid));
        }
        if (lstm && ctx.input(3).requiresGrad()) {
            r[3] = Variable.constant(ops.wrap(dc, batch, hid));
        }
        if (gru && ctx.input(3).requiresGrad()) {
            Object db = ops.alloc(gh);
            for (int row = 0; row < steps * batch; row++) {
                ops.add(dhg, row * gh, db, 0, gh);
            }
            r[3] = Variable.constant(ops.wrap(db, gh));
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
    protected Variable composed(Context ctx, Variable... in) {
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
            Variable xt = xp.select(0, t);                                 // (B, G*H)
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
                    Variable z = xt.narrow(1, hid, hid).add(hg.narrow(1, hid, hid)).sigmoid();
                    Variable n = xt.narrow(1, 2 * hid, hid).add(r.mul(hg.narrow(1, 2 * hid, hid))).tanh();
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

    // ------------------------------------------------------------------------------------------ typed kernels

    /**
     * The typed inner loops: one implementation per floating point type, chosen once per call; the
     * scan above handles arrays as {@code Object} and calls these per row, never per element.
     */
    abstract static class Ops {
        static Ops of(DType dt) {
            if (dt == DType.FLOAT32) {
                return FloatOps.INSTANCE;
            }
            if (dt == DType.FLOAT64) {
                return DoubleOps.INSTANCE;
            }
            throw new IllegalArgumentException("recurrent scan: expected a floating point input, got " + dt);
        }

        abstract Object alloc(int n);

        abstract Object data(Tensor t);

        abstract Tensor wrap(Object a, int... shape);

        /** C = A B (+ C when beta is 1), BLAS-style. */
        abstract void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo, int ldb,
                double beta, Object c, int co, int ldc);

        /** out = a * m. */
        abstract void mul(Object a, int ao, Object m, int mo, Object out, int oo, int n);

        /** dst += src. */
        abstract void add(Object src, int so, Object dst, int d0, int n);

        /** dst += src * m. */
        abstract void addMul(Object src, int so, Object m, int mo, Object dst, int d0, int n);

        /**
         * One LSTM row: gates at g (4H pre-activations, replaced by the activations); c and h at hb
         * updated; tanh(c') into aux at ob; h' into out at ob.
         */
        abstract void lstmForward(Object gates, int g, Object c, Object h, int hb, Object aux, Object out, int ob, int n);

        /**
         * One GRU row: gates at g hold the input gates, hg at hgo the hidden gates; the gates become
         * (r, z, n), aux at ob keeps the hidden n-gate, h at hb and out at ob get h'.
         */
        abstract void gruForward(Object gates, int g, Object hg, int hgo, Object h, int hb, Object aux, Object out, int ob,
                int n);

        /** One plain RNN row: the pre-activations at g become h', copied to h at hb and out at ob. */
        abstract void rnnForward(Object gates, int g, Object h, int hb, Object out, int ob, int n, boolean relu);

        /** LSTM row backward: dh, dc at hb in; dgates into dx at g; dc becomes dc_prev and dh zero. */
        abstract void lstmBackward(Object gates, int g, Object aux, Object cprev, int ob, Object dh, Object dc, int hb,
                Object dx, int n);

        /** GRU row backward: dh at hb in; dx and dhg at g out; dh becomes the direct term dh * z. */
        abstract void gruBackward(Object gates, int g, Object aux, Object hprev, int ob, Object dh, int hb, Object dx,
                Object dhg, int n);

        /** RNN row backward: dh at hb in; the pre-activation gradient into dx at g; dh becomes zero. */
        abstract void rnnBackward(Object gates, int g, Object dh, int hb, Object dx, int n, boolean relu);
    }

    private static final class FloatOps extends Ops {
        static final FloatOps INSTANCE = new FloatOps();
        private final io.jgrad.core.kernel.Kernels k = io.jgrad.core.kernel.KernelProvider.kernels();

        @Override
        Object alloc(int n) {
            return new float[n];
        }

        @Override
        Object data(Tensor t) {
            return t.floatData();
        }

        @Override
        Tensor wrap(Object a, int... shape) {
            return Tensor.wrap((float[]) a, shape);
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int kk, Object a, int ao, int lda, Object b, int bo, int ldb,
                double beta, Object c, int co, int ldc) {
            k.sgemm(ta, tb, m, n, kk, 1f, (float[]) a, ao, lda, (float[]) b, bo, ldb, (float) beta, (float[]) c, co, ldc);
        }

        @Override
        void mul(Object a, int ao, Object m, int mo, Object out, int oo, int n) {
            k.mul((float[]) a, ao, (float[]) m, mo, (float[]) out, oo, n);
        }

        @Override
        void add(Object src, int so, Object dst, int d0, int n) {
            k.axpy(n, 1f, (float[]) src, so, (float[]) dst, d0);
        }

        @Override
        void addMul(Object src, int so, Object m, int mo, Object dst, int d0, int n) {
            float[] s = (float[]) src;
            float[] mm = (float[]) m;
            float[] d = (float[]) dst;
            for (int j = 0; j < n; j++) {
                d[d0 + j] += s[so + j] * mm[mo + j];
            }
        }

        @Override
        void lstmForward(Object gatesO, int g, Object cO, Object hO, int hb, Object auxO, Object outO, int ob, int n) {
            float[] a = (float[]) gatesO;
            float[] c = (float[]) cO;
            float[] h = (float[]) hO;
            float[] tc = (float[]) auxO;
            float[] out = (float[]) outO;
            k.sigmoid(a, g, a, g, 2 * n);          // i, f
            k.tanh(a, g + 2 * n, a, g + 2 * n, n);  // g
            k.sigmoid(a, g + 3 * n, a, g + 3 * n, n); // o
            for (int j = 0; j < n; j++) {
                float cn = a[g + n + j] * c[hb + j] + a[g + j] * a[g + 2 * n + j];
                c[hb + j] = cn;
                tc[ob + j] = cn;
            }
            k.tanh(tc, ob, tc, ob, n);
            for (int j = 0; j < n; j++) {
                float hv = a[g + 3 * n + j] * tc[ob + j];
                h[hb + j] = hv;
                out[ob + j] = hv;
            }
        }

        @Override
        void gruForward(Object gatesO, int g, Object hgO, int hgo, Object hO, int hb, Object auxO, Object outO, int ob,
                int n) {
            float[] a = (float[]) gatesO;
            float[] hg = (float[]) hgO;
            float[] h = (float[]) hO;
            float[] hn = (float[]) auxO;
            float[] out = (float[]) outO;
            k.add(a, g, hg, hgo, a, g, 2 * n);
            k.sigmoid(a, g, a, g, 2 * n); // r, z
            for (int j = 0; j < n; j++) {
                float hv = hg[hgo + 2 * n + j];
                hn[ob + j] = hv;
                a[g + 2 * n + j] += a[g + j] * hv;
            }
            k.tanh(a, g + 2 * n, a, g + 2 * n, n);
            for (int j = 0; j < n; j++) {
                float z = a[g + n + j];
                float hv = (1 - z) * a[g + 2 * n + j] + z * h[hb + j];
                h[hb + j] = hv;
                out[ob + j] = hv;
            }
        }

        @Override
        void rnnForward(Object gatesO, int g, Object hO, int hb, Object outO, int ob, int n, boolean relu) {
            float[] a = (float[]) gatesO;
            if (relu) {
                k.relu(a, g, a, g, n);
            } else {
                k.tanh(a, g, a, g, n);
            }
            System.arraycopy(a, g, hO, hb, n);
            System.arraycopy(a, g, outO, ob, n);
        }

        @Override
        void lstmBackward(Object gatesO, int g, Object auxO, Object cprevO, int ob, Object dhO, Object dcO, int hb,
                Object dxO, int n) {
            float[] a = (float[]) gatesO;
            float[] tc = (float[]) auxO;
            float[] cp = (float[]) cprevO;
            float[] dh = (float[]) dhO;
            float[] dc = (float[]) dcO;
            float[] dx = (float[]) dxO;
            for (int j = 0; j < n; j++) {
                float i = a[g + j];
                float f = a[g + n + j];
                float gg = a[g + 2 * n + j];
                float o = a[g + 3 * n + j];
                float t = tc[ob + j];
                float d = dh[hb + j];
                // c' = f c + i g, h' = o tanh(c')
                float dct = dc[hb + j] + d * o * (1 - t * t);
                dx[g + j] = dct * gg * i * (1 - i);
                dx[g + n + j] = dct * cp[ob + j] * f * (1 - f);
                dx[g + 2 * n + j] = dct * i * (1 - gg * gg);
                dx[g + 3 * n + j] = d * t * o * (1 - o);
                dc[hb + j] = dct * f;
                dh[hb + j] = 0;
            }
        }

        @Override
        void gruBackward(Object gatesO, int g, Object auxO, Object hprevO, int ob, Object dhO, int hb, Object dxO,
                Object dhgO, int n) {
            float[] a = (float[]) gatesO;
            float[] hn = (float[]) auxO;
            float[] hp = (float[]) hprevO;
            float[] dh = (float[]) dhO;
            float[] dx = (float[]) dxO;
            float[] dhg = (float[]) dhgO;
            for (int j = 0; j < n; j++) {
                float r = a[g + j];
                float z = a[g + n + j];
                float nn = a[g + 2 * n + j];
                float d = dh[hb + j];
                // h' = (1 - z) n + z h, n = tanh(x_n + r hn)
                float dn = d * (1 - z) * (1 - nn * nn);
                float dz = d * (hp[ob + j] - nn) * z * (1 - z);
                float dr = dn * hn[ob + j] * r * (1 - r);
                dx[g + j] = dr;
                dx[g + n + j] = dz;
                dx[g + 2 * n + j] = dn;
                dhg[g + j] = dr;
                dhg[g + n + j] = dz;
                dhg[g + 2 * n + j] = dn * r;
                dh[hb + j] = d * z;
            }
        }

        @Override
        void rnnBackward(Object gatesO, int g, Object dhO, int hb, Object dxO, int n, boolean relu) {
            float[] a = (float[]) gatesO;
            float[] dh = (float[]) dhO;
            float[] dx = (float[]) dxO;
            for (int j = 0; j < n; j++) {
                float hv = a[g + j];
                float d = dh[hb + j];
                dx[g + j] = relu ? (hv > 0 ? d : 0) : d * (1 - hv * hv);
                dh[hb + j] = 0;
            }
        }
    }

    private static final class DoubleOps extends Ops {
        static final DoubleOps INSTANCE = new DoubleOps();
        private final io.jgrad.core.kernel.Kernels k = io.jgrad.core.kernel.KernelProvider.kernels();

        @Override
        Object alloc(int n) {
            return new double[n];
        }

        @Override
        Object data(Tensor t) {
            return t.doubleData();
        }

        @Override
        Tensor wrap(Object a, int... shape) {
            return Tensor.wrap((double[]) a, shape);
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int kk, Object a, int ao, int lda, Object b, int bo, int ldb,
                double beta, Object c, int co, int ldc) {
            k.dgemm(ta, tb, m, n, kk, 1, (double[]) a, ao, lda, (double[]) b, bo, ldb, beta, (double[]) c, co, ldc);
        }

        @Override
        void mul(Object a, int ao, Object m, int mo, Object out, int oo, int n) {
            double[] x = (double[]) a;
            double[] mm = (double[]) m;
            double[] o = (double[]) out;
            for (int j = 0; j < n; j++) {
                o[oo + j] = x[ao + j] * mm[mo + j];
            }
        }

        @Override
        void add(Object src, int so, Object dst, int d0, int n) {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int j = 0; j < n; j++) {
                d[d0 + j] += s[so + j];
            }
        }

        @Override
        void addMul(Object src, int so, Object m, int mo, Object dst, int d0, int n) {
            double[] s = (double[]) src;
            double[] mm = (double[]) m;
            double[] d = (double[]) dst;
            for (int j = 0; j < n; j++) {
                d[d0 + j] += s[so + j] * mm[mo + j];
            }
        }

        private static double sigmoid(double x) {
            return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }

        @Override
        void lstmForward(Object gatesO, int g, Object cO, Object hO, int hb, Object auxO, Object outO, int ob, int n) {
            double[] a = (double[]) gatesO;
            double[] c = (double[]) cO;
            double[] h = (double[]) hO;
            double[] tc = (double[]) auxO;
            double[] out = (double[]) outO;
            for (int j = 0; j < n; j++) {
                double i = sigmoid(a[g + j]);
                double f = sigmoid(a[g + n + j]);
                double gg = Math.tanh(a[g + 2 * n + j]);
                double o = sigmoid(a[g + 3 * n + j]);
                a[g + j] = i;
                a[g + n + j] = f;
                a[g + 2 * n + j] = gg;
                a[g + 3 * n + j] = o;
                double cn = f * c[hb + j] + i * gg;
                double t = Math.tanh(cn);
                c[hb + j] = cn;
                tc[ob + j] = t;
                h[hb + j] = o * t;
                out[ob + j] = o * t;
            }
        }

        @Override
        void gruForward(Object gatesO, int g, Object hgO, int hgo, Object hO, int hb, Object auxO, Object outO, int ob,
                int n) {
            double[] a = (double[]) gatesO;
            double[] hg = (double[]) hgO;
            double[] h = (double[]) hO;
            double[] hn = (double[]) auxO;
            double[] out = (double[]) outO;
            for (int j = 0; j < n; j++) {
                double r = sigmoid(a[g + j] + hg[hgo + j]);
                double z = sigmoid(a[g + n + j] + hg[hgo + n + j]);
                double hv = hg[hgo + 2 * n + j];
                double nn = Math.tanh(a[g + 2 * n + j] + r * hv);
                a[g + j] = r;
                a[g + n + j] = z;
                a[g + 2 * n + j] = nn;
                hn[ob + j] = hv;
                double hnew = (1 - z) * nn + z * h[hb + j];
                h[hb + j] = hnew;
                out[ob + j] = hnew;
            }
        }

        @Override
        void rnnForward(Object gatesO, int g, Object hO, int hb, Object outO, int ob, int n, boolean relu) {
            double[] a = (double[]) gatesO;
            for (int j = 0; j < n; j++) {
                double v = a[g + j];
                a[g + j] = relu ? (v > 0 ? v : 0) : Math.tanh(v);
            }
            System.arraycopy(a, g, hO, hb, n);
            System.arraycopy(a, g, outO, ob, n);
        }

        @Override
        void lstmBackward(Object gatesO, int g, Object auxO, Object cprevO, int ob, Object dhO, Object dcO, int hb,
                Object dxO, int n) {
            double[] a = (double[]) gatesO;
            double[] tc = (double[]) auxO;
            double[] cp = (double[]) cprevO;
            double[] dh = (double[]) dhO;
            double[] dc = (double[]) dcO;
            double[] dx = (double[]) dxO;
            for (int j = 0; j < n; j++) {
                double i = a[g + j];
                double f = a[g + n + j];
                double gg = a[g + 2 * n + j];
                double o = a[g + 3 * n + j];
                double t = tc[ob + j];
                double d = dh[hb + j];
                double dct = dc[hb + j] + d * o * (1 - t * t);
                dx[g + j] = dct * gg * i * (1 - i);
                dx[g + n + j] = dct * cp[ob + j] * f * (1 - f);
                dx[g + 2 * n + j] = dct * i * (1 - gg * gg);
                dx[g + 3 * n + j] = d * t * o * (1 - o);
                dc[hb + j] = dct * f;
                dh[hb + j] = 0;
            }
        }

        @Override
        void gruBackward(Object gatesO, int g, Object auxO, Object hprevO, int ob, Object dhO, int hb, Object dxO,
                Object dhgO, int n) {
            double[] a = (double[]) gatesO;
            double[] hn = (double[]) auxO;
            double[] hp = (double[]) hprevO;
            double[] dh = (double[]) dhO;
            double[] dx = (double[]) dxO;
            double[] dhg = (double[]) dhgO;
            for (int j = 0; j < n; j++) {
                double r = a[g + j];
                double z = a[g + n + j];
                double nn = a[g + 2 * n + j];
                double d = dh[hb + j];
                double dn = d * (1 - z) * (1 - nn * nn);
                double dz = d * (hp[ob + j] - nn) * z * (1 - z);
                double dr = dn * hn[ob + j] * r * (1 - r);
                dx[g + j] = dr;
                dx[g + n + j] = dz;
                dx[g + 2 * n + j] = dn;
                dhg[g + j] = dr;
                dhg[g + n + j] = dz;
                dhg[g + 2 * n + j] = dn * r;
                dh[hb + j] = d * z;
            }
        }

        @Override
        void rnnBackward(Object gatesO, int g, Object dhO, int hb, Object dxO, int n, boolean relu) {
            double[] a = (double[]) gatesO;
            double[] dh = (double[]) dhO;
            double[] dx = (double[]) dxO;
            for (int j = 0; j < n; j++) {
                double hv = a[g + j];
                double d = dh[hb + j];
                dx[g + j] = relu ? (hv > 0 ? d : 0) : d * (1 - hv * hv);
                dh[hb + j] = 0;
            }
        }
    }
}
