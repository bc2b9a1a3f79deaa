package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link TransformerDecoderLayer}, {@link TransformerDecoder} and {@link Transformer} against
 * PyTorch's ({@code make_transformer_fixtures.py}: PyTorch's state dicts loaded strictly, outputs,
 * input and parameter gradients, in FLOAT64 and FLOAT32; masks given as tensors or, for the causal
 * target mask, as the causal flag), first- and second-order gradient checks, and clear errors.
 */
class TransformerDecoderTest {
    static final int D = 8;
    static final int NH = 2;
    static final int FF = 16;

    record Case(String name, Supplier<Module> make, boolean causalFlag) {}

    static List<Case> cases() {
        return List.of(
                new Case(
                        "tdl_post_relu",
                        () -> new TransformerDecoderLayer(D, NH, FF, 0, "relu", 1e-5, true, false),
                        false),
                new Case(
                        "tdl_post_relu",
                        () -> new TransformerDecoderLayer(D, NH, FF, 0, "relu", 1e-5, true, false),
                        true),
                new Case(
                        "tdl_pre_gelu",
                        () -> new TransformerDecoderLayer(D, NH, FF, 0, "gelu", 1e-5, true, true),
                        false),
                new Case(
                        "tdl_seqfirst",
                        () -> new TransformerDecoderLayer(D, NH, FF, 0, "relu", 1e-5, false, false),
                        false),
                new Case(
                        "decoder_2l",
                        () -> new TransformerDecoder(
                                () -> new TransformerDecoderLayer(D, NH, FF, 0, "relu", 1e-5, true, false),
                                2,
                                new LayerNorm(D)),
                        false),
                new Case(
                        "decoder_2l",
                        () -> new TransformerDecoder(
                                () -> new TransformerDecoderLayer(D, NH, FF, 0, "relu", 1e-5, true, false),
                                2,
                                new LayerNorm(D)),
                        true),
                new Case(
                        "transformer_post",
                        () -> new Transformer(D, NH, 2, 2, FF, 0, "relu", 1e-5, true, false),
                        false),
                new Case(
                        "transformer_post", () -> new Transformer(D, NH, 2, 2, FF, 0, "relu", 1e-5, true, false), true),
                new Case(
                        "transformer_pre", () -> new Transformer(D, NH, 2, 2, FF, 0, "gelu", 1e-5, true, true), false));
    }

    @TestFactory
    Stream<DynamicTest> parity() {
        List<DynamicTest> t = new ArrayList<>();
        for (Case c : cases()) {
            String n = c.name() + (c.causalFlag() ? " (causal flag)" : "");
            t.add(DynamicTest.dynamicTest(n + " float64", () -> run(c, DType.FLOAT64, 1e-10, 1e-8)));
            t.add(DynamicTest.dynamicTest(n + " float32", () -> run(c, DType.FLOAT32, 1e-4, 1e-4)));
        }
        return t.stream();
    }

    private static Tensor mask(Map<String, Tensor> f, String name) {
        return f.containsKey(name) ? f.get(name).to(DType.INT32) : null;
    }

    static void run(Case c, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/SEQ_" + c.name() + ".txt");
        Module m = c.make().get();
        m.to(dt);
        m.loadStateDict(Fixtures.stateDict(f, "p."), true);
        Variable tgt = SequenceParityTest.input(f, "tgt", dt);
        Tensor tgtMask = c.causalFlag() ? null : mask(f, "tgt_mask");
        if (c.causalFlag()) {
            assertTrue(f.containsKey("tgt_mask"), "the causal-flag variant needs a causal tgt_mask fixture");
            assertArrayEquals(
                    Transformer.generateSquareSubsequentMask(tgt.size(1)).toIntArray(),
                    mask(f, "tgt_mask").toIntArray());
        }
        Variable y;
        Variable other;
        if (m instanceof Transformer tr) {
            other = SequenceParityTest.input(f, "src", dt);
            y = tr.forward(
                    other,
                    tgt,
                    mask(f, "src_mask"),
                    tgtMask,
                    mask(f, "memory_mask"),
                    mask(f, "src_kpm"),
                    mask(f, "tgt_kpm"),
                    mask(f, "memory_kpm"),
                    c.causalFlag());
        } else {
            other = SequenceParityTest.input(f, "memory", dt);
            y = m instanceof TransformerDecoder dec
                    ? dec.forward(
                            tgt,
                            other,
                            tgtMask,
                            mask(f, "memory_mask"),
                            mask(f, "tgt_kpm"),
                            mask(f, "memory_kpm"),
                            c.causalFlag())
                    : ((TransformerDecoderLayer) m)
                            .forward(
                                    tgt,
                                    other,
                                    tgtMask,
                                    mask(f, "memory_mask"),
                                    mask(f, "tgt_kpm"),
                                    mask(f, "memory_kpm"),
                                    c.causalFlag());
        }
        assertEquals(dt, y.dtype());
        assertClose(f.get("y"), y.data(), atol, rtol, c.name() + " output");
        SequenceParityTest.weigh(y, f, "r", dt).backward();
        assertClose(f.get("gtgt"), tgt.grad(), atol, rtol, c.name() + " target gradient");
        String on = m instanceof Transformer ? "gsrc" : "gmemory";
        assertClose(f.get(on), other.grad(), atol, rtol, c.name() + " " + on);
        SequenceParityTest.checkParameterGradients(m, f, atol, rtol, c.name());
    }

    @Test
    void transformerStateDictNames() {
        Transformer t = new Transformer(D, NH, 1, 1, FF, 0.1, "relu", 1e-5, true, false);
        Map<String, Tensor> sd = t.stateDict();
        for (String k : new String[] {
            "encoder.layers.0.self_attn.in_proj_weight",
            "encoder.norm.weight",
            "decoder.layers.0.multihead_attn.out_proj.bias",
            "decoder.layers.0.norm3.weight",
            "decoder.norm.bias",
            "decoder.layers.0.linear2.weight"
        }) {
            assertTrue(sd.containsKey(k), "missing " + k + " in " + sd.keySet());
        }
        // PyTorch: 1 encoder layer (12 tensors) + norm (2) + 1 decoder layer (18) + norm (2)
        assertEquals(34, sd.size(), sd.keySet().toString());
        // Xavier-uniform for matrices: bound sqrt(6 / (fanIn + fanOut))
        double bound = Math.sqrt(6.0 / (D + 3 * D));
        double max = t.namedParameters()
                .get("decoder.layers.0.self_attn.in_proj_weight")
                .data()
                .abs()
                .max()
                .item();
        assertTrue(max <= bound && max > 0.5 * bound, "in_proj_weight max " + max + ", Xavier bound " + bound);
    }

    // ------------------------------------------------------------------------------------------ gradient checks

    /** A decoder-side module with its second input and masks fixed, as a one-input module for the checks. */
    static final class WithMemory extends Module {
        private final Module inner;
        private final Tensor memory;
        private final Tensor memoryPadding;

        WithMemory(Module inner, Tensor memory, Tensor memoryPadding) {
            this.inner = registerModule("inner", inner);
            this.memory = memory;
            this.memoryPadding = memoryPadding;
        }

        @Override
        public Variable forward(Variable x) {
            Variable mem = Variable.constant(memory.to(x.dtype()));
            if (inner instanceof Transformer t) {
                return t.forward(mem, x, null, null, null, memoryPadding, null, memoryPadding, true);
            }
            if (inner instanceof TransformerDecoder d) {
                return d.forward(x, mem, null, null, null, memoryPadding, true);
            }
            return ((TransformerDecoderLayer) inner).forward(x, mem, null, null, null, memoryPadding, true);
        }
    }

    static List<LayerGradCheckTest.Case> gradCases() {
        Tensor mem = Tensor.randn(new Generator(9), DType.FLOAT64, 2, 3, 4);
        Tensor pad = Tensor.of(new int[] {0, 0, 0, 0, 0, 1}, 2, 3);
        return List.of(
                LayerGradCheckTest.c(
                        "TransformerDecoderLayerPost",
                        () -> new WithMemory(
                                new TransformerDecoderLayer(4, 2, 6, 0, "gelu", 1e-5, true, false), mem, pad),
                        2,
                        2,
                        4),
                LayerGradCheckTest.c(
                        "TransformerDecoderLayerPreRelu",
                        () -> new WithMemory(
                                new TransformerDecoderLayer(4, 1, 5, 0, "relu", 1e-5, true, true), mem, null),
                        2,
                        2,
                        4),
                LayerGradCheckTest.c(
                        "TransformerDecoder",
                        () -> new WithMemory(
                                new TransformerDecoder(
                                        () -> new TransformerDecoderLayer(4, 2, 6, 0, "gelu", 1e-5, true, true),
                                        1,
                                        new LayerNorm(4)),
                                mem,
                                pad),
                        2,
                        2,
                        4),
                LayerGradCheckTest.c(
                        "Transformer",
                        () -> new WithMemory(new Transformer(4, 2, 1, 1, 5, 0, "gelu", 1e-5, true, false), mem, pad),
                        2,
                        2,
                        4));
    }

    @TestFactory
    Stream<DynamicTest> gradChecks() {
        return gradCases().stream()
                .flatMap(c -> Stream.of(
                        DynamicTest.dynamicTest(
                                c.name() + " first order",
                                () -> LayerGradCheckTest.check(c.make().get(), true, c.inputShape())),
                        DynamicTest.dynamicTest(
                                c.name() + " second order",
                                () -> LayerGradCheckTest.check(c.make().get(), true, true, c.inputShape()))));
    }

    /** The memory's gradient too (the checks above hold it constant). */
    @Test
    void memoryGradients() {
        Generator g = new Generator(4);
        TransformerDecoderLayer layer = new TransformerDecoderLayer(4, 2, 6, 0, "gelu", 1e-5, true, false);
        layer.to(DType.FLOAT64);
        Tensor tgt = Tensor.randn(g, DType.FLOAT64, 2, 2, 4);
        Tensor mem = Tensor.randn(g, DType.FLOAT64, 2, 3, 4);
        GradCheck.check(in -> layer.forward(in[0], in[1], null, null, null, null, true), tgt, mem);
        GradCheck.checkSecondOrder(in -> layer.forward(in[0], in[1], null, null, null, null, true), tgt, mem);
    }

    /** With the causal flag, changing a later target position leaves earlier outputs unchanged. */
    @Test
    void causalDecoding() {
        Generator g = new Generator(5);
        Transformer t = new Transformer(D, NH, 1, 2, FF, 0, "relu", 1e-5, true, false);
        t.eval();
        Tensor src = Tensor.randn(g, DType.FLOAT32, 1, 5, D);
        Tensor tgt = Tensor.randn(g, DType.FLOAT32, 1, 4, D);
        Tensor tgt2 = tgt.clone();
        tgt2.narrow(1, 3, 1).copy_(Tensor.randn(g, DType.FLOAT32, 1, 1, D));
        Variable y1 =
                t.forward(Variable.constant(src), Variable.constant(tgt), null, null, null, null, null, null, true);
        Variable y2 =
                t.forward(Variable.constant(src), Variable.constant(tgt2), null, null, null, null, null, null, true);
        assertClose(y1.data().narrow(1, 0, 3), y2.data().narrow(1, 0, 3), 1e-6, 1e-6, "earlier positions");
        assertTrue(
                y1.data()
                                .narrow(1, 3, 1)
                                .sub(y2.data().narrow(1, 3, 1))
                                .abs()
                                .max()
                                .item()
                        > 1e-3,
                "the changed position changes");
        Variable step = t.decode(
                Variable.constant(tgt.narrow(1, 0, 3)),
                t.encode(Variable.constant(src), null, null),
                null,
                null,
                null,
                null,
                true);
        assertClose(y1.data().narrow(1, 0, 3), step.data(), 1e-6, 1e-6, "decoding a prefix");
    }

    @Test
    void errors() {
        TransformerDecoderLayer layer = new TransformerDecoderLayer(D, NH, FF, 0, "relu", 1e-5, true, false);
        Variable tgt = Variable.constant(Tensor.zeros(2, 3, D));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.forward(tgt));
        assertTrue(
                e.getMessage().contains("TransformerDecoderLayer")
                        && e.getMessage().contains("(tgt, memory)"),
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> layer.forward(tgt, Variable.constant(Tensor.zeros(2, 3, 5))));
        assertTrue(
                e.getMessage().contains("TransformerDecoderLayer")
                        && e.getMessage().contains("(2, 3, 5)"),
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new TransformerDecoderLayer(D, NH, FF, 0, "tanh", 1e-5, true, false));
        assertTrue(e.getMessage().contains("relu or gelu"), e.getMessage());
        Transformer t = new Transformer(D, NH, 1, 1, FF, 0, "relu", 1e-5, true, false);
        e = assertThrows(
                IllegalArgumentException.class, () -> t.forward(Variable.constant(Tensor.zeros(3, 4, D)), tgt));
        assertTrue(e.getMessage().contains("batch sizes") && e.getMessage().contains("(3, 4, 8)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> t.forward(Variable.constant(Tensor.zeros(2, 4, 6)), tgt));
        assertTrue(e.getMessage().contains("dModel 8") && e.getMessage().contains("(2, 4, 6)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.forward(tgt));
        assertTrue(e.getMessage().contains("Transformer") && e.getMessage().contains("(src, tgt)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransformerDecoder(() -> layer, 0));
        assertTrue(e.getMessage().contains("numLayers"), e.getMessage());
    }
}
