package io.jgrad.onnx;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Module;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What a {@link LayerExporter} works with: the graph being built, the shapes of the values it
 * reads, the path of the layer being exported, and the export of child layers.
 *
 * <p>Shapes hold {@code -1} for a dynamic dimension (the batch). The output shape of every exported
 * layer is found by running the layer itself, in evaluation mode and without gradients, on zeros of
 * its input shape with the dynamic dimensions set to 2 and then to 3: the dimensions that differ
 * between the two runs are dynamic. So an exporter never computes shapes, and a layer that cannot
 * run on its input fails here with its path rather than in a runtime later.
 */
public final class ExportContext {
    private static final int PROBE_A = 2;
    private static final int PROBE_B = 3;

    private final OnnxGraph graph;
    private final Map<Class<?>, LayerExporter<?>> registry;
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Map<String, DType> dtypes = new HashMap<>();
    private final IdentityHashMap<Tensor, String> params = new IdentityHashMap<>();
    private final DType floatType;
    private String path = "";

    ExportContext(OnnxGraph graph, Map<Class<?>, LayerExporter<?>> registry, DType floatType) {
        this.graph = graph;
        this.registry = registry;
        this.floatType = floatType;
    }

    /**
     * The graph being built.
     *
     * @return the graph
     */
    public OnnxGraph graph() {
        return graph;
    }

    /**
     * The dotted path of the layer being exported ({@code ""} for the root).
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * The shape of a value that a layer reads: its input, or the output of an exported child.
     *
     * @param value a value name
     * @return its shape, {@code -1} for dynamic dimensions
     * @throws IllegalArgumentException when the shape is not known
     */
    public int[] shape(String value) {
        int[] s = shapes.get(value);
        if (s == null) {
            throw new IllegalArgumentException("ExportContext.shape: the shape of '" + value
                    + "' is not known (only layer inputs " + "and the outputs of exported children have one)");
        }
        return s.clone();
    }

    /**
     * The element type of a value whose shape is known.
     *
     * @param value a value name
     * @return FLOAT32 or INT32, or null when the value is not known
     */
    public DType dtype(String value) {
        return dtypes.get(value);
    }

    /**
     * Records the shape of a value that an exporter made, so that it can be the input of a child
     * exported with {@link #export} (the shapes of exported layers' outputs are found by running them).
     *
     * @param value the value name
     * @param shape its shape, {@code -1} for dynamic dimensions
     * @param dtype FLOAT32 or INT32
     */
    public void declare(String value, int[] shape, DType dtype) {
        if (dtype != DType.FLOAT32 && dtype != DType.INT32) {
            throw new IllegalArgumentException("ExportContext.declare: values are FLOAT32 or INT32, got " + dtype);
        }
        shapes.put(value, shape.clone());
        dtypes.put(value, dtype);
    }

    /**
     * Exports a child of the layer being exported, under {@code path.name}.
     *
     * @param child the child layer
     * @param name its local name (as registered in its parent), for the path
     * @param input the name of its input value (whose shape is known)
     * @return the name of its output value, whose shape is then known
     * @throws UnsupportedLayerException when the child (or one of its own children) cannot be exported
     */
    public String export(Module child, String name, String input) {
        String p = path.isEmpty() ? name : name.isEmpty() ? path : path + "." + name;
        return exportAt(child, p, input);
    }

    @SuppressWarnings("unchecked")
    String exportAt(Module m, String p, String input) {
        LayerExporter<Module> e = (LayerExporter<Module>) registry.get(m.getClass());
        if (e == null) {
            throw new UnsupportedLayerException(
                    m.getClass().getName(),
                    p,
                    "no ONNX exporter for this layer class (layers are "
                            + "matched by exact class, since a subclass may compute something else; custom modules need one registered "
                            + "with OnnxExporter.Builder.register)");
        }
        if (!shapes.containsKey(input)) {
            throw new IllegalArgumentException("ExportContext.export: the shape of the input '" + input + "' of "
                    + describe(m, p) + " is not known");
        }
        String saved = path;
        path = p;
        graph.scope(p.isEmpty() ? "" : "/" + p);
        String out;
        try {
            out = e.export(m, input, this);
        } finally {
            path = saved;
            graph.scope(saved.isEmpty() ? "" : "/" + saved);
        }
        if (!shapes.containsKey(out)) {
            infer(m, p, input, out);
        }
        return out;
    }

    private void infer(Module m, String p, String input, String out) {
        int[] in = shapes.get(input);
        DType dt = dtypes.get(input);
        // floating point probes in the model's own type (a FLOAT64 model refuses FLOAT32 inputs)
        DType run = dt.isFloatingPoint() ? floatType : dt;
        Tensor a = probe(m, p, in, run, PROBE_A);
        Tensor b = probe(m, p, in, run, PROBE_B);
        if (a.dim() != b.dim()) {
            throw new UnsupportedLayerException(m.getClass().getName(), p, "its output rank depends on the batch size");
        }
        int[] s = a.shape();
        for (int i = 0; i < s.length; i++) {
            if (a.size(i) != b.size(i)) {
                s[i] = -1;
            }
        }
        declare(out, s, a.dtype().isFloatingPoint() ? DType.FLOAT32 : DType.INT32);
    }

    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    private static Tensor probe(Module m, String p, int[] shape, DType dt, int dynamic) {
        int[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = dynamic;
            }
        }
        try (var off = Autograd.noGrad()) {
            return m.forward(Variable.constant(Tensor.zeros(dt, s))).data();
        } catch (RuntimeException ex) {
            throw new UnsupportedLayerException(
                    m.getClass().getName(),
                    p,
                    "it does not run on an input " + Shape.format(s) + " " + dt + ": " + ex.getMessage());
        }
    }

    /**
     * The initializer holding {@code layer}'s parameter {@code name} as it is, named by its path
     * ({@code features.0.weight}); a parameter shared by several layers is written once.
     *
     * @param layer the layer being exported
     * @param name the parameter's local name
     * @return the initializer's name, or null when the parameter is absent (e.g. no bias)
     */
    public String parameter(Module layer, String name) {
        Parameter prm = layer.parameter(name);
        if (prm == null) {
            return null;
        }
        return tensor(name, prm.data());
    }

    /**
     * The initializer holding a buffer or any tensor that belongs to the layer being exported, named
     * {@code path.name}; the same tensor object is written once.
     *
     * @param name the local name
     * @param t the value (floating point)
     * @return the initializer's name
     */
    public String tensor(String name, Tensor t) {
        String known = params.get(t);
        if (known != null) {
            return known;
        }
        String n = graph.initializer(path.isEmpty() ? name : path + "." + name, t);
        params.put(t, n);
        return n;
    }

    /**
     * A float32 initializer named {@code path.name} that is derived from the layer's weights (e.g.
     * re-ordered gates).
     *
     * @param name the local name
     * @param t the value
     * @return the initializer's name
     */
    public String derived(String name, Tensor t) {
        return graph.initializer(path.isEmpty() ? name : path + "." + name, t);
    }

    /**
     * An int64 constant of rank 1 (a shape or axes), named after the current path.
     *
     * @param values the values
     * @return the initializer's name
     */
    public String int64s(long... values) {
        return graph.int64s((path.isEmpty() ? "" : path + ".") + "const", values);
    }

    /**
     * A float32 scalar constant, named after the current path.
     *
     * @param value the value
     * @return the initializer's name
     */
    public String scalar(float value) {
        return graph.scalar((path.isEmpty() ? "" : path + ".") + "const", value);
    }

    /**
     * The error for the layer being exported.
     *
     * @param layer the layer
     * @param message what cannot be exported, with the offending values
     * @return the exception to throw
     */
    public UnsupportedLayerException unsupported(Module layer, String message) {
        return new UnsupportedLayerException(layer.getClass().getName(), path, message);
    }

    private static String describe(Module m, String p) {
        return m.getClass().getSimpleName() + " at " + UnsupportedLayerException.describe(p);
    }
}
