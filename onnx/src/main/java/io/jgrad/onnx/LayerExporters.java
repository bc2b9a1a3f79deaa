package io.jgrad.onnx;

import static io.jgrad.onnx.LayerFields.getBoolean;
import static io.jgrad.onnx.LayerFields.getDouble;
import static io.jgrad.onnx.LayerFields.getInt;
import static io.jgrad.onnx.LayerFields.getInts;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.AdaptiveAvgPool1d;
import io.jgrad.layers.AdaptiveAvgPool2d;
import io.jgrad.layers.AdaptiveMaxPool1d;
import io.jgrad.layers.AdaptiveMaxPool2d;
import io.jgrad.layers.AlphaDropout;
import io.jgrad.layers.AvgPool1d;
import io.jgrad.layers.AvgPool2d;
import io.jgrad.layers.BatchNorm;
import io.jgrad.layers.BatchNorm1d;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv1d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvNd;
import io.jgrad.layers.ConvTranspose1d;
import io.jgrad.layers.ConvTranspose2d;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Dropout2d;
import io.jgrad.layers.ELU;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.GELU;
import io.jgrad.layers.GRU;
import io.jgrad.layers.GlobalAvgPool;
import io.jgrad.layers.GlobalMaxPool;
import io.jgrad.layers.GroupNorm;
import io.jgrad.layers.Identity;
import io.jgrad.layers.InstanceNorm2d;
import io.jgrad.layers.InterpolationMode;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.LayerNorm;
import io.jgrad.layers.LeakyReLU;
import io.jgrad.layers.LearnedPositionalEmbedding;
import io.jgrad.layers.Linear;
import io.jgrad.layers.LogSoftmax;
import io.jgrad.layers.MaxPool1d;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Mish;
import io.jgrad.layers.Module;
import io.jgrad.layers.MultiheadAttention;
import io.jgrad.layers.Normalization;
import io.jgrad.layers.PixelShuffle;
import io.jgrad.layers.PixelUnshuffle;
import io.jgrad.layers.PositionalEncoding;
import io.jgrad.layers.RNN;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Reshape;
import io.jgrad.layers.Residual;
import io.jgrad.layers.SELU;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.SiLU;
import io.jgrad.layers.Sigmoid;
import io.jgrad.layers.Softmax;
import io.jgrad.layers.Tanh;
import io.jgrad.layers.TimeDistributed;
import io.jgrad.layers.TransformerEncoder;
import io.jgrad.layers.TransformerEncoderLayer;
import io.jgrad.layers.Upsample;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exporters of the library's layers, registered by exact class. */
final class LayerExporters {
    /** PyTorch's SELU constants (ONNX's defaults are these rounded to float32). */
    private static final float SELU_ALPHA = 1.6732632423543772f;

    private static final float SELU_SCALE = 1.0507009873554805f;

    private LayerExporters() {}

    static Map<Class<?>, LayerExporter<?>> defaults() {
        Map<Class<?>, LayerExporter<?>> r = new LinkedHashMap<>();
        // containers
        put(r, Sequential.class, LayerExporters::sequential);
        put(r, Residual.class, LayerExporters::residual);
        put(r, Identity.class, (m, x, ctx) -> x);
        put(r, TimeDistributed.class, LayerExporters::timeDistributed);
        // weighted layers
        put(r, Linear.class, LayerExporters::linear);
        put(r, Conv1d.class, LayerExporters::conv);
        put(r, Conv2d.class, LayerExporters::conv);
        put(r, ConvTranspose1d.class, LayerExporters::conv);
        put(r, ConvTranspose2d.class, LayerExporters::conv);
        put(r, Embedding.class, LayerExporters::embedding);
        // pooling
        put(
                r,
                MaxPool1d.class,
                (m, x, ctx) -> maxPool(
                        m,
                        x,
                        ctx,
                        new int[] {getInt(m, "kernel")},
                        new int[] {getInt(m, "stride")},
                        new int[] {getInt(m, "padding")},
                        new int[] {getInt(m, "dilation")}));
        put(
                r,
                MaxPool2d.class,
                (m, x, ctx) -> maxPool(
                        m,
                        x,
                        ctx,
                        getInts(m, "kernel"),
                        getInts(m, "stride"),
                        getInts(m, "padding"),
                        getInts(m, "dilation")));
        put(
                r,
                AvgPool1d.class,
                (m, x, ctx) ->
                        avgPool(m, x, ctx, new int[] {getInt(m, "kernel")}, new int[] {getInt(m, "stride")}, new int[] {
                            getInt(m, "padding")
                        }));
        put(
                r,
                AvgPool2d.class,
                (m, x, ctx) -> avgPool(m, x, ctx, getInts(m, "kernel"), getInts(m, "stride"), getInts(m, "padding")));
        put(r, AdaptiveAvgPool1d.class, (m, x, ctx) -> adaptivePool(m, x, ctx, false, new int[] {getInt(m, "outL")}));
        put(
                r,
                AdaptiveAvgPool2d.class,
                (m, x, ctx) -> adaptivePool(m, x, ctx, false, new int[] {getInt(m, "outH"), getInt(m, "outW")}));
        put(r, AdaptiveMaxPool1d.class, (m, x, ctx) -> adaptivePool(m, x, ctx, true, new int[] {getInt(m, "outL")}));
        put(
                r,
                AdaptiveMaxPool2d.class,
                (m, x, ctx) -> adaptivePool(m, x, ctx, true, new int[] {getInt(m, "outH"), getInt(m, "outW")}));
        put(r, GlobalAvgPool.class, (m, x, ctx) -> globalPool(m, x, ctx, "ReduceMean"));
        put(r, GlobalMaxPool.class, (m, x, ctx) -> globalPool(m, x, ctx, "ReduceMax"));
        // shapes
        put(r, Flatten.class, LayerExporters::flatten);
        put(r, Reshape.class, (m, x, ctx) -> {
            int[] shape = getInts(m, "shape");
            long[] target = new long[shape.length + 1];
            for (int i = 0; i < shape.length; i++) {
                target[i + 1] = shape[i];
            }
            // 0 keeps the batch dimension of the input
            return ctx.graph().op("Reshape").input(x, ctx.int64s(target)).output();
        });
        put(r, Upsample.class, LayerExporters::upsample);
        put(r, PixelShuffle.class, (m, x, ctx) -> pixelShuffle(m, x, ctx, getInt(m, "upscaleFactor"), true));
        put(r, PixelUnshuffle.class, (m, x, ctx) -> pixelShuffle(m, x, ctx, getInt(m, "downscaleFactor"), false));
        // normalization
        put(r, BatchNorm1d.class, LayerExporters::batchNorm);
        put(r, BatchNorm2d.class, LayerExporters::batchNorm);
        put(r, LayerNorm.class, LayerExporters::layerNorm);
        put(r, GroupNorm.class, LayerExporters::groupNorm);
        put(r, InstanceNorm2d.class, LayerExporters::instanceNorm);
        put(r, Normalization.class, (m, x, ctx) -> {
            Tensor std = m.variance().sqrt().clamp(Normalization.EPSILON, Double.POSITIVE_INFINITY);
            String c =
                    ctx.graph().op("Sub").input(x, ctx.tensor("mean", m.mean())).output();
            return ctx.graph().op("Div").input(c, ctx.derived("std", std)).output();
        });
        // dropout: the identity in evaluation mode
        put(r, Dropout.class, (m, x, ctx) -> x);
        put(r, Dropout2d.class, (m, x, ctx) -> x);
        put(r, AlphaDropout.class, (m, x, ctx) -> x);
        // activations
        put(r, ReLU.class, (m, x, ctx) -> unary(ctx, "Relu", x));
        put(r, Sigmoid.class, (m, x, ctx) -> unary(ctx, "Sigmoid", x));
        put(r, Tanh.class, (m, x, ctx) -> unary(ctx, "Tanh", x));
        put(
                r,
                ELU.class,
                (m, x, ctx) -> ctx.graph()
                        .op("Elu")
                        .input(x)
                        .attr("alpha", (float) getDouble(m, "alpha"))
                        .output());
        put(
                r,
                LeakyReLU.class,
                (m, x, ctx) -> ctx.graph()
                        .op("LeakyRelu")
                        .input(x)
                        .attr("alpha", (float) getDouble(m, "negativeSlope"))
                        .output());
        put(
                r,
                SELU.class,
                (m, x, ctx) -> ctx.graph()
                        .op("Selu")
                        .input(x)
                        .attr("alpha", SELU_ALPHA)
                        .attr("gamma", SELU_SCALE)
                        .output());
        put(r, GELU.class, (m, x, ctx) -> gelu(ctx, x, getBoolean(m, "tanhApproximation")));
        put(
                r,
                SiLU.class,
                (m, x, ctx) ->
                        ctx.graph().op("Mul").input(x, unary(ctx, "Sigmoid", x)).output());
        put(
                r,
                Mish.class,
                (m, x, ctx) -> ctx.graph()
                        .op("Mul")
                        .input(x, unary(ctx, "Tanh", unary(ctx, "Softplus", x)))
                        .output());
        put(
                r,
                Softmax.class,
                (m, x, ctx) -> ctx.graph()
                        .op("Softmax")
                        .input(x)
                        .attr("axis", getInt(m, "dim"))
                        .output());
        put(
                r,
                LogSoftmax.class,
                (m, x, ctx) -> ctx.graph()
                        .op("LogSoftmax")
                        .input(x)
                        .attr("axis", getInt(m, "dim"))
                        .output());
        // sequences
        put(r, LSTM.class, RecurrentExporter::export);
        put(r, GRU.class, RecurrentExporter::export);
        put(r, RNN.class, RecurrentExporter::export);
        put(r, MultiheadAttention.class, AttentionExporter::selfAttention);
        put(r, TransformerEncoderLayer.class, AttentionExporter::encoderLayer);
        put(r, TransformerEncoder.class, AttentionExporter::encoder);
        put(r, PositionalEncoding.class, LayerExporters::positionalEncoding);
        put(r, LearnedPositionalEmbedding.class, LayerExporters::learnedPositions);
        return r;
    }

    private static <M extends Module> void put(Map<Class<?>, LayerExporter<?>> r, Class<M> type, LayerExporter<M> e) {
        r.put(type, e);
    }

    static String unary(ExportContext ctx, String op, String x) {
        return ctx.graph().op(op).input(x).output();
    }

    // ------------------------------------------------------------------------------------------ containers

    private static String sequential(Sequential s, String x, ExportContext ctx) {
        for (Map.Entry<String, Module> e : s.namedChildren().entrySet()) {
            x = ctx.export(e.getValue(), e.getKey(), x);
        }
        return x;
    }

    private static String residual(Residual r, String x, ExportContext ctx) {
        Map<String, Module> children = r.namedChildren();
        String y = ctx.export(children.get("body"), "body", x);
        Module shortcut = children.get("shortcut");
        String s = shortcut == null ? x : ctx.export(shortcut, "shortcut", x);
        return ctx.graph().op("Add").input(y, s).output();
    }

    /** (B, T, ...) folded to (B T, ...), the wrapped module, then unfolded to (B, T, ...) with B and T read at run time. */
    private static String timeDistributed(TimeDistributed m, String x, ExportContext ctx) {
        int[] s = ctx.shape(x);
        if (s.length < 3) {
            throw ctx.unsupported(m, "expected an input (B, T, ...) of at least 3 dimensions, got " + Shape.format(s));
        }
        long[] folded = new long[s.length - 1];
        folded[0] = -1;
        int[] foldedShape = new int[s.length - 1];
        foldedShape[0] = s[0] < 0 || s[1] < 0 ? -1 : s[0] * s[1];
        for (int i = 2; i < s.length; i++) {
            if (s[i] < 0) {
                throw ctx.unsupported(
                        m, "only the batch and time dimensions may be dynamic, got input " + Shape.format(s));
            }
            folded[i - 1] = s[i];
            foldedShape[i - 1] = s[i];
        }
        OnnxGraph g = ctx.graph();
        String f = g.op("Reshape").input(x, ctx.int64s(folded)).output();
        ctx.declare(f, foldedShape, ctx.dtype(x));
        String y = ctx.export(m.module(), "module", f);
        int[] ys = ctx.shape(y);
        long[] rest = new long[ys.length - 1];
        for (int i = 1; i < ys.length; i++) {
            if (ys[i] < 0) {
                throw ctx.unsupported(
                        m,
                        "the wrapped module's output " + Shape.format(ys)
                                + " has a dynamic dimension besides the batch");
            }
            rest[i - 1] = ys[i];
        }
        String bt = g.op("Slice")
                .input(g.op("Shape").input(x).output(), ctx.int64s(0), ctx.int64s(2))
                .output();
        String shape =
                g.op("Concat").input(bt, ctx.int64s(rest)).attr("axis", 0L).output();
        return g.op("Reshape").input(y, shape).output();
    }

    // ------------------------------------------------------------------------------------------ weighted layers

    static String linear(Linear m, String x, ExportContext ctx) {
        String b = ctx.parameter(m, "bias");
        if (ctx.shape(x).length == 2) {
            // (N, in) x (out, in)^T + b
            return ctx.graph()
                    .op("Gemm")
                    .input(x, ctx.parameter(m, "weight"))
                    .input(b == null ? new String[0] : new String[] {b})
                    .attr("transB", 1L)
                    .output();
        }
        // (..., in): MatMul broadcasts over the leading dimensions
        String wt = ctx.derived("weight_t", m.weight().data().t().contiguous());
        String y = ctx.graph().op("MatMul").input(x, wt).output();
        return b == null ? y : ctx.graph().op("Add").input(y, b).output();
    }

    private static String conv(ConvNd m, String x, ExportContext ctx) {
        int[] kernel = getInts(m, "kernel");
        int dims = kernel.length;
        int[] stride = getInts(m, "stride");
        int[] dilation = getInts(m, "dilation");
        int groups = getInt(m, "groups");
        boolean transposed = getBoolean(m, "transposed");
        int[] convPadding = getInts(m, "convPadding");
        int[] explicitPads = getInts(m, "explicitPads");
        Tensor.PadMode mode = LayerFields.get(m, "paddingMode", Tensor.PadMode.class);
        // ONNX pads: all begins, then all ends
        long[] pads = new long[2 * dims];
        for (int d = 0; d < dims; d++) {
            pads[d] = convPadding[d];
            pads[dims + d] = convPadding[d];
        }
        if (explicitPads != null) {
            // explicitPads is F.pad's layout: (left, right) of the last dimension first
            long[] full = new long[2 * (dims + 2)];
            for (int d = 0; d < dims; d++) {
                long left = explicitPads[2 * (dims - 1 - d)];
                long right = explicitPads[2 * (dims - 1 - d) + 1];
                if (mode == Tensor.PadMode.CONSTANT) {
                    pads[d] = left;
                    pads[dims + d] = right;
                } else {
                    full[2 + d] = left;
                    full[dims + 2 + 2 + d] = right;
                }
            }
            if (mode != Tensor.PadMode.CONSTANT) {
                String onnxMode = mode == Tensor.PadMode.REFLECT ? "reflect" : "edge";
                x = ctx.graph()
                        .op("Pad")
                        .input(x, ctx.int64s(full))
                        .attr("mode", onnxMode)
                        .output();
            }
        }
        OnnxGraph.Node n = ctx.graph().op(transposed ? "ConvTranspose" : "Conv").input(x, ctx.parameter(m, "weight"));
        String b = ctx.parameter(m, "bias");
        if (b != null) {
            n.input(b);
        }
        n.attr("kernel_shape", kernel)
                .attr("strides", stride)
                .attr("dilations", dilation)
                .attr("pads", pads)
                .attr("group", groups);
        if (transposed) {
            n.attr("output_padding", getInts(m, "outputPadding"));
        }
        return n.output();
    }

    private static String embedding(Embedding m, String x, ExportContext ctx) {
        if (!Double.isNaN(getDouble(m, "maxNorm"))) {
            throw ctx.unsupported(
                    m,
                    "maxNorm renormalizes the looked-up rows in place at every call, which an ONNX graph "
                            + "cannot do; export a copy without maxNorm");
        }
        return ctx.graph()
                .op("Gather")
                .input(ctx.parameter(m, "weight"), x)
                .attr("axis", 0L)
                .output();
    }

    // ------------------------------------------------------------------------------------------ pooling

    private static String maxPool(
            Module m, String x, ExportContext ctx, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        checkRank(m, ctx, x, kernel.length + 2);
        long[] pads =
                getBoolean(m, "ceilMode") ? ceilPads(m, x, ctx, kernel, stride, padding, dilation) : symmetric(padding);
        return ctx.graph()
                .op("MaxPool")
                .input(x)
                .attr("kernel_shape", kernel)
                .attr("strides", stride)
                .attr("pads", pads)
                .attr("dilations", dilation)
                .output();
    }

    private static String avgPool(Module m, String x, ExportContext ctx, int[] kernel, int[] stride, int[] padding) {
        int dims = kernel.length;
        checkRank(m, ctx, x, dims + 2);
        boolean ceil = getBoolean(m, "ceilMode");
        boolean countIncludePad = getBoolean(m, "countIncludePad");
        int[] ones = new int[dims];
        Arrays.fill(ones, 1);
        long[] pads = ceil ? ceilPads(m, x, ctx, kernel, stride, padding, ones) : symmetric(padding);
        String y = ctx.graph()
                .op("AveragePool")
                .input(x)
                .attr("kernel_shape", kernel)
                .attr("strides", stride)
                .attr("pads", pads)
                .attr("count_include_pad", countIncludePad ? 1L : 0L)
                .output();
        return ceil && countIncludePad ? ceilWindowCorrection(x, y, ctx, kernel, stride, padding) : y;
    }

    /**
     * Ceil mode as explicit end padding, in floor mode. Runtimes and ONNX versions disagree on ceil
     * mode's last window (ONNX 1.12's shape inference keeps a window that would start in the right
     * padding, which PyTorch, jgrad and ONNX Runtime drop), so the export pads the end just enough for
     * the windows PyTorch computes, and no runtime has to choose.
     */
    private static long[] ceilPads(
            Module m, String x, ExportContext ctx, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int[] s = ctx.shape(x);
        int dims = kernel.length;
        long[] pads = symmetric(padding);
        for (int d = 0; d < dims; d++) {
            int n = s[2 + d];
            if (n < 0) {
                throw ctx.unsupported(m, "ceil mode needs static spatial sizes, got input " + Shape.format(s));
            }
            int span = dilation[d] * (kernel[d] - 1) + 1;
            int o = ceilOutputs(n, span, stride[d], padding[d]);
            int end = Math.max(padding[d], (o - 1) * stride[d] + span - n - padding[d]);
            if (end >= span) {
                throw ctx.unsupported(
                        m,
                        "ceil mode would need an end padding of " + end + " on spatial axis " + d
                                + ", not smaller than the window " + span + ", for input " + Shape.format(s));
            }
            pads[dims + d] = end;
        }
        return pads;
    }

    /** PyTorch's output count in ceil mode: the last window may not start in the right padding. */
    private static int ceilOutputs(int n, int span, int stride, int padding) {
        int o = -Math.floorDiv(-(n + 2 * padding - span), stride) + 1;
        return (o - 1) * stride >= n + padding ? o - 1 : o;
    }

    /**
     * With ceil mode and padding counted, a last window that runs past the padded input is divided,
     * in PyTorch (and jgrad), by the part of it inside the padded input; the exported pooling divides
     * by the whole kernel (its extra end padding counts), so such outputs are multiplied by
     * {@code kernel / inside}, per axis.
     */
    private static String ceilWindowCorrection(
            String x, String y, ExportContext ctx, int[] kernel, int[] stride, int[] padding) {
        int[] s = ctx.shape(x);
        int dims = kernel.length;
        int[] out = new int[dims];
        double[][] factor = new double[dims][];
        boolean any = false;
        for (int d = 0; d < dims; d++) {
            int n = s[2 + d];
            int o = ceilOutputs(n, kernel[d], stride[d], padding[d]);
            out[d] = o;
            factor[d] = new double[o];
            for (int i = 0; i < o; i++) {
                int start = i * stride[d] - padding[d];
                int end = Math.min(start + kernel[d], n + padding[d]);
                factor[d][i] = (double) kernel[d] / (end - start);
                any |= end - start != kernel[d];
            }
        }
        if (!any) {
            return y;
        }
        float[] f = new float[Shape.numel(out)];
        for (int k = 0; k < f.length; k++) {
            double v = 1;
            for (int d = dims - 1, rest = k; d >= 0; rest /= out[d], d--) {
                v *= factor[d][rest % out[d]];
            }
            f[k] = (float) v;
        }
        return ctx.graph()
                .op("Mul")
                .input(y, ctx.derived("ceil_correction", Tensor.of(f, out)))
                .output();
    }

    private static long[] symmetric(int[] padding) {
        long[] pads = new long[2 * padding.length];
        for (int d = 0; d < padding.length; d++) {
            pads[d] = padding[d];
            pads[padding.length + d] = padding[d];
        }
        return pads;
    }

    private static void checkRank(Module m, ExportContext ctx, String x, int rank) {
        int[] s = ctx.shape(x);
        if (s.length != rank) {
            throw ctx.unsupported(
                    m, "expected an input of rank " + rank + " (with a batch dimension), got " + Shape.format(s));
        }
    }

    /**
     * Adaptive pooling, axis by axis (an average or a maximum over a rectangle is the same taken over
     * its rows, then over its columns): output cell i of an axis of size n pools
     * {@code [floor(i n / o), ceil((i + 1) n / o))}. When o divides n this is a plain pooling.
     */
    private static String adaptivePool(Module m, String x, ExportContext ctx, boolean max, int[] out) {
        int[] s = ctx.shape(x);
        int dims = out.length;
        checkRank(m, ctx, x, dims + 2);
        int[] in = Arrays.copyOfRange(s, 2, s.length);
        for (int d = 0; d < dims; d++) {
            if (in[d] < 0) {
                throw ctx.unsupported(m, "adaptive pooling needs static spatial sizes, got input " + Shape.format(s));
            }
        }
        boolean divisible = true;
        for (int d = 0; d < dims; d++) {
            divisible &= in[d] % out[d] == 0;
        }
        if (divisible) {
            int[] k = new int[dims];
            for (int d = 0; d < dims; d++) {
                k[d] = in[d] / out[d];
            }
            return ctx.graph()
                    .op(max ? "MaxPool" : "AveragePool")
                    .input(x)
                    .attr("kernel_shape", k)
                    .attr("strides", k)
                    .output();
        }
        String reduce = max ? "ReduceMax" : "ReduceMean";
        for (int d = 0; d < dims; d++) {
            int n = in[d];
            int o = out[d];
            if (n == o) {
                continue;
            }
            int axis = d + 2;
            String[] cells = new String[o];
            for (int i = 0; i < o; i++) {
                long start = Math.floorDiv((long) i * n, o);
                long end = -Math.floorDiv(-(long) (i + 1) * n, o);
                String slice = ctx.graph()
                        .op("Slice")
                        .input(x, ctx.int64s(start), ctx.int64s(end), ctx.int64s(axis))
                        .output();
                cells[i] = ctx.graph()
                        .op(reduce)
                        .input(slice)
                        .attr("axes", new long[] {axis})
                        .attr("keepdims", 1L)
                        .output();
            }
            x = ctx.graph().op("Concat").input(cells).attr("axis", (long) axis).output();
        }
        return x;
    }

    private static String globalPool(Module m, String x, ExportContext ctx, String reduce) {
        int rank = ctx.shape(x).length;
        if (rank < 3) {
            throw ctx.unsupported(
                    m, "expected an input (N, C, ...) with spatial dimensions, got " + Shape.format(ctx.shape(x)));
        }
        long[] axes = new long[rank - 2];
        for (int k = 0; k < axes.length; k++) {
            axes[k] = k + 2L;
        }
        return ctx.graph()
                .op(reduce)
                .input(x)
                .attr("axes", axes)
                .attr("keepdims", getBoolean(m, "keepDims") ? 1L : 0L)
                .output();
    }

    // ------------------------------------------------------------------------------------------ shapes

    private static String flatten(Flatten m, String x, ExportContext ctx) {
        int[] s = ctx.shape(x);
        int rank = s.length;
        int start = getInt(m, "startDim");
        int end = getInt(m, "endDim");
        start = start < 0 ? start + rank : start;
        end = end < 0 ? end + rank : end;
        if (start < 0 || end >= rank || start > end) {
            throw ctx.unsupported(
                    m,
                    "startDim/endDim " + getInt(m, "startDim") + "/" + getInt(m, "endDim") + " do not fit the input "
                            + Shape.format(s));
        }
        if (start == end) {
            return x;
        }
        if (start == 1 && end == rank - 1) {
            return ctx.graph().op("Flatten").input(x).attr("axis", 1L).output();
        }
        // Reshape: 0 copies a leading dimension; the merged dimensions are one (or -1 when one is dynamic)
        long[] target = new long[rank - (end - start)];
        int dynamicCount = 0;
        long merged = 1;
        for (int i = start; i <= end; i++) {
            if (s[i] < 0) {
                merged = -1;
            } else if (merged > 0) {
                merged *= s[i];
            }
        }
        for (int i = 0; i < start; i++) {
            target[i] = 0;
        }
        target[start] = merged;
        dynamicCount += merged < 0 ? 1 : 0;
        for (int i = end + 1; i < rank; i++) {
            target[i - (end - start)] = s[i];
            dynamicCount += s[i] < 0 ? 1 : 0;
        }
        if (dynamicCount > 1) {
            throw ctx.unsupported(
                    m,
                    "cannot flatten dimensions " + start + ".." + end + " of " + Shape.format(s)
                            + " with more than one dynamic dimension outside the leading ones");
        }
        return ctx.graph().op("Reshape").input(x, ctx.int64s(target)).output();
    }

    /**
     * Upsample as ONNX's Resize with PyTorch's coordinate rules: nearest is {@code asymmetric} with
     * {@code floor}, nearest-exact {@code half_pixel} with {@code round_prefer_ceil}, (bi)linear
     * {@code align_corners} or {@code pytorch_half_pixel}. A scale factor is passed as scales (PyTorch
     * maps coordinates with the factor itself), an output size as sizes.
     */
    private static String upsample(Upsample m, String x, ExportContext ctx) {
        int[] s = ctx.shape(x);
        int spatial = s.length - 2;
        if (spatial < 1 || spatial > 2) {
            throw ctx.unsupported(m, "expected an input (N, C, L) or (N, C, H, W), got " + Shape.format(s));
        }
        for (int d = 2; d < s.length; d++) {
            if (s[d] < 0) {
                throw ctx.unsupported(m, "needs static spatial sizes, got input " + Shape.format(s));
            }
        }
        int[] size = getInts(m, "size");
        double[] factor = LayerFields.get(m, "scaleFactor", double[].class);
        InterpolationMode mode = LayerFields.get(m, "mode", InterpolationMode.class);
        boolean alignCorners = getBoolean(m, "alignCorners");
        OnnxGraph g = ctx.graph();
        OnnxGraph.Node n = g.op("Resize").input(x, "");
        if (factor != null) {
            float[] scales = new float[s.length];
            scales[0] = 1;
            scales[1] = 1;
            for (int d = 0; d < spatial; d++) {
                double f = factor[factor.length == 1 ? 0 : d];
                scales[2 + d] = (float) f;
                // the runtime sizes the output with the float32 factor, jgrad (like PyTorch) in double
                if (Math.floor(s[2 + d] * (double) (float) f) != Math.floor(s[2 + d] * f)) {
                    throw ctx.unsupported(
                            m,
                            "the scale factor " + f + " rounds to another output size in float32 for input "
                                    + Shape.format(s));
                }
            }
            n.input(ctx.derived("scales", Tensor.of(scales, scales.length)));
        } else {
            long[] out = new long[spatial];
            for (int d = 0; d < spatial; d++) {
                out[d] = size[size.length == 1 ? 0 : d];
            }
            String nc = g.op("Slice")
                    .input(g.op("Shape").input(x).output(), ctx.int64s(0), ctx.int64s(2))
                    .output();
            n.input(
                    "",
                    g.op("Concat").input(nc, ctx.int64s(out)).attr("axis", 0L).output());
        }
        switch (mode) {
            case NEAREST:
                n.attr("mode", "nearest")
                        .attr("coordinate_transformation_mode", "asymmetric")
                        .attr("nearest_mode", "floor");
                break;
            case NEAREST_EXACT:
                n.attr("mode", "nearest")
                        .attr("coordinate_transformation_mode", "half_pixel")
                        .attr("nearest_mode", "round_prefer_ceil");
                break;
            default:
                n.attr("mode", "linear")
                        .attr("coordinate_transformation_mode", alignCorners ? "align_corners" : "pytorch_half_pixel");
        }
        return n.output();
    }

    /**
     * Pixel shuffle (N, C r^2, H, W) to (N, C, H r, W r), and its inverse, as jgrad computes them: a
     * reshape to six dimensions, a transpose, a reshape back.
     */
    private static String pixelShuffle(Module m, String x, ExportContext ctx, int r, boolean up) {
        int[] s = ctx.shape(x);
        if (s.length != 4 || s[1] < 0 || s[2] < 0 || s[3] < 0) {
            throw ctx.unsupported(m, "expected an input (N, C, H, W) with static C, H and W, got " + Shape.format(s));
        }
        OnnxGraph g = ctx.graph();
        long[] split;
        long[] perm;
        long[] merged;
        if (up) {
            int c = s[1] / (r * r);
            split = new long[] {0, c, r, r, s[2], s[3]};
            perm = new long[] {0, 1, 4, 2, 5, 3};
            merged = new long[] {0, c, (long) s[2] * r, (long) s[3] * r};
        } else {
            int h = s[2] / r;
            int w = s[3] / r;
            split = new long[] {0, s[1], h, r, w, r};
            perm = new long[] {0, 1, 3, 5, 2, 4};
            merged = new long[] {0, (long) s[1] * r * r, h, w};
        }
        String six = g.op("Reshape").input(x, ctx.int64s(split)).output();
        String t = g.op("Transpose").input(six).attr("perm", perm).output();
        return g.op("Reshape").input(t, ctx.int64s(merged)).output();
    }

    // ------------------------------------------------------------------------------------------ normalization

    private static String batchNorm(BatchNorm m, String x, ExportContext ctx) {
        if (!getBoolean(m, "trackRunningStats")) {
            throw ctx.unsupported(
                    m,
                    "without running statistics (trackRunningStats=false) batch norm normalizes with the "
                            + "statistics of each batch even in evaluation mode, which a per-sample runtime cannot reproduce");
        }
        int c = m.numFeatures();
        String scale = m.weight() != null ? ctx.parameter(m, "weight") : ctx.derived("weight", Tensor.ones(c));
        String bias = m.bias() != null ? ctx.parameter(m, "bias") : ctx.derived("bias", Tensor.zeros(c));
        return ctx.graph()
                .op("BatchNormalization")
                .input(
                        x,
                        scale,
                        bias,
                        ctx.tensor("running_mean", m.runningMean()),
                        ctx.tensor("running_var", m.runningVar()))
                .attr("epsilon", (float) getDouble(m, "eps"))
                .output();
    }

    private static String layerNorm(LayerNorm m, String x, ExportContext ctx) {
        int[] shape = getInts(m, "normalizedShape");
        String scale = m.weight() != null ? ctx.parameter(m, "weight") : ctx.derived("weight", Tensor.ones(shape));
        OnnxGraph.Node n = ctx.graph().op("LayerNormalization").input(x, scale);
        if (m.bias() != null) {
            n.input(ctx.parameter(m, "bias"));
        }
        return n.attr("axis", (long) -shape.length)
                .attr("epsilon", (float) getDouble(m, "eps"))
                .output();
    }

    /**
     * Group norm from opset-17 operators: (N, C, ...) reshaped to (N, G, -1), instance-normalized
     * (each of the G groups over its C/G channels and positions), reshaped back, then the per-channel
     * affine.
     */
    private static String groupNorm(GroupNorm m, String x, ExportContext ctx) {
        int groups = getInt(m, "numGroups");
        int channels = getInt(m, "numChannels");
        int rank = ctx.shape(x).length;
        String grouped =
                ctx.graph().op("Reshape").input(x, ctx.int64s(0, groups, -1)).output();
        String normed = ctx.graph()
                .op("InstanceNormalization")
                .input(grouped, ctx.derived("ones", Tensor.ones(groups)), ctx.derived("zeros", Tensor.zeros(groups)))
                .attr("epsilon", (float) getDouble(m, "eps"))
                .output();
        String shape = ctx.graph().op("Shape").input(x).output();
        String y = ctx.graph().op("Reshape").input(normed, shape).output();
        if (m.parameter("weight") == null) {
            return y;
        }
        // (C) -> (C, 1, ..., 1) to broadcast over the positions
        int[] affineShape = new int[rank - 1];
        Arrays.fill(affineShape, 1);
        affineShape[0] = channels;
        String w = ctx.derived("weight", m.parameter("weight").data().reshape(affineShape));
        String b = ctx.derived("bias", m.parameter("bias").data().reshape(affineShape));
        return ctx.graph()
                .op("Add")
                .input(ctx.graph().op("Mul").input(y, w).output(), b)
                .output();
    }

    private static String instanceNorm(InstanceNorm2d m, String x, ExportContext ctx) {
        int c = getInt(m, "numFeatures");
        boolean affine = getBoolean(m, "affine");
        String scale = affine ? ctx.parameter(m, "weight") : ctx.derived("weight", Tensor.ones(c));
        String bias = affine ? ctx.parameter(m, "bias") : ctx.derived("bias", Tensor.zeros(c));
        float eps = (float) getDouble(m, "eps");
        if (getBoolean(m, "trackRunningStats")) {
            // in evaluation mode the running statistics normalize, as in batch norm
            return ctx.graph()
                    .op("BatchNormalization")
                    .input(
                            x,
                            scale,
                            bias,
                            ctx.tensor("running_mean", m.buffer("running_mean")),
                            ctx.tensor("running_var", m.buffer("running_var")))
                    .attr("epsilon", eps)
                    .output();
        }
        return ctx.graph()
                .op("InstanceNormalization")
                .input(x, scale, bias)
                .attr("epsilon", eps)
                .output();
    }

    // ------------------------------------------------------------------------------------------ activations

    /** GELU from Erf (exact) or from Tanh (the tanh approximation); opset 17 has no Gelu. */
    static String gelu(ExportContext ctx, String x, boolean tanh) {
        OnnxGraph g = ctx.graph();
        String inner;
        if (tanh) {
            // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
            String x3 = g.op("Mul").input(x, g.op("Mul").input(x, x).output()).output();
            String u = g.op("Add")
                    .input(x, g.op("Mul").input(x3, ctx.scalar(0.044715f)).output())
                    .output();
            inner = g.op("Tanh")
                    .input(g.op("Mul")
                            .input(u, ctx.scalar((float) Math.sqrt(2 / Math.PI)))
                            .output())
                    .output();
        } else {
            // 0.5 x (1 + erf(x / sqrt(2)))
            inner = g.op("Erf")
                    .input(g.op("Mul")
                            .input(x, ctx.scalar((float) (1 / Math.sqrt(2))))
                            .output())
                    .output();
        }
        String onePlus = g.op("Add").input(inner, ctx.scalar(1f)).output();
        String half = g.op("Mul").input(x, ctx.scalar(0.5f)).output();
        return g.op("Mul").input(half, onePlus).output();
    }

    // ------------------------------------------------------------------------------------------ positions

    private static String positionalEncoding(PositionalEncoding m, String x, ExportContext ctx) {
        boolean batchFirst = getBoolean(m, "batchFirst");
        int[] s = ctx.shape(x);
        int seqAxis = batchFirst ? 1 : 0;
        if (s.length != 3 || s[seqAxis] < 0) {
            throw ctx.unsupported(
                    m, "expected an input of rank 3 with a static sequence length, got " + Shape.format(s));
        }
        Tensor table = LayerFields.get(m, "table", Tensor.class).narrow(0, 0, s[seqAxis]);
        Tensor added = batchFirst ? table.reshape(1, s[1], s[2]) : table.reshape(s[0], 1, s[2]);
        return ctx.graph()
                .op("Add")
                .input(x, ctx.derived("pe", added.contiguous()))
                .output();
    }

    private static String learnedPositions(LearnedPositionalEmbedding m, String x, ExportContext ctx) {
        int[] s = ctx.shape(x);
        if (s.length != 3 || s[1] < 0) {
            throw ctx.unsupported(m, "expected an input (B, T, d) with a static T, got " + Shape.format(s));
        }
        Tensor w = m.parameter("weight").data().narrow(0, 0, s[1]).contiguous();
        return ctx.graph().op("Add").input(x, ctx.derived("weight", w)).output();
    }
}
