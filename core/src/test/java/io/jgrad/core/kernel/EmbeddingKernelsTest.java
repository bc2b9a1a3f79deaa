package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The embedding lookup's loops ({@link EmbeddingKernels}, {@code FloatEmbeddingRows} and its FLOAT64
 * twin) against naive loops: repeated indices, a padding row, a table that is a view at an offset.
 */
class EmbeddingKernelsTest {
    @Test
    void gatherAndScatterAdd() {
        int num = 6;
        int[] idx = {4, 1, 1, 0, 5, 2, 1};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int d : new int[] {1, 3, 17}) {
                Tensor table = Tensor.randn(new Generator(d), dt, num + 1, d).narrow(0, 1, num);
                double[] w = table.toDoubleArray();
                Tensor out = Tensor.zeros(dt, idx.length, d);
                EmbeddingKernels.gatherRows(table, idx, out);
                double[] want = new double[idx.length * d];
                for (int k = 0; k < idx.length; k++) {
                    for (int j = 0; j < d; j++) {
                        want[k * d + j] = w[idx[k] * d + j];
                    }
                }
                assertArrayEquals(want, out.toDoubleArray(), 0, dt + " gather d=" + d);

                Tensor g = Tensor.randn(new Generator(d + 50), dt, idx.length + 1, d)
                        .narrow(0, 1, idx.length);
                double[] gv = g.toDoubleArray();
                for (int padding : new int[] {-1, 1}) {
                    Tensor dw = Tensor.zeros(dt, num, d);
                    EmbeddingKernels.scatterAddRows(g, idx, padding, dw);
                    double[] wantDw = new double[num * d];
                    for (int k = 0; k < idx.length; k++) {
                        for (int j = 0; j < d && idx[k] != padding; j++) {
                            int e = idx[k] * d + j;
                            // accumulated in the tensor's type, in order
                            wantDw[e] = dt == DType.FLOAT32
                                    ? (float) (wantDw[e] + gv[k * d + j])
                                    : wantDw[e] + gv[k * d + j];
                        }
                    }
                    assertArrayEquals(wantDw, dw.toDoubleArray(), 0, dt + " scatterAdd d=" + d + " padding=" + padding);
                }
            }
        }
    }
}
