package io.jgrad.models.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RBMTest {
    static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** A 3-visible, 2-hidden float64 machine with fixed parameters. */
    static RBM tiny() {
        RBM r = new RBM(3, 2);
        r.to(DType.FLOAT64);
        r.weight()
                .copy_(Tensor.of(new double[] {0.5, -1.0, 0.25, -0.3, 0.8, 1.2}).reshape(2, 3));
        r.hiddenBias().copy_(Tensor.of(new double[] {0.1, -0.2}));
        r.visibleBias().copy_(Tensor.of(new double[] {-0.4, 0.3, 0.05}));
        return r;
    }

    @Test
    void cd1UpdateEqualsHandComputation() {
        RBM r = tiny();
        double[][] w = {{0.5, -1.0, 0.25}, {-0.3, 0.8, 1.2}};
        double[] bh = {0.1, -0.2};
        double[] bv = {-0.4, 0.3, 0.05};
        double[][] v0 = {{1, 0, 1}, {0, 1, 1}};
        double lr = 0.5;
        double wd = 0.01;
        ContrastiveDivergence cd = new ContrastiveDivergence(
                r,
                new ContrastiveDivergence.Options()
                        .k(1)
                        .learningRate(lr)
                        .weightDecay(wd)
                        .seed(77));
        // the update draws one uniform per hidden unit of the batch, in row-major order
        double[] u = Tensor.rand(new Generator(77), DType.FLOAT64, 2, 2).toDoubleArray();
        cd.step(Tensor.of(new double[] {1, 0, 1, 0, 1, 1}).reshape(2, 3));

        double[][] p0 = new double[2][2];
        double[][] vk = new double[2][3];
        double[][] pk = new double[2][2];
        for (int n = 0; n < 2; n++) {
            double[] h = new double[2];
            for (int j = 0; j < 2; j++) {
                double a = bh[j];
                for (int i = 0; i < 3; i++) {
                    a += w[j][i] * v0[n][i];
                }
                p0[n][j] = sig(a);
                h[j] = u[n * 2 + j] < p0[n][j] ? 1 : 0;
            }
            for (int i = 0; i < 3; i++) {
                double a = bv[i];
                for (int j = 0; j < 2; j++) {
                    a += h[j] * w[j][i];
                }
                vk[n][i] = sig(a);
            }
            for (int j = 0; j < 2; j++) {
                double a = bh[j];
                for (int i = 0; i < 3; i++) {
                    a += w[j][i] * vk[n][i];
                }
                pk[n][j] = sig(a);
            }
        }
        double[] wantW = new double[6];
        double[] wantH = new double[2];
        double[] wantV = new double[3];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < 3; i++) {
                double d = 0;
                for (int n = 0; n < 2; n++) {
                    d += p0[n][j] * v0[n][i] - pk[n][j] * vk[n][i];
                }
                wantW[j * 3 + i] = w[j][i] + lr * (d / 2 - wd * w[j][i]);
            }
            wantH[j] = bh[j] + lr * ((p0[0][j] - pk[0][j]) + (p0[1][j] - pk[1][j])) / 2;
        }
        for (int i = 0; i < 3; i++) {
            wantV[i] = bv[i] + lr * ((v0[0][i] - vk[0][i]) + (v0[1][i] - vk[1][i])) / 2;
        }
        assertArrayEquals(wantW, r.weight().toDoubleArray(), 1e-14);
        assertArrayEquals(wantH, r.hiddenBias().toDoubleArray(), 1e-14);
        assertArrayEquals(wantV, r.visibleBias().toDoubleArray(), 1e-14);
    }

    @Test
    void freeEnergyEqualsSumOverHiddenStates() {
        for (RBM.Visible kind : RBM.Visible.values()) {
            RBM r = new RBM(3, 2, kind);
            r.to(DType.FLOAT64);
            RBM t = tiny();
            r.loadStateDict(t.stateDict());
            double[][] vs = {{1, 0, 1}, {0.3, -0.7, 2}};
            Tensor f =
                    r.freeEnergy(Tensor.of(new double[] {1, 0, 1, 0.3, -0.7, 2}).reshape(2, 3));
            double[] w = t.weight().toDoubleArray();
            for (int n = 0; n < 2; n++) {
                double z = 0;
                for (int hs = 0; hs < 4; hs++) {
                    double[] h = {hs & 1, (hs >> 1) & 1};
                    double e = 0;
                    for (int i = 0; i < 3; i++) {
                        double bvi = new double[] {-0.4, 0.3, 0.05}[i];
                        e += kind == RBM.Visible.BERNOULLI
                                ? -bvi * vs[n][i]
                                : 0.5 * (vs[n][i] - bvi) * (vs[n][i] - bvi);
                    }
                    e -= 0.1 * h[0] - 0.2 * h[1];
                    for (int j = 0; j < 2; j++) {
                        for (int i = 0; i < 3; i++) {
                            e -= h[j] * w[j * 3 + i] * vs[n][i];
                        }
                    }
                    z += Math.exp(-e);
                }
                assertEquals(-Math.log(z), f.toDoubleArray()[n], 1e-12, kind + " vector " + n);
            }
        }
    }

    @Test
    void pseudoLikelihoodFlipsOneUnitPerVector() {
        RBM r = tiny();
        Tensor v = Tensor.of(new double[] {1, 0, 1, 0, 1, 1}).reshape(2, 3);
        Tensor got = r.pseudoLikelihood(v, new Generator(5));
        int[] idx = Tensor.randint(new Generator(5), 0, 3, 2, 1).toIntArray();
        double[] f = r.freeEnergy(v).toDoubleArray();
        for (int n = 0; n < 2; n++) {
            double[] flipped = v.select(0, n).toDoubleArray();
            flipped[idx[n]] = 1 - flipped[idx[n]];
            double ff = r.freeEnergy(Tensor.of(flipped).reshape(1, 3)).item();
            assertEquals(3 * Math.log(sig(ff - f[n])), got.toDoubleArray()[n], 1e-12);
        }
        RBM g = new RBM(3, 2, RBM.Visible.GAUSSIAN);
        assertThrows(IllegalStateException.class, () -> g.pseudoLikelihood(Tensor.zeros(1, 3), new Generator(1)));
    }

    /** Two binary prototypes with 5% of bits flipped. */
    static Tensor prototypes(Generator g, int n) {
        double[] a = {1, 1, 1, 1, 0, 0, 0, 0, 1, 0};
        double[] b = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1};
        double[] out = new double[n * 10];
        double[] u = Tensor.rand(g, DType.FLOAT64, n * 10).toDoubleArray();
        for (int k = 0; k < n; k++) {
            double[] p = k % 2 == 0 ? a : b;
            for (int i = 0; i < 10; i++) {
                out[k * 10 + i] = u[k * 10 + i] < 0.05 ? 1 - p[i] : p[i];
            }
        }
        return Tensor.of(out).reshape(n, 10).to(DType.FLOAT32);
    }

    @Test
    void cdAndPersistentCdLearnTwoPrototypes() {
        for (boolean persistent : new boolean[] {false, true}) {
            Tensor data = prototypes(new Generator(3), 200);
            RBM r = new RBM(10, 4);
            r.resetParameters(new Generator(4));
            double before = r.reconstructionError(data);
            List<ContrastiveDivergence.Epoch> h = new ContrastiveDivergence(
                            r,
                            new ContrastiveDivergence.Options()
                                    .k(persistent ? 1 : 2)
                                    .persistent(persistent)
                                    .learningRate(0.1)
                                    .momentum(0.5)
                                    .epochs(15)
                                    .seed(5))
                    .fit(data);
            assertEquals(15, h.size());
            double after = h.get(14).reconstructionError();
            assertTrue(
                    after < 0.3 * before,
                    (persistent ? "PCD" : "CD-2") + ": reconstruction error " + before + " -> " + after);
            assertTrue(h.get(14).pseudoLikelihood() > h.get(0).pseudoLikelihood() - 0.5);
            // Gibbs samples from the trained machine look like the prototypes: first four bits agree
            Tensor s = r.gibbs(data.narrow(0, 0, 20), 5, new Generator(6));
            int agree = 0;
            for (int n = 0; n < 20; n++) {
                double[] row = s.select(0, n).toDoubleArray();
                if (row[0] == row[1] && row[1] == row[2] && row[2] == row[3] && row[3] != row[4]) {
                    agree++;
                }
            }
            assertTrue(agree >= 14, "samples like a prototype: " + agree + " of 20");
        }
    }

    @Test
    void badArgumentsGetClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new RBM(0, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RBM(4, 0));
        assertTrue(e.getMessage().contains("nHidden=0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ContrastiveDivergence.Options().k(0));
        assertThrows(IllegalArgumentException.class, () -> new ContrastiveDivergence.Options().momentum(1));
        RBM r = new RBM(4, 2);
        e = assertThrows(IllegalArgumentException.class, () -> r.transform(Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("(N, 4)") && e.getMessage().contains("(3, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.transform(Tensor.zeros(DType.FLOAT64, 3, 4)));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ContrastiveDivergence(r, new ContrastiveDivergence.Options()).fit(Tensor.zeros(3, 5)));
        assertThrows(IllegalArgumentException.class, () -> new DBN(5));
        assertThrows(IllegalArgumentException.class, () -> new DBN(5, 0));
    }

    @Test
    void saveLoadRoundTrip(@TempDir Path dir) throws Exception {
        RBM r = tiny();
        Path f = dir.resolve("rbm.safetensors");
        r.save(f);
        RBM back = new RBM(3, 2);
        back.to(DType.FLOAT64);
        back.load(f);
        assertArrayEquals(r.weight().toDoubleArray(), back.weight().toDoubleArray(), 0);
        assertArrayEquals(r.visibleBias().toDoubleArray(), back.visibleBias().toDoubleArray(), 0);
        assertArrayEquals(r.hiddenBias().toDoubleArray(), back.hiddenBias().toDoubleArray(), 0);
        DBN d = new DBN(6, 4, 3);
        d.resetParameters(new Generator(9));
        Path g = dir.resolve("dbn.safetensors");
        d.save(g);
        DBN d2 = new DBN(6, 4, 3);
        d2.load(g);
        assertTrue(Files.size(g) > 0);
        assertEquals(
                List.of("0.hidden_bias", "0.visible_bias", "0.weight", "1.hidden_bias", "1.visible_bias", "1.weight"),
                d2.stateDict().keySet().stream().sorted().toList());
        for (String k : d.stateDict().keySet()) {
            assertArrayEquals(
                    d.stateDict().get(k).toDoubleArray(), d2.stateDict().get(k).toDoubleArray(), 0, k);
        }
    }

    @Test
    void dbnPretrainsGreedilyAndUnrollsIntoAnMlpWithTheSameFeatures() {
        Tensor data = prototypes(new Generator(11), 100);
        DBN d = new DBN(10, 6, 3);
        d.resetParameters(new Generator(12));
        List<List<ContrastiveDivergence.Epoch>> h = d.pretrain(
                data,
                new ContrastiveDivergence.Options().learningRate(0.1).epochs(5).seed(13));
        assertEquals(2, h.size());
        assertEquals(5, h.get(1).size());
        // the second machine was trained on the first one's features
        Tensor top = d.rbms().get(1).transform(d.rbms().get(0).transform(data));
        Sequential mlp = d.toMlp(2, new Generator(14));
        Variable feats = mlp.forward(Variable.constant(data));
        assertArrayEquals(new int[] {100, 2}, feats.shape());
        // the MLP's hidden stack equals the DBN's forward
        Variable x = Variable.constant(data);
        Variable hidden = x;
        for (int i = 0; i < 4; i++) {
            hidden = mlp.children().get(i).forward(hidden);
        }
        assertArrayEquals(top.toFloatArray(), hidden.data().toFloatArray(), 1e-6f);
        assertArrayEquals(top.toFloatArray(), d.forward(x).data().toFloatArray(), 1e-6f);
        // fine-tuning the MLP leaves the DBN alone
        Tensor before = d.rbms().get(0).weight().clone();
        mlp.children().get(0).parameters().get(0).data().add_(1.0);
        assertArrayEquals(before.toFloatArray(), d.rbms().get(0).weight().toFloatArray(), 0f);
    }
}
