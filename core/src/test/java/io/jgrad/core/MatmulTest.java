package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/** matmul with PyTorch's semantics, addmm, outer and dot against EJML and naive loops. */
class MatmulTest {
    /** Unit roundoff of a dtype. */
    private static double unit(DType dt) {
        return dt == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
    }

    /**
     * Layouts of an (r, c) matrix for GEMM: the storage-order variants that GEMM takes without a
     * copy (row-major, column-major = transposed, rows inside a wider array) and ones that need a
     * copy (stepped slices, expanded rows).
     */
    private static List<Ref.Named> matrixLayouts(DType dt, double[] v, int r, int c) {
        List<Ref.Named> out = new ArrayList<>(Ref.layouts(dt, v, r, c));
        if (r > 0 && c > 0) {
            // all rows equal (stride 0): a (1, c) row expanded to (r, c); callers read its values back
            out.add(new Ref.Named(
                    "expanded rows", Ref.tensor(dt, Arrays.copyOf(v, c), 1, c).expand(r, c)));
        }
        return out;
    }

    /** C = A B in double with EJML; also returns sum |a_ip b_pj| per element for the error bound. */
    private static double[][] ejml(double[] a, double[] b, int n, int k, int m) {
        DMatrixRMaj ma = new DMatrixRMaj(n, k, true, a);
        DMatrixRMaj mb = new DMatrixRMaj(k, m, true, b);
        DMatrixRMaj mc = new DMatrixRMaj(n, m);
        CommonOps_DDRM.mult(ma, mb, mc);
        double[] absA = Arrays.stream(a).map(Math::abs).toArray();
        double[] absB = Arrays.stream(b).map(Math::abs).toArray();
        DMatrixRMaj bound = new DMatrixRMaj(n, m);
        CommonOps_DDRM.mult(new DMatrixRMaj(n, k, true, absA), new DMatrixRMaj(k, m, true, absB), bound);
        return new double[][] {mc.getData().clone(), bound.getData().clone()};
    }

    /**
     * Checks a product against a reference with the classical bound |error| <= k u sum |a b| (any
     * summation order), doubled because the reference rounds too, plus one rounding of the result.
     */
    private static void assertProduct(
            String what, DType dt, int[] shape, double[] want, double[] absSum, int k, Tensor got) {
        assertEquals(dt, got.dtype(), what);
        assertArrayEquals(shape, got.shape(), what);
        double[] g = Ref.values(got);
        double u = unit(dt);
        for (int q = 0; q < g.length; q++) {
            double tol = 2 * (k + 1) * u * absSum[q] + 2 * u * Math.abs(want[q]);
            if (!(Math.abs(g[q] - want[q]) <= tol)) {
                fail(what + ": element " + q + " is " + g[q] + ", expected " + want[q] + " +- " + tol);
            }
        }
    }

    @Test
    void matrixTimesMatrixAgainstEjmlInEveryLayout() {
        int[][] sizes = {{1, 1, 1}, {2, 3, 4}, {7, 5, 3}, {1, 17, 9}, {16, 1, 15}, {17, 33, 31}, {5, 0, 4}};
        long seed = 40;
        for (DType dt : Ref.FLOATS) {
            for (int[] s : sizes) {
                int n = s[0];
                int k = s[1];
                int m = s[2];
                double[] a = Ref.rounded(Ref.uniform(++seed, n * k, -1, 1), dt);
                double[] b = Ref.rounded(Ref.uniform(++seed, k * m, -1, 1), dt);
                Tensor bc = Ref.tensor(dt, b, k, m);
                Tensor ac = Ref.tensor(dt, a, n, k);
                for (Ref.Named na : matrixLayouts(dt, a, n, k)) {
                    double[] av = Ref.values(na.t);
                    double[][] e = ejml(av, b, n, k, m);
                    assertProduct(
                            "matmul " + dt + " " + Arrays.toString(s) + " left " + na.name,
                            dt,
                            new int[] {n, m},
                            e[0],
                            e[1],
                            k,
                            na.t.matmul(bc));
                }
                for (Ref.Named nb : matrixLayouts(dt, b, k, m)) {
                    double[] bv = Ref.values(nb.t);
                    double[][] e = ejml(a, bv, n, k, m);
                    assertProduct(
                            "matmul " + dt + " " + Arrays.toString(s) + " right " + nb.name,
                            dt,
                            new int[] {n, m},
                            e[0],
                            e[1],
                            k,
                            ac.matmul(nb.t));
                }
                // both operands transposed views, without copies: (A^T)^T (B^T)^T
                Tensor at = Ref.tensor(dt, Ref.values(ac.t()), k, n).t();
                Tensor bt = Ref.tensor(dt, Ref.values(bc.t()), m, k).t();
                double[][] e = ejml(a, b, n, k, m);
                assertProduct(
                        "matmul both transposed " + dt + " " + Arrays.toString(s),
                        dt,
                        new int[] {n, m},
                        e[0],
                        e[1],
                        k,
                        at.matmul(bt));
                if (dt == DType.FLOAT32 && n * m > 0) {
                    // the float32 EJML product agrees to the same bound
                    FMatrixRMaj fc = new FMatrixRMaj(n, m);
                    float[] fa = new float[a.length];
                    float[] fb = new float[b.length];
                    for (int q = 0; q < a.length; q++) {
                        fa[q] = (float) a[q];
                    }
                    for (int q = 0; q < b.length; q++) {
                        fb[q] = (float) b[q];
                    }
                    CommonOps_FDRM.mult(new FMatrixRMaj(n, k, true, fa), new FMatrixRMaj(k, m, true, fb), fc);
                    double[] fe = new double[n * m];
                    for (int q = 0; q < fe.length; q++) {
                        fe[q] = fc.getData()[q];
                    }
                    assertProduct(
                            "matmul vs EJML float " + Arrays.toString(s),
                            dt,
                            new int[] {n, m},
                            fe,
                            e[1],
                            k,
                            ac.matmul(bc));
                }
            }
        }
    }

    @Test
    void largerProductsHitBlockingAndThreads() {
        for (DType dt : Ref.FLOATS) {
            int n = 131;
            int k = 97;
            int m = 150;
            double[] a = Ref.rounded(Ref.uniform(50, n * k, -1, 1), dt);
            double[] b = Ref.rounded(Ref.uniform(51, k * m, -1, 1), dt);
            double[][] e = ejml(a, b, n, k, m);
            Tensor ta = Ref.tensor(dt, a, n, k);
            Tensor tb = Ref.tensor(dt, b, k, m);
            assertProduct("large " + dt, dt, new int[] {n, m}, e[0], e[1], k, ta.matmul(tb));
            Tensor tat = Ref.tensor(dt, Ref.values(ta.t()), k, n).t();
            Tensor tbt = Ref.tensor(dt, Ref.values(tb.t()), m, k).t();
            assertProduct("large transposed " + dt, dt, new int[] {n, m}, e[0], e[1], k, tat.matmul(tbt));
        }
    }

    // ------------------------------------------------------------------------------ PyTorch semantics

    /**
     * Naive reference for torch.matmul: promotes 1-D operands, broadcasts batch dims, multiplies with
     * loops in double and removes the promoted dims. Returns {values, bound, shape-as-doubles}.
     */
    private static Object[] naiveMatmul(double[] a, int[] sa, double[] b, int[] sb) {
        boolean aVec = sa.length == 1;
        boolean bVec = sb.length == 1;
        int[] pa = aVec ? new int[] {1, sa[0]} : sa;
        int[] pb = bVec ? new int[] {sb[0], 1} : sb;
        int n = pa[pa.length - 2];
        int k = pa[pa.length - 1];
        int m = pb[pb.length - 1];
        int[] ba = Arrays.copyOf(pa, pa.length - 2);
        int[] bb = Arrays.copyOf(pb, pb.length - 2);
        int[] batch = Ref.broadcast(ba, bb);
        int nb = Ref.numel(batch);
        double[] out = new double[nb * n * m];
        double[] bound = new double[nb * n * m];
        int[] bi = new int[batch.length];
        for (int q = 0; q < nb; q++) {
            int oa = Ref.broadcastIndex(bi, ba) * n * k;
            int ob = Ref.broadcastIndex(bi, bb) * k * m;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    double t = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[oa + i * k + p] * b[ob + p * m + j];
                        t += Math.abs(a[oa + i * k + p] * b[ob + p * m + j]);
                    }
                    out[q * n * m + i * m + j] = s;
                    bound[q * n * m + i * m + j] = t;
                }
            }
            Ref.next(bi, batch);
        }
        List<Integer> shape = new ArrayList<>();
        for (int d : batch) {
            shape.add(d);
        }
        if (!aVec) {
            shape.add(n);
        }
        if (!bVec) {
            shape.add(m);
        }
        return new Object[] {
            out, bound, shape.stream().mapToInt(Integer::intValue).toArray(), k
        };
    }

    @Test
    void pytorchSemanticsForEveryRankCombination() {
        int[][][] pairs = {
            {{4}, {4}}, // dot -> ()
            {{3}, {3, 5}}, // vector @ matrix -> (5,)
            {{3, 5}, {5}}, // matrix @ vector -> (3,)
            {{2, 3}, {3, 4}},
            {{6, 2, 3}, {6, 3, 4}}, // batched
            {{6, 2, 3}, {3, 4}}, // (B, n, k) @ (k, m)
            {{2, 3}, {6, 3, 4}}, // (n, k) @ (B, k, m)
            {{2, 1, 2, 3}, {5, 3, 4}}, // broadcast batch dims -> (2, 5, 2, 4)
            {{1, 4, 2, 3}, {3, 1, 3, 2}}, // -> (3, 4, 2, 2)
            {{3}, {2, 3, 4}}, // 1-D @ batched -> (2, 4)
            {{2, 4, 3}, {3}}, // batched @ 1-D -> (2, 4)
            {{5, 1, 7}, {7, 1}}, // n = 1, m = 1
            {{2, 0, 3}, {3, 4}}, // empty
        };
        long seed = 60;
        for (DType dt : Ref.FLOATS) {
            for (int[][] pr : pairs) {
                int[] sa = pr[0];
                int[] sb = pr[1];
                double[] a = Ref.rounded(Ref.uniform(++seed, Ref.numel(sa), -1, 1), dt);
                double[] b = Ref.rounded(Ref.uniform(++seed, Ref.numel(sb), -1, 1), dt);
                Object[] e = naiveMatmul(a, sa, b, sb);
                String base = "matmul " + dt + " " + Arrays.toString(sa) + " @ " + Arrays.toString(sb);
                Tensor bc = Ref.tensor(dt, b, sb);
                for (Ref.Named na : Ref.layouts(dt, a, sa)) {
                    assertProduct(
                            base + " left " + na.name,
                            dt,
                            (int[]) e[2],
                            (double[]) e[0],
                            (double[]) e[1],
                            (int) e[3],
                            na.t.matmul(bc));
                }
                Tensor ac = Ref.tensor(dt, a, sa);
                for (Ref.Named nb : Ref.layouts(dt, b, sb)) {
                    assertProduct(
                            base + " right " + nb.name,
                            dt,
                            (int[]) e[2],
                            (double[]) e[0],
                            (double[]) e[1],
                            (int) e[3],
                            ac.matmul(nb.t));
                }
            }
        }
    }

    @Test
    void batchedTransposedOperandsAreNotCopiedWrong() {
        for (DType dt : Ref.FLOATS) {
            // q @ k^T as in attention: (B, H, T, D) @ (B, H, D, T) from a transposed view
            int[] sq = {2, 3, 5, 4};
            double[] q = Ref.rounded(Ref.uniform(70, Ref.numel(sq), -1, 1), dt);
            double[] kk = Ref.rounded(Ref.uniform(71, Ref.numel(sq), -1, 1), dt);
            Tensor tq = Ref.tensor(dt, q, sq);
            Tensor tk = Ref.tensor(dt, kk, sq);
            Tensor kt = tk.transpose(-1, -2);
            Object[] e = naiveMatmul(q, sq, Ref.values(kt), kt.shape());
            assertProduct(
                    "q @ k^T " + dt, dt, new int[] {2, 3, 5, 5}, (double[]) e[0], (double[]) e[1], 4, tq.matmul(kt));
            // batch dims permuted: (H, B, T, D) viewed as (B, H, T, D)
            Tensor perm = Ref.tensor(dt, Ref.values(tq.permute(1, 0, 2, 3)), 3, 2, 5, 4)
                    .permute(1, 0, 2, 3);
            assertProduct(
                    "permuted batch " + dt,
                    dt,
                    new int[] {2, 3, 5, 5},
                    (double[]) e[0],
                    (double[]) e[1],
                    4,
                    perm.matmul(kt));
            // many small matrices: the batch loop splits over threads
            int[] sa = {300, 3, 4};
            int[] sb = {300, 4, 2};
            double[] a = Ref.rounded(Ref.uniform(72, Ref.numel(sa), -1, 1), dt);
            double[] b = Ref.rounded(Ref.uniform(73, Ref.numel(sb), -1, 1), dt);
            Object[] e2 = naiveMatmul(a, sa, b, sb);
            assertProduct(
                    "many batches " + dt,
                    dt,
                    new int[] {300, 3, 2},
                    (double[]) e2[0],
                    (double[]) e2[1],
                    4,
                    Ref.tensor(dt, a, sa).matmul(Ref.tensor(dt, b, sb)));
            Tensor bT = Ref.tensor(dt, Ref.values(Ref.tensor(dt, b, sb).transpose(1, 2)), 300, 2, 4)
                    .transpose(1, 2);
            assertProduct(
                    "many batches, right transposed " + dt,
                    dt,
                    new int[] {300, 3, 2},
                    (double[]) e2[0],
                    (double[]) e2[1],
                    4,
                    Ref.tensor(dt, a, sa).matmul(bT));
        }
    }

    @Test
    void emptyProducts() {
        for (DType dt : Ref.FLOATS) {
            // contracting over k = 0 gives zeros; n = 0 or m = 0 gives empty results
            Ref.assertTensor(
                    "(2, 3, 0) @ (0, 4)",
                    dt,
                    new int[] {2, 3, 4},
                    new double[24],
                    Tensor.zeros(dt, 2, 3, 0).matmul(Tensor.zeros(dt, 0, 4)),
                    0,
                    0);
            Ref.assertTensor(
                    "(3, 0) @ (0, 4)",
                    dt,
                    new int[] {3, 4},
                    new double[12],
                    Tensor.zeros(dt, 3, 0).matmul(Tensor.zeros(dt, 0, 4)),
                    0,
                    0);
            Ref.assertTensor(
                    "(2, 3, 0) @ (2, 0, 4)",
                    dt,
                    new int[] {2, 3, 4},
                    new double[24],
                    Tensor.zeros(dt, 2, 3, 0).matmul(Tensor.zeros(dt, 2, 0, 4)),
                    0,
                    0);
            Ref.assertTensor(
                    "(0, 3) @ (3, 4)",
                    dt,
                    new int[] {0, 4},
                    new double[0],
                    Tensor.zeros(dt, 0, 3).matmul(Tensor.zeros(dt, 3, 4)),
                    0,
                    0);
            Ref.assertTensor(
                    "(0,) @ (0,)",
                    dt,
                    new int[0],
                    new double[1],
                    Tensor.zeros(dt, 0).matmul(Tensor.zeros(dt, 0)),
                    0,
                    0);
            Ref.assertTensor(
                    "(0, 2, 3) @ (3, 4)",
                    dt,
                    new int[] {0, 2, 4},
                    new double[0],
                    Tensor.zeros(dt, 0, 2, 3).matmul(Tensor.zeros(dt, 3, 4)),
                    0,
                    0);
        }
    }

    // ------------------------------------------------------------------------------ addmm, outer, dot

    @Test
    void addmm() {
        for (DType dt : Ref.FLOATS) {
            int n = 4;
            int k = 6;
            int m = 5;
            double[] a = Ref.rounded(Ref.uniform(80, n * k, -1, 1), dt);
            double[] b = Ref.rounded(Ref.uniform(81, k * m, -1, 1), dt);
            double[][] e = ejml(a, b, n, k, m);
            Tensor ta = Ref.tensor(dt, a, n, k);
            Tensor tb = Ref.tensor(dt, Ref.values(Ref.tensor(dt, b, k, m).t()), m, k)
                    .t(); // transposed operand
            int[][] biasShapes = {{m}, {n, m}, {n, 1}, {}, {1, m}};
            for (int[] bs : biasShapes) {
                double[] bias = Ref.rounded(Ref.uniform(82 + bs.length, Ref.numel(bs), -2, 2), dt);
                Tensor tbias = Ref.tensor(dt, bias, bs);
                for (double[] ba : new double[][] {{1, 1}, {0.5, -2}, {0, 3}}) {
                    double beta = ba[0];
                    double alpha = ba[1];
                    double[] want = new double[n * m];
                    double[] bound = new double[n * m];
                    int[] idx = new int[2];
                    for (int q = 0; q < n * m; q++) {
                        want[q] = beta * bias[Ref.broadcastIndex(idx, bs)] + alpha * e[0][q];
                        bound[q] = Math.abs(alpha) * e[1][q] + Math.abs(beta * bias[Ref.broadcastIndex(idx, bs)]);
                        Ref.next(idx, new int[] {n, m});
                    }
                    Tensor got = beta == 1 && alpha == 1
                            ? Tensor.addmm(tbias, ta, tb)
                            : Tensor.addmm(tbias, ta, tb, beta, alpha);
                    assertProduct(
                            "addmm " + dt + " bias " + Arrays.toString(bs) + " beta " + beta + " alpha " + alpha,
                            dt,
                            new int[] {n, m},
                            want,
                            bound,
                            k + 1,
                            got);
                }
            }
            // beta = 0 ignores the bias entirely, even NaN
            Tensor nanBias = Ref.tensor(dt, new double[] {Double.NaN}, 1);
            for (double v : Ref.values(Tensor.addmm(nanBias, ta, tb, 0, 1))) {
                assertFalse(Double.isNaN(v));
            }
            assertThrows(IllegalArgumentException.class, () -> Tensor.addmm(Ref.tensor(dt, new double[3], 3), ta, tb));
            assertThrows(IllegalArgumentException.class, () -> Tensor.addmm(Ref.tensor(dt, new double[m], m), ta, ta));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Tensor.addmm(Ref.tensor(dt, new double[2 * n * m], 2, n, m), ta, tb));
        }
    }

    @Test
    void outerAndDot() {
        for (DType dt : Ref.FLOATS) {
            double[] x = Ref.rounded(Ref.uniform(90, 5, -2, 2), dt);
            double[] y = Ref.rounded(Ref.uniform(91, 3, -2, 2), dt);
            for (Ref.Named nx : Ref.layouts(dt, x, 5)) {
                for (Ref.Named ny : Ref.layouts(dt, y, 3)) {
                    double[] e = new double[15];
                    for (int i = 0; i < 5; i++) {
                        for (int j = 0; j < 3; j++) {
                            e[i * 3 + j] = x[i] * y[j];
                        }
                    }
                    Ref.assertTensor(
                            "outer " + dt + " " + nx.name + " x " + ny.name,
                            dt,
                            new int[] {5, 3},
                            e,
                            nx.t.outer(ny.t),
                            Ref.rtol(dt),
                            0);
                }
                double[] z = Ref.rounded(Ref.uniform(92, 5, -2, 2), dt);
                double d = 0;
                double bound = 0;
                for (int i = 0; i < 5; i++) {
                    d += x[i] * z[i];
                    bound += Math.abs(x[i] * z[i]);
                }
                for (Ref.Named nz : Ref.layouts(dt, z, 5)) {
                    Tensor got = nx.t.dot(nz.t);
                    assertEquals(0, got.dim());
                    assertEquals(d, got.item(), 12 * unit(dt) * bound, "dot " + nx.name + " . " + nz.name);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).dot(Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 1).dot(Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 1).outer(Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).outer(Tensor.zeros(DType.FLOAT64, 3)));
    }

    // ------------------------------------------------------------------------------ errors

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
        assertEquals("matmul: shapes (3, 4) and (5, 2) cannot be multiplied (4 != 5)", ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)));
        assertEquals("matmul: shapes (3,) and (4,) cannot be multiplied (3 != 4)", ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4, 2)));
        assertEquals("matmul: shapes (3,) and (4, 2) cannot be multiplied (3 != 4)", ex.getMessage());
        ex = assertThrows(
                IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4)));
        assertEquals("matmul: shapes (2, 3) and (4,) cannot be multiplied (3 != 4)", ex.getMessage());
        ex = assertThrows(
                IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 2)));
        assertTrue(
                ex.getMessage().startsWith("matmul: shapes (2, 3, 4) and (5, 4, 2) cannot be broadcast"),
                ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(2).matmul(Tensor.zeros(2)));
        assertTrue(ex.getMessage().contains("()") && ex.getMessage().startsWith("matmul"), ex.getMessage());
        ex = assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.zeros(DType.INT32, 2, 2).matmul(Tensor.zeros(DType.INT32, 2, 2)));
        assertTrue(ex.getMessage().startsWith("matmul") && ex.getMessage().contains("int32"), ex.getMessage());
        ex = assertThrows(
                IllegalArgumentException.class, () -> Tensor.zeros(2, 2).matmul(Tensor.zeros(DType.FLOAT64, 2, 2)));
        assertEquals(
                "matmul: dtype mismatch (float32 (2, 2) and float64 (2, 2)); convert one with to(DType)",
                ex.getMessage());
        ex = assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.addmm(Tensor.zeros(2), Tensor.zeros(3, 4), Tensor.zeros(5, 2)));
        assertEquals("addmm: shapes (3, 4) and (5, 2) cannot be multiplied (4 != 5)", ex.getMessage());
    }
}
