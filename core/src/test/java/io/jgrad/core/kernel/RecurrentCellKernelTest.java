package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The LSTM and GRU cells' row backward in every kernel set gives the bits of the formulas evaluated in
 * their documented order, for widths on and off the vector length, at offsets, and with the gates'
 * gradients written over the gates themselves.
 */
class RecurrentCellKernelTest {
    private static float[] random(SplittableRandom r, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * (float) r.nextDouble();
        }
        return x;
    }

    @Test
    void lstmCellBackwardGivesTheFormulasBitForBit() {
        for (Kernels k : KernelSets.all()) {
            for (int n : new int[] {1, 5, 16, 17, 35, 64}) {
                for (boolean inPlace : new boolean[] {false, true}) {
                    SplittableRandom r = new SplittableRandom(n * 31L + (inPlace ? 1 : 0));
                    int ga = 3;
                    int to = 2;
                    int ho = 1;
                    float[] a = random(r, ga + 4 * n + 2, 0, 1); // activated gates (g in [0, 1) too: any value works)
                    float[] tc = random(r, to + n, -1, 1);
                    float[] cp = random(r, to + n, -2, 2);
                    float[] dh = random(r, ho + n + 1, -1, 1);
                    float[] dc = random(r, ho + n + 1, -1, 1);
                    float[] dx = inPlace ? a : random(r, ga + 4 * n + 2, -5, 5);
                    float[] wantDx = (inPlace ? a : dx).clone();
                    float[] wantDc = dc.clone();
                    float[] wantDh = dh.clone();
                    for (int j = 0; j < n; j++) {
                        float i = a[ga + j];
                        float f = a[ga + n + j];
                        float g = a[ga + 2 * n + j];
                        float o = a[ga + 3 * n + j];
                        float t = tc[to + j];
                        float d = dh[ho + j];
                        float dct = dc[ho + j] + ((d * o) * (1f - t * t));
                        wantDx[ga + j] = ((dct * g) * i) * (1f - i);
                        wantDx[ga + n + j] = ((dct * cp[to + j]) * f) * (1f - f);
                        wantDx[ga + 2 * n + j] = (dct * i) * (1f - g * g);
                        wantDx[ga + 3 * n + j] = ((d * t) * o) * (1f - o);
                        wantDc[ho + j] = dct * f;
                        wantDh[ho + j] = 0;
                    }
                    k.lstmCellBackward(a, ga, tc, cp, to, dh, dc, ho, dx, n);
                    String at = k.name() + " n=" + n + " inPlace=" + inPlace;
                    assertArrayEquals(wantDx, dx, at + " dx");
                    assertArrayEquals(wantDc, dc, at + " dc");
                    assertArrayEquals(wantDh, dh, at + " dh");
                }
            }
        }
    }

    @Test
    void gruCellBackwardGivesTheFormulasBitForBit() {
        for (Kernels k : KernelSets.all()) {
            for (int n : new int[] {1, 5, 16, 17, 35, 64}) {
                for (boolean inPlace : new boolean[] {false, true}) {
                    SplittableRandom r = new SplittableRandom(n * 37L + (inPlace ? 1 : 0));
                    int ga = 3;
                    int ho = 2;
                    int hb = 1;
                    float[] a = random(r, ga + 3 * n + 2, 0, 1); // r, z in (0, 1); n in [0, 1) (any value works)
                    float[] hn = random(r, ho + n, -2, 2);
                    float[] hp = random(r, ho + n, -1, 1);
                    float[] dh = random(r, hb + n + 1, -1, 1);
                    float[] dx = inPlace ? a : random(r, ga + 3 * n + 2, -5, 5);
                    float[] dhg = random(r, ga + 3 * n + 2, -5, 5);
                    float[] wantDx = (inPlace ? a : dx).clone();
                    float[] wantDhg = dhg.clone();
                    float[] wantDh = dh.clone();
                    for (int j = 0; j < n; j++) {
                        float rg = a[ga + j];
                        float z = a[ga + n + j];
                        float nn = a[ga + 2 * n + j];
                        float d = dh[hb + j];
                        float dn = (d * (1f - z)) * (1f - nn * nn);
                        float dz = ((d * (hp[ho + j] - nn)) * z) * (1f - z);
                        float dr = ((dn * hn[ho + j]) * rg) * (1f - rg);
                        wantDx[ga + j] = dr;
                        wantDx[ga + n + j] = dz;
                        wantDx[ga + 2 * n + j] = dn;
                        wantDhg[ga + j] = dr;
                        wantDhg[ga + n + j] = dz;
                        wantDhg[ga + 2 * n + j] = dn * rg;
                        wantDh[hb + j] = d * z;
                    }
                    k.gruCellBackward(a, ga, hn, hp, ho, dh, hb, dx, dhg, n);
                    String at = k.name() + " n=" + n + " inPlace=" + inPlace;
                    assertArrayEquals(wantDx, dx, at + " dx");
                    assertArrayEquals(wantDhg, dhg, at + " dhg");
                    assertArrayEquals(wantDh, dh, at + " dh");
                }
            }
        }
    }
}
