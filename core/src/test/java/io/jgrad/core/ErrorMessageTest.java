package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every shape, dtype and index error names the op and the shapes or values involved. */
class ErrorMessageTest {
    private static String message(Class<? extends Throwable> type, Executable e) {
        return assertThrows(type, e).getMessage();
    }

    private static void assertMentions(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), "message '" + msg + "' should mention '" + p + "'");
        }
    }

    @Test
    void shapeHelpers() {
        assertEquals("()", Shape.format());
        assertEquals("(5,)", Shape.format(5));
        assertEquals("(3, 4)", Shape.format(3, 4));
        assertEquals(1, Shape.numel());
        assertEquals(0, Shape.numel(3, 0, 2));
        assertEquals(24, Shape.numel(2, 3, 4));
        assertArrayEquals(new int[] {12, 4, 1}, Shape.contiguousStrides(2, 3, 4));
        assertArrayEquals(new int[] {4, 4, 1}, Shape.contiguousStrides(2, 0, 4));
        assertArrayEquals(new int[0], Shape.contiguousStrides());
        assertArrayEquals(new int[] {2, 3, 4}, Shape.broadcast("t", new int[] {3, 1}, new int[] {2, 1, 4}));
        assertArrayEquals(new int[] {0, 3}, Shape.broadcast("t", new int[] {0, 1}, new int[] {3}));
        assertArrayEquals(new int[0], Shape.broadcast("t", new int[0], new int[0]));
        assertEquals(2, Shape.wrapDim("t", -1, 3));
        assertEquals(0, Shape.wrapDim("t", -1, 0), "a 0-d tensor accepts dims 0 and -1");
        assertTrue(Shape.equals(new int[] {1, 2}, new int[] {1, 2}));
        assertFalse(Shape.equals(new int[] {1, 2}, new int[] {2, 1}));
        assertEquals(
                "shape (2, -1) has a negative size", message(IllegalArgumentException.class, () -> Shape.numel(2, -1)));
        assertMentions(message(IllegalArgumentException.class, () -> Shape.numel(1 << 16, 1 << 16)), "(65536, 65536)");
    }

    @Test
    void broadcastFailuresNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        assertEquals(
                "add: shapes (2, 3) and (4,) cannot be broadcast (dimension 1: 3 vs 4)",
                message(IllegalArgumentException.class, () -> a.add(b)));
        assertEquals(
                "mul: shapes (2, 3) and (3, 2) cannot be broadcast (dimension 0: 2 vs 3)",
                message(IllegalArgumentException.class, () -> a.mul(Tensor.zeros(3, 2))));
        assertMentions(message(IllegalArgumentException.class, () -> a.lt(b)), "lt", "(2, 3)", "(4,)");
        assertMentions(message(IllegalArgumentException.class, () -> a.maximum(b)), "maximum", "(2, 3)", "(4,)");
        assertMentions(message(IllegalArgumentException.class, () -> Tensor.where(a, b, b)), "where", "(2, 3)", "(4,)");
        assertMentions(message(IllegalArgumentException.class, () -> a.add_(b)), "add_", "(2, 3)", "(4,)");
        assertMentions(message(IllegalArgumentException.class, () -> b.add_(a)), "add_", "(2, 3)", "(4,)");
        assertMentions(message(IllegalArgumentException.class, () -> a.copy_(b)), "copy_", "(2, 3)", "(4,)");
        assertMentions(
                message(IllegalArgumentException.class, () -> a.maskedFill(b, 0)), "maskedFill", "(2, 3)", "(4,)");
        assertMentions(message(IllegalArgumentException.class, () -> a.expand(2, 4)), "expand", "(2, 3)", "(2, 4)");
    }

    @Test
    void outOfRangeDims() {
        Tensor t = Tensor.zeros(2, 3);
        assertEquals(
                "transpose: dimension 2 is out of range for a tensor of rank 2 (expected -2 to 1)",
                message(IndexOutOfBoundsException.class, () -> t.transpose(0, 2)));
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.permute(0, 3)), "permute", "3", "rank 2");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.select(-3, 0)), "select", "-3");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.narrow(2, 0, 1)), "narrow", "2");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.unsqueeze(3)), "unsqueeze", "3");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.squeeze(2)), "squeeze", "2");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.movedim(0, 2)), "movedim", "2");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.flatten(0, 2)), "flatten", "2");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.size(2)), "size", "2");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.slice(-3, 0, 1, 1)), "slice", "-3");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.mean(new int[] {0, 5}, false)), "mean", "5");
        assertMentions(message(IndexOutOfBoundsException.class, () -> t.logSoftmax(2)), "logSoftmax", "2");
        assertMentions(message(IllegalArgumentException.class, () -> t.permute(0, 0)), "permute", "repeats");
        assertMentions(message(IllegalArgumentException.class, () -> t.permute(0)), "permute", "(2, 3)");
    }

    @Test
    void outOfRangeIndices() {
        Tensor t = Tensor.zeros(2, 3);
        assertEquals(
                "get: index 3 is out of bounds for dimension 1 with size 3 (shape (2, 3))",
                message(IndexOutOfBoundsException.class, () -> t.getDouble(0, 3)));
        assertEquals(
                "set: index -3 is out of bounds for dimension 0 with size 2 (shape (2, 3))",
                message(IndexOutOfBoundsException.class, () -> t.set(1, -3, 0)));
        assertEquals(
                "get: expected 2 indices for shape (2, 3), got 1",
                message(IllegalArgumentException.class, () -> t.getDouble(1)));
        assertEquals(
                "select: index 3 is out of bounds for dimension 1 with size 3 (shape (2, 3))",
                message(IndexOutOfBoundsException.class, () -> t.select(1, 3)));
        assertEquals(
                "narrow: range [2, 2 + 2) is out of bounds for dimension 1 of shape (2, 3)",
                message(IndexOutOfBoundsException.class, () -> t.narrow(1, 2, 2)));
        assertMentions(message(IllegalArgumentException.class, () -> t.slice(1, 0, 3, 0)), "slice", "step", "0");
        assertMentions(message(IllegalStateException.class, () -> t.item()), "item", "(2, 3)");
    }

    @Test
    void reshapeErrors() {
        Tensor t = Tensor.zeros(2, 3);
        assertEquals(
                "reshape: cannot reshape tensor of shape (2, 3) (6 elements) into shape (4, 2) (8 elements)",
                message(IllegalArgumentException.class, () -> t.reshape(4, 2)));
        assertEquals(
                "view: cannot reshape tensor of shape (2, 3) (6 elements) into shape (4, -1)",
                message(IllegalArgumentException.class, () -> t.view(4, -1)));
        assertMentions(message(IllegalArgumentException.class, () -> t.reshape(-1, -1)), "reshape", "-1");
        assertMentions(message(IllegalStateException.class, () -> t.t().view(6)), "view", "(3, 2)", "(6,)", "reshape");
        assertMentions(
                message(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2)), "(2, 2)", "3");
    }

    @Test
    void inPlaceErrorsNameTheInPlaceOp() {
        assertEquals(
                "div_: not supported for int32 tensors (2,) and (2,); convert with to(DType.FLOAT32)",
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.ones(DType.INT32, 2).div_(Tensor.ones(DType.INT32, 2))));
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(1).expand(3).add_(Tensor.ones(3))),
                "add_: cannot write in place",
                "(3,)",
                "clone()");
        // a scalar operand and one of the target's shape take the path without a broadcast shape
        assertArrayEquals(new double[] {2, 2}, Ref.values(Tensor.ones(2).mul_(2)));
        assertArrayEquals(new double[] {2, 2}, Ref.values(Tensor.ones(2).add_(Tensor.ones(2))));
        assertMentions(
                message(IllegalArgumentException.class, () -> Tensor.ones(2).add_(Tensor.ones(1, 1, 2))),
                "add_",
                "(1, 1, 2)",
                "in-place target's shape (2,)");
    }

    @Test
    void dtypeErrors() {
        assertEquals(
                "sub: subtraction of two bool tensors (2,) and (2,) is not supported (as in PyTorch); use logicalXor "
                        + "or logicalNot to invert a mask",
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.BOOL, 2).sub(Tensor.zeros(DType.BOOL, 2))));
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.INT32, 2).add_(Tensor.zeros(2))),
                "add_",
                "float32",
                "int32");
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.FLOAT16, 2).add(Tensor.zeros(DType.FLOAT16, 2))),
                "add",
                "float16",
                "to(DType.FLOAT32)");
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.INT32, 2).sigmoid()),
                "sigmoid",
                "int32",
                "(2,)");
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.INT32, 2).var()),
                "var",
                "int32");
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.INT32, 2).logSoftmax(0)),
                "logSoftmax",
                "int32");
        assertMentions(
                message(
                        IllegalArgumentException.class,
                        () -> Tensor.zeros(DType.INT32, 2).add(0.5)),
                "add",
                "0.5",
                "int32");
        assertMentions(
                message(IllegalStateException.class, () -> Tensor.zeros(2).intData()), "intData", "float32");
        assertMentions(
                message(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(3, 1)), "clamp", "3", "1");
    }
}
