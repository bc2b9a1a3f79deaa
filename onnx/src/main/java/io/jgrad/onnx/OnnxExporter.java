package io.jgrad.onnx;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.layers.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a trained model to an ONNX file (opset 17, IR version 8) that ONNX Runtime and other
 * runtimes load: the weights become initializers named as in the state dict, the input and output
 * are named ({@code input} and {@code output} by default), and the dimensions given as {@code -1}
 * (usually the batch) are dynamic.
 *
 * <pre>{@code
 * model.eval();
 * OnnxExporter.create().export(model, Path.of("model.onnx"), -1, 1, 28, 28);  // images (N, 1, 28, 28)
 * }</pre>
 *
 * <p>What is exported is the model's evaluation-mode computation, whatever its mode: dropout is the
 * identity and batch norm uses its running statistics (the model is switched to evaluation mode
 * while it is exported and switched back after). Weights are written as float32.
 *
 * <p>The model is walked as a tree: every module is exported by the {@link LayerExporter} registered
 * for its exact class, and containers ({@code Sequential}, {@code Residual}, the transformer
 * layers) export their children. The default registry covers the library's layers listed in the
 * package documentation; a module of any other class, such as a custom {@code Module} with its own
 * {@code forward}, fails with an {@link UnsupportedLayerException} naming its class and its path,
 * unless an exporter is registered for it with {@link Builder#register}.
 */
public final class OnnxExporter {
    /** The ONNX operator set version of the exported models. */
    public static final int OPSET = 17;
    /** The ONNX IR version of the exported models (the one that goes with opset 17). */
    public static final int IR_VERSION = 8;

    private final Map<Class<?>, LayerExporter<?>> registry;
    private final String inputName;
    private final String outputName;
    private final DType inputType;
    private final String docString;

    private OnnxExporter(Builder b) {
        this.registry = Collections.unmodifiableMap(new LinkedHashMap<>(b.registry));
        this.inputName = b.inputName;
        this.outputName = b.outputName;
        this.inputType = b.inputType;
        this.docString = b.docString;
    }

    /**
     * An exporter with the defaults: input {@code input} (float32), output {@code output}, the
     * library's layers.
     *
     * @return the exporter
     */
    public static OnnxExporter create() {
        return builder().build();
    }

    /**
     * A builder, starting from the defaults of {@link #create()}.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The layer classes this exporter knows.
     *
     * @return the classes, in registration order
     */
    public Set<Class<?>> supportedLayers() {
        return registry.keySet();
    }

    /**
     * Exports {@code model} to {@code file}, written atomically (a temporary file in the same folder,
     * then renamed), so a failure never leaves a partial file.
     *
     * @param model the model
     * @param file the {@code .onnx} file to create or replace
     * @param inputShape the input's shape with {@code -1} for each dynamic dimension, e.g.
     *     {@code (-1, 1, 28, 28)}
     * @throws IOException when writing fails
     * @throws UnsupportedLayerException when a layer cannot be exported
     */
    public void export(Module model, Path file, int... inputShape) throws IOException {
        byte[] bytes = toBytes(model, inputShape);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The bytes of the ONNX file of {@code model}.
     *
     * @param model the model
     * @param inputShape the input's shape with {@code -1} for each dynamic dimension
     * @return the serialized ModelProto
     * @throws UnsupportedLayerException when a layer cannot be exported
     */
    public byte[] toBytes(Module model, int... inputShape) {
        if (model == null) {
            throw new IllegalArgumentException("OnnxExporter: model is null");
        }
        if (inputShape == null || inputShape.length == 0) {
            throw new IllegalArgumentException(
                    "OnnxExporter: give the input shape, with -1 for dynamic dimensions, e.g. (-1, 1, 28, 28)");
        }
        List<String> dynamicNames = new ArrayList<>();
        String[] inNames = new String[inputShape.length];
        for (int i = 0; i < inputShape.length; i++) {
            if (inputShape[i] == -1) {
                inNames[i] = i == 0 ? "batch" : "dim" + i;
                dynamicNames.add(inNames[i]);
            } else if (inputShape[i] < 1) {
                throw new IllegalArgumentException(
                        "OnnxExporter: input dimensions must be positive or -1 (dynamic), got "
                                + Shape.format(inputShape));
            }
        }
        Map<Module, Boolean> modes = new LinkedHashMap<>();
        for (Module m : model.modules()) {
            modes.put(m, m.isTraining());
        }
        model.eval();
        try {
            OnnxGraph g = new OnnxGraph();
            ExportContext ctx = new ExportContext(g, registry, floatType(model));
            g.reserve(inputName);
            ctx.declare(inputName, inputShape, inputType);
            String last = ctx.exportAt(model, "", inputName);
            int[] outShape = ctx.shape(last);
            g.scope("");
            g.op("Identity").input(last).outputsNamed(outputName);
            String[] outNames = new String[outShape.length];
            for (int i = 0; i < outShape.length; i++) {
                // a dynamic output dimension is named when the input has one dynamic dimension only
                outNames[i] = outShape[i] < 0 && dynamicNames.size() == 1 ? dynamicNames.get(0) : null;
            }
            return g.toModel(
                    model.typeName(),
                    docString,
                    producerVersion(),
                    List.of(new OnnxGraph.ValueInfo(inputName, elemType(inputType), inputShape.clone(), inNames)),
                    List.of(new OnnxGraph.ValueInfo(outputName, elemType(ctx.dtype(last)), outShape, outNames)));
        } finally {
            // parents come before their children, so each module ends with its own flag
            for (Map.Entry<Module, Boolean> e : modes.entrySet()) {
                e.getKey().train(e.getValue());
            }
        }
    }

    private static int elemType(DType t) {
        return t == DType.INT32 ? OnnxGraph.INT32 : OnnxGraph.FLOAT;
    }

    private static DType floatType(Module model) {
        for (Parameter p : model.parameters()) {
            return p.dtype();
        }
        return DType.FLOAT32;
    }

    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Options of an {@link OnnxExporter}. */
    public static final class Builder {
        private final Map<Class<?>, LayerExporter<?>> registry = new LinkedHashMap<>(LayerExporters.defaults());
        private String inputName = "input";
        private String outputName = "output";
        private DType inputType = DType.FLOAT32;
        private String docString = "";

        private Builder() {}

        /**
         * The name of the graph's input (default {@code input}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder inputName(String name) {
            this.inputName = checkName("inputName", name);
            return this;
        }

        /**
         * The name of the graph's output (default {@code output}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder outputName(String name) {
            this.outputName = checkName("outputName", name);
            return this;
        }

        /**
         * The input's element type: FLOAT32 (default) or INT32 (token indices for a model that
         * starts with an {@code Embedding}).
         *
         * @param type the type
         * @return this builder
         */
        public Builder inputType(DType type) {
            if (type != DType.FLOAT32 && type != DType.INT32) {
                throw new IllegalArgumentException(
                        "OnnxExporter.Builder.inputType: expected FLOAT32 or INT32, got " + type);
            }
            this.inputType = type;
            return this;
        }

        /**
         * The model's description stored in the file.
         *
         * @param doc the text
         * @return this builder
         */
        public Builder docString(String doc) {
            this.docString = doc == null ? "" : doc;
            return this;
        }

        /**
         * Registers (or replaces) the exporter of one layer class, matched exactly.
         *
         * @param type the layer class
         * @param exporter its exporter
         * @param <M> the layer class
         * @return this builder
         */
        public <M extends Module> Builder register(Class<M> type, LayerExporter<? super M> exporter) {
            if (type == null || exporter == null) {
                throw new IllegalArgumentException("OnnxExporter.Builder.register: type and exporter must not be null");
            }
            registry.put(type, exporter);
            return this;
        }

        /**
         * The exporter.
         *
         * @return a new exporter with these options
         */
        public OnnxExporter build() {
            if (inputName.equals(outputName)) {
                throw new IllegalArgumentException(
                        "OnnxExporter.Builder: the input and the output are both named '" + inputName + "'");
            }
            return new OnnxExporter(this);
        }

        private static String checkName(String what, String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("OnnxExporter.Builder." + what + ": the name must not be empty");
            }
            return name;
        }
    }
}
