package io.jgrad.onnx;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.GRU;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.MergeMode;
import io.jgrad.layers.RNNBase;
import io.jgrad.layers.RecurrentOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code LSTM}, {@code GRU} and {@code RNN} as ONNX's {@code LSTM}, {@code GRU} and {@code RNN}
 * operators, one node per layer (both directions in one node).
 *
 * <p>The gate blocks of the weights are re-ordered: PyTorch's (and jgrad's) LSTM stacks them as
 * i, f, g, o and ONNX's as i, o, f, c (c = g); PyTorch's GRU as r, z, n and ONNX's as z, r, h
 * (h = n). The GRU is exported with {@code linear_before_reset=1}, PyTorch's form
 * {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}. ONNX's bias input {@code B} is the input
 * biases followed by the recurrent ones, per direction.
 */
final class RecurrentExporter {
    private static final int[] LSTM_ORDER = {0, 3, 1, 2};
    private static final int[] GRU_ORDER = {1, 0, 2};
    private static final int[] RNN_ORDER = {0};

    private RecurrentExporter() {}

    static String export(RNNBase m, String x, ExportContext ctx) {
        RecurrentOptions o = m.options();
        if (LayerFields.getBoolean(o, "stateful")) {
            throw ctx.unsupported(
                    m, "a stateful layer carries its states from call to call, which an ONNX graph cannot");
        }
        int[] s = ctx.shape(x);
        if (s.length != 3) {
            throw ctx.unsupported(m, "expected an input of rank 3, got " + Shape.format(s));
        }
        boolean lstm = m instanceof LSTM;
        boolean gru = m instanceof GRU;
        String op = lstm ? "LSTM" : gru ? "GRU" : "RNN";
        int[] order = lstm ? LSTM_ORDER : gru ? GRU_ORDER : RNN_ORDER;
        int layers = LayerFields.getInt(o, "numLayers");
        boolean bidirectional = LayerFields.getBoolean(o, "bidirectional");
        boolean batchFirst = LayerFields.getBoolean(o, "batchFirst");
        boolean bias = LayerFields.getBoolean(o, "bias");
        boolean returnSequences = LayerFields.getBoolean(o, "returnSequences");
        MergeMode merge = LayerFields.get(o, "mergeMode", MergeMode.class);
        String nonlinearity = LayerFields.get(o, "nonlinearity", String.class);
        int directions = bidirectional ? 2 : 1;
        int h = m.hiddenSize();
        OnnxGraph g = ctx.graph();

        // ONNX's recurrent operators read (T, B, in)
        String in = batchFirst
                ? g.op("Transpose").input(x).attr("perm", new long[] {1, 0, 2}).output()
                : x;
        String[] outs = null;
        for (int layer = 0; layer < layers; layer++) {
            if (layer > 0) {
                // Y (T, D, B, H) -> (T, B, D * H): the directions concatenated, as the next layer reads them
                in = concatDirections(g, ctx, outs[0]);
            }
            List<Tensor> w = new ArrayList<>();
            List<Tensor> r = new ArrayList<>();
            List<Tensor> b = new ArrayList<>();
            for (int dir = 0; dir < directions; dir++) {
                String sfx = "_l" + layer + (dir == 1 ? "_reverse" : "");
                w.add(reorder(m.parameter("weight_ih" + sfx).data(), order, h));
                r.add(reorder(m.parameter("weight_hh" + sfx).data(), order, h));
                if (bias) {
                    b.add(Tensor.cat(
                            0,
                            reorder(m.parameter("bias_ih" + sfx).data(), order, h),
                            reorder(m.parameter("bias_hh" + sfx).data(), order, h)));
                }
            }
            OnnxGraph.Node n =
                    g.op(op).input(in, ctx.derived("W_l" + layer, stack(w)), ctx.derived("R_l" + layer, stack(r)));
            if (bias) {
                n.input(ctx.derived("B_l" + layer, stack(b)));
            }
            n.attr("hidden_size", (long) h).attr("direction", bidirectional ? "bidirectional" : "forward");
            if (gru) {
                n.attr("linear_before_reset", 1L);
            } else if (!lstm) {
                String act = "relu".equals(nonlinearity) ? "Relu" : "Tanh";
                n.attr("activations", bidirectional ? new String[] {act, act} : new String[] {act});
            }
            outs = n.outputs(lstm ? 3 : 2);
        }

        String y;
        if (returnSequences) {
            // Y (T, D, B, H)
            if (directions == 1 || merge == MergeMode.CONCAT) {
                y = concatDirections(g, ctx, outs[0]);
            } else {
                y = reduceDirections(g, ctx, outs[0], 1, merge);
            }
            if (batchFirst) {
                y = g.op("Transpose")
                        .input(y)
                        .attr("perm", new long[] {1, 0, 2})
                        .output();
            }
        } else {
            // Y_h (D, B, H): the final state of each direction of the last layer
            if (directions == 1 || merge == MergeMode.CONCAT) {
                String t = g.op("Transpose")
                        .input(outs[1])
                        .attr("perm", new long[] {1, 0, 2})
                        .output();
                y = g.op("Reshape").input(t, ctx.int64s(0, -1)).output();
            } else {
                y = reduceDirections(g, ctx, outs[1], 0, merge);
            }
        }
        return y;
    }

    /** Y (T, D, B, H) to (T, B, D * H). */
    private static String concatDirections(OnnxGraph g, ExportContext ctx, String y) {
        String t =
                g.op("Transpose").input(y).attr("perm", new long[] {0, 2, 1, 3}).output();
        return g.op("Reshape").input(t, ctx.int64s(0, 0, -1)).output();
    }

    /** Sum, product or mean of the two directions along {@code axis}. */
    private static String reduceDirections(OnnxGraph g, ExportContext ctx, String y, int axis, MergeMode merge) {
        switch (merge) {
            case SUM:
                // opset 13 moved ReduceSum's axes to an input
                return g.op("ReduceSum")
                        .input(y, ctx.int64s(axis))
                        .attr("keepdims", 0L)
                        .output();
            case MUL:
                return g.op("ReduceProd")
                        .input(y)
                        .attr("axes", new long[] {axis})
                        .attr("keepdims", 0L)
                        .output();
            default:
                return g.op("ReduceMean")
                        .input(y)
                        .attr("axes", new long[] {axis})
                        .attr("keepdims", 0L)
                        .output();
        }
    }

    /** The gate blocks of {@code (G*H, ...)} (or {@code (G*H)}) in ONNX's order. */
    private static Tensor reorder(Tensor t, int[] order, int h) {
        Tensor[] blocks = new Tensor[order.length];
        for (int k = 0; k < order.length; k++) {
            blocks[k] = t.narrow(0, order[k] * h, h);
        }
        return Tensor.cat(0, blocks);
    }

    /** The directions stacked along a new first dimension. */
    private static Tensor stack(List<Tensor> perDirection) {
        Tensor[] parts = new Tensor[perDirection.size()];
        for (int d = 0; d < parts.length; d++) {
            Tensor t = perDirection.get(d).contiguous();
            int[] shape = new int[t.dim() + 1];
            shape[0] = 1;
            System.arraycopy(t.shape(), 0, shape, 1, t.dim());
            parts[d] = t.reshape(shape);
        }
        return Tensor.cat(0, parts);
    }
}
