package io.jgrad.core.kernel;

import io.jgrad.core.Tensor;

/**
 * {@link RecurrentRows} on {@code float[]}.
 *
 * <p>Twin: {@code DoubleRecurrentRows} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
@SuppressWarnings("cast") // the casts to float are redundant casts to double in the FLOAT64 twin
final class FloatRecurrentRows extends RecurrentRows {
    static final FloatRecurrentRows INSTANCE = new FloatRecurrentRows();
    private final Kernels k = KernelProvider.kernels();

    private FloatRecurrentRows() {}

    @Override
    public Object alloc(int n) {
        return new float[n];
    }

    @Override
    public Object take(int n) {
        return ScratchPool.floats(n);
    }

    @Override
    public Object data(Tensor t) {
        return t.floatData();
    }

    @Override
    public void gemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int kk,
            Object a,
            int ao,
            int lda,
            Object b,
            int bo,
            int ldb,
            double beta,
            Object c,
            int co,
            int ldc) {
        k.sgemm(ta, tb, m, n, kk, 1f, (float[]) a, ao, lda, (float[]) b, bo, ldb, (float) beta, (float[]) c, co, ldc);
    }

    @Override
    public Object packB(boolean tb, int kk, int n, Object b, int bo, int ldb) {
        return k.floatGemm().pack(tb, kk, n, (float[]) b, bo, ldb);
    }

    @Override
    public void releasePacked(Object packed) {
        if (packed != null) {
            ((FloatGemmDriver.PackedB) packed).recycle();
        }
    }

    @Override
    public void gemmPacked(int m, Object a, int ao, int lda, Object packed, double beta, Object c, int co, int ldc) {
        k.floatGemm()
                .gemm(
                        false,
                        m,
                        1f,
                        (float[]) a,
                        ao,
                        lda,
                        (FloatGemmDriver.PackedB) packed,
                        (float) beta,
                        (float[]) c,
                        co,
                        ldc);
    }

    @Override
    public void mul(Object a, int ao, Object m, int mo, Object out, int oo, int n) {
        k.mul((float[]) a, ao, (float[]) m, mo, (float[]) out, oo, n);
    }

    @Override
    public void add(Object src, int so, Object dst, int d0, int n) {
        k.axpy(n, 1f, (float[]) src, so, (float[]) dst, d0);
    }

    @Override
    public void addMul(Object src, int so, Object m, int mo, Object dst, int d0, int n) {
        float[] s = (float[]) src;
        float[] mm = (float[]) m;
        float[] d = (float[]) dst;
        for (int j = 0; j < n; j++) {
            d[d0 + j] += s[so + j] * mm[mo + j];
        }
    }

    @Override
    public void lstmForward(
            Object gatesO, int g, Object cO, Object hO, int hb, Object auxO, Object outO, int ob, int n) {
        float[] a = (float[]) gatesO;
        float[] c = (float[]) cO;
        float[] h = (float[]) hO;
        float[] tc = (float[]) auxO;
        float[] out = (float[]) outO;
        k.sigmoid(a, g, a, g, 2 * n); // i, f
        k.tanh(a, g + 2 * n, a, g + 2 * n, n); // g
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
    public void gruForward(
            Object gatesO, int g, Object hgO, int hgo, Object hO, int hb, Object auxO, Object outO, int ob, int n) {
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
    public void rnnForward(Object gatesO, int g, Object hO, int hb, Object outO, int ob, int n, boolean relu) {
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
    public void lstmBackward(
            Object gatesO,
            int g,
            Object auxO,
            Object cprevO,
            int ob,
            Object dhO,
            Object dcO,
            int hb,
            Object dxO,
            int n) {
        k.lstmCellBackward(
                (float[]) gatesO,
                g,
                (float[]) auxO,
                (float[]) cprevO,
                ob,
                (float[]) dhO,
                (float[]) dcO,
                hb,
                (float[]) dxO,
                n);
    }

    @Override
    public void gruBackward(
            Object gatesO,
            int g,
            Object auxO,
            Object hprevO,
            int ob,
            Object dhO,
            int hb,
            Object dxO,
            Object dhgO,
            int n) {
        k.gruCellBackward(
                (float[]) gatesO,
                g,
                (float[]) auxO,
                (float[]) hprevO,
                ob,
                (float[]) dhO,
                hb,
                (float[]) dxO,
                (float[]) dhgO,
                n);
    }

    @Override
    public void rnnBackward(Object gatesO, int g, Object dhO, int hb, Object dxO, int n, boolean relu) {
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
