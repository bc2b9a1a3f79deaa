package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** INT64 labels and indices (PyTorch's type) and BOOL masks give what their INT32 forms give. */
class Int64AndBoolInputsTest {
    @Test
    void crossEntropyTakesInt64Labels() {
        Variable logits = Variable.constant(Tensor.randn(new Generator(1), 4, 3));
        Tensor labels = Tensor.of(new int[] {2, 0, 1, 2});
        double a = Losses.crossEntropy(logits, labels).data().item();
        double b = Losses.crossEntropy(logits, labels.to(DType.INT64)).data().item();
        assertEquals(a, b, 0);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        assertEquals(
                a,
                loss.forward(logits, Variable.constant(labels.to(DType.INT64)))
                        .data()
                        .item(),
                0);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, labels.to(DType.BOOL)));
        assertTrue(e.getMessage().contains("INT32 or INT64"), e.getMessage());
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, 1, 2, 1L << 33})));
    }

    @Test
    void embeddingTakesInt64Indices() {
        Embedding emb = new Embedding(6, 2);
        Tensor ids = Tensor.of(new int[] {5, 0, 3}, 3);
        assertTrue(emb.lookup(ids).data().equal(emb.lookup(ids.to(DType.INT64)).data()));
        assertThrows(IndexOutOfBoundsException.class, () -> emb.lookup(Tensor.of(new long[] {6})));
    }

    @Test
    void attentionTakesBoolMasks() {
        Generator g = new Generator(2);
        Variable q = Variable.constant(Tensor.randn(g, 2, 3, 4));
        Variable k = Variable.constant(Tensor.randn(g, 2, 5, 4));
        Variable v = Variable.constant(Tensor.randn(g, 2, 5, 4));
        Tensor blocked = Tensor.of(new int[] {0, 1, 0, 0, 1}, 1, 5).expand(3, 5).contiguous();
        Tensor viaInt = Attention.scaledDotProduct(q, k, v, blocked, false).data();
        Tensor viaBool = Attention.scaledDotProduct(q, k, v, blocked.to(DType.BOOL), false)
                .data();
        assertTrue(viaInt.equal(viaBool));
        Tensor viaFloat = Attention.scaledDotProduct(
                        q, k, v, Tensor.zeros(3, 5).maskedFill(blocked.to(DType.BOOL), Double.NEGATIVE_INFINITY), false)
                .data();
        assertTrue(viaInt.allClose(viaFloat, 1e-6, 1e-6));
    }
}
