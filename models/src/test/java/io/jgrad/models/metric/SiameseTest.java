package io.jgrad.models.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Reduction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Siamese wrapper shares one network, and the embedding measures match hand-computed values. */
class SiameseTest {
    @Test
    void oneNetworkServesEveryBranchAndGetsEveryBranchsGradient() {
        Linear net = new Linear(3, 2);
        net.resetParameters(new Generator(1));
        net.to(DType.FLOAT64);
        Siamese s = new Siamese(net);
        assertEquals(
                List.of("embedding.weight", "embedding.bias"),
                List.copyOf(s.stateDict().keySet()));
        Tensor a = Tensor.randn(new Generator(2), 4, 3).to(DType.FLOAT64);
        Tensor b = Tensor.randn(new Generator(3), 4, 3).to(DType.FLOAT64);
        Variable[] e = s.embedAll(Variable.constant(a), Variable.constant(b));
        assertArrayEquals(
                net.call(Variable.constant(a)).data().toDoubleArray(),
                e[0].data().toDoubleArray(),
                1e-12);
        assertArrayEquals(
                net.call(Variable.constant(b)).data().toDoubleArray(),
                e[1].data().toDoubleArray(),
                1e-12);
        Tensor y = Tensor.of(new int[] {1, 0, 1, 0});
        Losses.contrastive(e[0], e[1], y, 1, 1e-6, Reduction.SUM).backward();
        Tensor together = net.weight().grad().clone();
        // the same loss with two separate forwards of the network: the same accumulated gradient
        net.zeroGrad();
        Losses.contrastive(net.call(Variable.constant(a)), net.call(Variable.constant(b)), y, 1, 1e-6, Reduction.SUM)
                .backward();
        assertArrayEquals(net.weight().grad().toDoubleArray(), together.toDoubleArray(), 1e-12);
        Variable d = s.distance(Variable.constant(a), Variable.constant(b));
        double d0 = e[0].data().sub(e[1].data()).square().sum(1, false).sqrt().getDouble(0);
        assertEquals(d0, d.data().getDouble(0), 1e-12);
        String m = assertThrows(
                        IllegalArgumentException.class,
                        () -> s.embedAll(Variable.constant(a), Variable.constant(Tensor.zeros(3, 3))))
                .getMessage();
        assertTrue(m.contains("input 1 has shape [3, 3], input 0 [4, 3]"), m);
        assertThrows(IllegalArgumentException.class, () -> new Siamese(null));
    }

    @Test
    void rocAucByHand() {
        // positives 0.9, 0.4; negatives 0.5, 0.1, 0.4: pairs won 0.9>all (3), 0.4>0.1 (1), 0.4=0.4 (0.5): 4.5 / 6
        double auc = Embeddings.rocAuc(
                new double[] {0.9, 0.5, 0.4, 0.1, 0.4}, new boolean[] {true, false, true, false, false});
        assertEquals(4.5 / 6, auc, 1e-12);
        assertEquals(1.0, Embeddings.rocAuc(new double[] {1, 2, 3}, new boolean[] {false, true, true}), 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> Embeddings.rocAuc(new double[] {1, 2}, new boolean[] {true, true}));
    }

    @Test
    void knnByHand() {
        Tensor ref = Tensor.of(new float[] {0, 0, 1, 0, 10, 10, 11, 10, 10, 11}, 5, 2);
        int[] labels = {0, 0, 1, 1, 1};
        Tensor q = Tensor.of(new float[] {0.2f, 0, 9, 9, 6, 6}, 3, 2);
        assertArrayEquals(new int[] {0, 1, 1}, Embeddings.knnPredict(ref, labels, q, 1));
        assertArrayEquals(new int[] {0, 1, 1}, Embeddings.knnPredict(ref, labels, q, 3));
        // k = 5: three votes for 1 everywhere
        assertArrayEquals(new int[] {1, 1, 1}, Embeddings.knnPredict(ref, labels, q, 5));
        assertEquals(2 / 3.0, Embeddings.knnAccuracy(ref, labels, q, new int[] {0, 1, 0}, 1), 1e-12);
        String m = assertThrows(IllegalArgumentException.class, () -> Embeddings.knnPredict(ref, labels, q, 6))
                .getMessage();
        assertTrue(m.contains("k must be in [1, 5], got 6"), m);
    }

    @Test
    void pcaFindsTheWidestDirection() {
        // points on the line y = 2x (plus a small orthogonal spread): the first component carries the line
        Tensor x = Tensor.of(new double[] {0, 0, 1, 2, 2, 4, 3, 6, -1, -2, 0.1, -0.05}, 6, 2);
        Tensor p = Embeddings.pca2(x);
        assertArrayEquals(new int[] {6, 2}, p.shape());
        double spread0 = p.narrow(1, 0, 1).square().sum().item();
        double spread1 = p.narrow(1, 1, 1).square().sum().item();
        assertTrue(spread0 > 100 * spread1, spread0 + " vs " + spread1);
    }
}
