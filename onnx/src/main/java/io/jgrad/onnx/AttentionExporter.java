package io.jgrad.onnx;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Module;
import io.jgrad.layers.MultiheadAttention;
import io.jgrad.layers.TransformerEncoder;
import io.jgrad.layers.TransformerEncoderLayer;
import java.util.Map;

/**
 * Multi-head self-attention and the transformer encoder from primitive operators (MatMul, Reshape,
 * Transpose, Softmax), which every ONNX runtime has:
 * {@code softmax(Q K^T / sqrt(d)) V} per head, with {@code Q, K, V} the three slices of the input
 * projection, the heads concatenated, then the output projection.
 */
final class AttentionExporter {
    private AttentionExporter() {}

    static String selfAttention(MultiheadAttention m, String x, ExportContext ctx) {
        int[] s = ctx.shape(x);
        int e = m.embedDim();
        int heads = m.numHeads();
        int d = e / heads;
        boolean batchFirst = LayerFields.getBoolean(m, "batchFirst");
        if (s.length != 3 || s[2] != e) {
            throw ctx.unsupported(m, "expected an input of rank 3 with " + e + " features, got " + Shape.format(s));
        }
        OnnxGraph g = ctx.graph();
        // (B, L, E)
        String xb = batchFirst
                ? x
                : g.op("Transpose").input(x).attr("perm", new long[] {1, 0, 2}).output();
        Tensor w = m.parameter("in_proj_weight").data();
        Parameter bias = m.parameter("in_proj_bias");
        String[] names = {"q", "k", "v"};
        String[] proj = new String[3];
        for (int j = 0; j < 3; j++) {
            String wt = ctx.derived(
                    names[j] + "_proj_weight_t", w.narrow(0, j * e, e).t().contiguous());
            String p = g.op("MatMul").input(xb, wt).output();
            if (bias != null) {
                p = g.op("Add")
                        .input(
                                p,
                                ctx.derived(
                                        names[j] + "_proj_bias",
                                        bias.data().narrow(0, j * e, e).contiguous()))
                        .output();
            }
            // (B, L, E) -> (B, L, heads, d)
            proj[j] = g.op("Reshape").input(p, ctx.int64s(0, 0, heads, d)).output();
        }
        String q = g.op("Transpose")
                .input(proj[0])
                .attr("perm", new long[] {0, 2, 1, 3})
                .output(); // (B, h, L, d)
        String kt = g.op("Transpose")
                .input(proj[1])
                .attr("perm", new long[] {0, 2, 3, 1})
                .output(); // (B, h, d, L)
        String v = g.op("Transpose")
                .input(proj[2])
                .attr("perm", new long[] {0, 2, 1, 3})
                .output(); // (B, h, L, d)
        String scores = g.op("Mul")
                .input(g.op("MatMul").input(q, kt).output(), ctx.scalar((float) (1 / Math.sqrt(d))))
                .output();
        String attn = g.op("Softmax").input(scores).attr("axis", -1L).output();
        String o = g.op("MatMul").input(attn, v).output(); // (B, h, L, d)
        o = g.op("Transpose").input(o).attr("perm", new long[] {0, 2, 1, 3}).output(); // (B, L, h, d)
        o = g.op("Reshape").input(o, ctx.int64s(0, 0, e)).output(); // (B, L, E)
        ctx.declare(o, batchFirst ? s : new int[] {s[1], s[0], s[2]}, DType.FLOAT32);
        String y = ctx.export(m.namedChildren().get("out_proj"), "out_proj", o);
        return batchFirst
                ? y
                : g.op("Transpose").input(y).attr("perm", new long[] {1, 0, 2}).output();
    }

    static String encoderLayer(TransformerEncoderLayer m, String x, ExportContext ctx) {
        Map<String, Module> c = m.namedChildren();
        boolean normFirst = LayerFields.getBoolean(m, "normFirst");
        boolean gelu = LayerFields.getBoolean(m, "gelu");
        int[] s = ctx.shape(x);
        OnnxGraph g = ctx.graph();
        if (normFirst) {
            // x + sa(norm1(x)), then + ff(norm2(.))
            String a = ctx.export(c.get("self_attn"), "self_attn", ctx.export(c.get("norm1"), "norm1", x));
            String x1 = g.op("Add").input(x, a).output();
            ctx.declare(x1, s, DType.FLOAT32);
            String f = feedForward(c, ctx, ctx.export(c.get("norm2"), "norm2", x1), gelu);
            return g.op("Add").input(x1, f).output();
        }
        // norm1(x + sa(x)), then norm2(. + ff(.))
        String a = ctx.export(c.get("self_attn"), "self_attn", x);
        String sum1 = g.op("Add").input(x, a).output();
        ctx.declare(sum1, s, DType.FLOAT32);
        String x1 = ctx.export(c.get("norm1"), "norm1", sum1);
        String sum2 = g.op("Add").input(x1, feedForward(c, ctx, x1, gelu)).output();
        ctx.declare(sum2, s, DType.FLOAT32);
        return ctx.export(c.get("norm2"), "norm2", sum2);
    }

    /** linear2(activation(linear1(x))); the dropouts are the identity in evaluation mode. */
    private static String feedForward(Map<String, Module> c, ExportContext ctx, String x, boolean gelu) {
        String h = ctx.export(c.get("linear1"), "linear1", x);
        int[] hs = ctx.shape(h);
        String a = gelu
                ? LayerExporters.gelu(ctx, h, false)
                : ctx.graph().op("Relu").input(h).output();
        ctx.declare(a, hs, DType.FLOAT32);
        return ctx.export(c.get("linear2"), "linear2", a);
    }

    static String encoder(TransformerEncoder m, String x, ExportContext ctx) {
        for (int i = 0; i < m.numLayers(); i++) {
            x = ctx.export(m.layer(i), "layers." + i, x);
        }
        Module norm = m.namedChildren().get("norm");
        return norm == null ? x : ctx.export(norm, "norm", x);
    }
}
