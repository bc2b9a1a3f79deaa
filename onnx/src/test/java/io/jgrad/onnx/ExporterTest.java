package io.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Inference;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Lambda;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.RecurrentOptions;
import io.jgrad.layers.Residual;
import io.jgrad.layers.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter's API: names, dynamic dimensions, files, modes, errors and custom layers. */
class ExporterTest {
    /** A custom module with its own forward: y = x * scale, scale (C, 1, 1). */
    static final class Scale extends Module {
        Scale(int channels) {
            registerParameter("scale", new Parameter(Tensor.ones(channels, 1, 1).mul(1.5)));
        }

        @Override
        public Variable forward(Variable x) {
            return x.mul(param("scale"));
        }
    }

    private static Sequential cnn() {
        Sequential s = new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new Flatten(), new Linear(4 * 6 * 6, 3));
        s.resetParameters(new Generator(1));
        return s;
    }

    @Test
    void namesAndDynamicBatchOfInputAndOutput() throws OrtException {
        byte[] bytes = OnnxExporter.builder()
                .inputName("images")
                .outputName("logits")
                .build()
                .toBytes(cnn(), -1, 1, 6, 6);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(bytes, new OrtSession.SessionOptions())) {
            Map<String, NodeInfo> in = s.getInputInfo();
            Map<String, NodeInfo> out = s.getOutputInfo();
            assertEquals(java.util.Set.of("images"), in.keySet());
            assertEquals(java.util.Set.of("logits"), out.keySet());
            assertArrayEquals(
                    new long[] {-1, 1, 6, 6}, ((TensorInfo) in.get("images").getInfo()).getShape());
            assertArrayEquals(
                    new long[] {-1, 3}, ((TensorInfo) out.get("logits").getInfo()).getShape());
        }
    }

    @Test
    void weightsAreInitializersNamedAsInTheStateDict() {
        String text = new String(
                OnnxExporter.create().toBytes(cnn(), -1, 1, 6, 6), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String k : cnn().stateDict().keySet()) {
            assertTrue(text.contains(k), "initializer " + k);
        }
        assertTrue(text.contains("batch"), "the dynamic dimension is named");
    }

    @Test
    void writesTheFileAndRestoresTheModes(@TempDir Path dir) throws Exception {
        Sequential model = new Sequential(new Linear(3, 3), new Dropout(0.5));
        model.train();
        model.get(1).eval();
        Path file = dir.resolve("sub/model.onnx");
        OnnxExporter.create().export(model, file, -1, 3);
        assertTrue(Files.size(file) > 0);
        assertTrue(
                model.isTraining() && model.get(0).isTraining() && !model.get(1).isTraining(), "modes restored");
        try (var stream = Files.list(file.getParent())) {
            assertEquals(1, stream.count(), "no temporary file left");
        }
    }

    @Test
    void unsupportedLayerNamesItsClassAndPath() {
        Sequential model = new Sequential(
                new Linear(4, 4), new Residual(new Sequential(new Linear(4, 4), new Lambda("double", x -> x.mul(2)))));
        UnsupportedLayerException e = assertThrows(
                UnsupportedLayerException.class, () -> OnnxExporter.create().toBytes(model, -1, 4));
        assertEquals("io.jgrad.layers.Lambda", e.layerClass());
        assertEquals("1.body.1", e.path());
        assertTrue(e.getMessage().contains("Lambda") && e.getMessage().contains("'1.body.1'"), e.getMessage());

        UnsupportedLayerException root = assertThrows(
                UnsupportedLayerException.class, () -> OnnxExporter.create().toBytes(new Scale(2), -1, 2, 3, 3));
        assertTrue(root.getMessage().contains("ExporterTest$Scale at (root)"), root.getMessage());
    }

    @Test
    void subclassesOfSupportedLayersAreNotTrusted() {
        // a subclass may compute something else: matched by exact class only
        Sequential custom = new Sequential(new Linear(2, 2)) {
            @Override
            public Variable forward(Variable x) {
                return super.forward(x).mul(3);
            }
        };
        UnsupportedLayerException e = assertThrows(
                UnsupportedLayerException.class, () -> OnnxExporter.create().toBytes(custom, -1, 2));
        assertEquals("", e.path());
    }

    @Test
    void unsupportedConfigurationsFailClearly() {
        UnsupportedLayerException bn = assertThrows(
                UnsupportedLayerException.class,
                () -> OnnxExporter.create()
                        .toBytes(new Sequential(new BatchNorm2d(2, 1e-5, 0.1, true, false)), -1, 2, 3, 3));
        assertTrue(
                bn.getMessage().contains("BatchNorm2d at '0'")
                        && bn.getMessage().contains("trackRunningStats=false"),
                bn.getMessage());
        UnsupportedLayerException lstm = assertThrows(
                UnsupportedLayerException.class,
                () -> OnnxExporter.create()
                        .toBytes(new LSTM(3, 4, RecurrentOptions.defaults().stateful(true)), -1, 5, 3));
        assertTrue(lstm.getMessage().contains("stateful"), lstm.getMessage());
        UnsupportedLayerException emb = assertThrows(
                UnsupportedLayerException.class,
                () -> OnnxExporter.builder()
                        .inputType(DType.INT32)
                        .build()
                        .toBytes(new Embedding(10, 3, null, 1.0, 2), -1, 4));
        assertTrue(emb.getMessage().contains("maxNorm"), emb.getMessage());
        // a layer that cannot run on the given input shape fails with its path
        UnsupportedLayerException shape = assertThrows(
                UnsupportedLayerException.class,
                () -> OnnxExporter.create().toBytes(new Sequential(new Linear(4, 2), new Linear(3, 2)), -1, 4));
        assertTrue(shape.getMessage().contains("Linear at '1'"), shape.getMessage());
    }

    @Test
    void float64ModelsExportAsFloat32() {
        Sequential model = cnn();
        model.to(DType.FLOAT64);
        OrtCheck.check(model, -1, 1, 6, 6);
    }

    @Test
    void identityModelsKeepTheInputType() throws OrtException {
        byte[] bytes = OnnxExporter.builder().inputType(DType.INT32).build().toBytes(new Sequential(), -1, 3);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(bytes, new OrtSession.SessionOptions())) {
            assertEquals(
                    ai.onnxruntime.OnnxJavaType.INT32,
                    ((TensorInfo) s.getOutputInfo().get("output").getInfo()).type);
        }
    }

    @Test
    void badArgumentsFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.create().toBytes(new Linear(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.create().toBytes(new Linear(2, 2), 0, 2));
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.create().toBytes(null, -1, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> OnnxExporter.builder().inputName("x").outputName("x").build());
        assertThrows(
                IllegalArgumentException.class, () -> OnnxExporter.builder().inputType(DType.FLOAT64));
    }

    @Test
    void customLayersExportThroughARegisteredExporter() {
        Sequential model =
                new Sequential(new Conv2d(1, 2, 3, 1, 1), new Scale(2), new Flatten(), new Linear(2 * 5 * 5, 3));
        model.resetParameters(new Generator(2));
        OnnxExporter exporter = OnnxExporter.builder()
                .register(
                        Scale.class,
                        (layer, x, ctx) -> ctx.graph()
                                .op("Mul")
                                .input(x, ctx.parameter(layer, "scale"))
                                .output())
                .build();
        assertTrue(exporter.supportedLayers().contains(Scale.class));
        assertFalse(OnnxExporter.create().supportedLayers().contains(Scale.class));
        OrtCheck.check(exporter, model, DType.FLOAT32, 0, -1, 1, 5, 5);
    }

    @Test
    void aModelAfterInferenceOptimizeExportsTheSameFile() {
        // Inference.optimize changes only the memory layout of the weights: the exported values are the same
        Sequential cnn = cnn();
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.defaults().numLayers(2));
        lstm.resetParameters(new Generator(3));
        for (Module m : new Module[] {cnn, lstm}) {
            m.eval();
        }
        byte[] cnnBefore = OnnxExporter.create().toBytes(cnn, -1, 1, 6, 6);
        byte[] lstmBefore = OnnxExporter.create().toBytes(lstm, -1, 5, 3);
        Inference.optimize(cnn);
        Inference.optimize(lstm);
        assertTrue(Inference.isInputMajor(lstm.parameter("weight_hh_l1").data()));
        assertArrayEquals(cnnBefore, OnnxExporter.create().toBytes(cnn, -1, 1, 6, 6));
        assertArrayEquals(lstmBefore, OnnxExporter.create().toBytes(lstm, -1, 5, 3));
    }
}
