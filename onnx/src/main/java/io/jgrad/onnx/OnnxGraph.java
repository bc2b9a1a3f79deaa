package io.jgrad.onnx;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph under construction: nodes in topological order and the initializers (weights and
 * constants) they read. Layer exporters ({@link LayerExporter}) add nodes with {@link #op(String)}
 * and weights with {@link #initializer(String, Tensor)}; every value is named by a string, and the
 * names the graph makes are unique and carry the path of the module that made them
 * ({@code /features.0/Conv_output_0}), so that a node in a viewer points back to its layer.
 *
 * <pre>{@code
 * String w = g.initializer("fc.weight", weightTensor);
 * String y = g.op("Gemm").input(x, w, b).attr("transB", 1).output();
 * }</pre>
 *
 * <p>Field numbers of the messages written here are those of ONNX's {@code onnx.proto} (IR version 8,
 * the IR of opset 17).
 */
public final class OnnxGraph {
    /** ONNX's {@code TensorProto.DataType.FLOAT}. */
    public static final int FLOAT = 1;
    /** ONNX's {@code TensorProto.DataType.INT32}. */
    public static final int INT32 = 6;
    /** ONNX's {@code TensorProto.DataType.INT64}. */
    public static final int INT64 = 7;

    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_FLOATS = 6;
    private static final int ATTR_INTS = 7;
    private static final int ATTR_STRINGS = 8;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private String scope = "";

    OnnxGraph() {}

    /**
     * The module path that names the nodes made next ({@code ""} for the root).
     *
     * @return the current scope
     */
    public String scope() {
        return scope;
    }

    void scope(String s) {
        scope = s;
    }

    /**
     * A name not used yet in this graph: {@code base}, or {@code base_1}, {@code base_2}, ...
     *
     * @param base the wanted name
     * @return a unique name, now taken
     */
    public String uniqueName(String base) {
        String n = base;
        int k = 0;
        while (names.contains(n)) {
            k++;
            n = base + "_" + k;
        }
        names.add(n);
        return n;
    }

    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("OnnxGraph: the name '" + name + "' is already used");
        }
    }

    /**
     * Starts a node of the default ONNX domain.
     *
     * @param opType the operator, e.g. {@code "Conv"}
     * @return the node builder; finish it with {@link Node#output()} or {@link Node#outputs(int)}
     */
    public Node op(String opType) {
        return new Node(opType);
    }

    // ------------------------------------------------------------------------------------------ initializers

    /**
     * Adds a float32 initializer holding {@code t} (converted from FLOAT64 if needed).
     *
     * @param name the wanted name (made unique)
     * @param t the value
     * @return the initializer's name
     */
    public String initializer(String name, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("OnnxGraph.initializer: '" + name
                    + "' must be a floating point tensor, got " + t.dtype() + " " + Shape.format(t.shape()));
        }
        return initializer(name, t.to(DType.FLOAT32).contiguous().toFloatArray(), t.shape());
    }

    /**
     * Adds a float32 initializer.
     *
     * @param name the wanted name (made unique)
     * @param data the values, row-major
     * @param shape the shape; its element count must equal {@code data.length}
     * @return the initializer's name
     */
    public String initializer(String name, float[] data, int... shape) {
        if (Shape.numel(shape) != data.length) {
            throw new IllegalArgumentException("OnnxGraph.initializer: '" + name + "' has " + data.length
                    + " values for shape " + Shape.format(shape));
        }
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return addTensor(name, FLOAT, shape, b.array());
    }

    /**
     * Adds an int64 initializer of rank 1 (shapes, axes, indices).
     *
     * @param name the wanted name (made unique)
     * @param values the values
     * @return the initializer's name
     */
    public String int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return addTensor(name, INT64, new int[] {values.length}, b.array());
    }

    /**
     * Adds a float32 scalar initializer (rank 0).
     *
     * @param name the wanted name (made unique)
     * @param value the value
     * @return the initializer's name
     */
    public String scalar(String name, float value) {
        return initializer(name, new float[] {value});
    }

    private String addTensor(String name, int dataType, int[] shape, byte[] raw) {
        String unique = uniqueName(name);
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9
        ProtoWriter t = new ProtoWriter();
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        if (dims.length > 0) {
            t.packedInt64(1, dims);
        }
        t.int64(2, dataType).string(8, unique).bytes(9, raw);
        initializers.add(t.toByteArray());
        return unique;
    }

    // ------------------------------------------------------------------------------------------ nodes

    /** A node being built: inputs, attributes, then its outputs, which adds it to the graph. */
    public final class Node {
        private final String opType;
        private final List<String> inputs = new ArrayList<>();
        private final List<byte[]> attributes = new ArrayList<>();
        private boolean done;

        private Node(String opType) {
            this.opType = opType;
        }

        /**
         * Appends inputs; {@code ""} stands for an omitted optional input.
         *
         * @param names value names
         * @return this node
         */
        public Node input(String... names) {
            for (String n : names) {
                inputs.add(n == null ? "" : n);
            }
            return this;
        }

        /**
         * An integer attribute.
         *
         * @param name the attribute
         * @param v the value
         * @return this node
         */
        public Node attr(String name, long v) {
            // AttributeProto: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, strings = 9, type = 20
            attributes.add(new ProtoWriter()
                    .string(1, name)
                    .int64(3, v)
                    .int64(20, ATTR_INT)
                    .toByteArray());
            return this;
        }

        /**
         * A float attribute.
         *
         * @param name the attribute
         * @param v the value
         * @return this node
         */
        public Node attr(String name, float v) {
            attributes.add(new ProtoWriter()
                    .string(1, name)
                    .float32(2, v)
                    .int64(20, ATTR_FLOAT)
                    .toByteArray());
            return this;
        }

        /**
         * A string attribute.
         *
         * @param name the attribute
         * @param v the value
         * @return this node
         */
        public Node attr(String name, String v) {
            attributes.add(new ProtoWriter()
                    .string(1, name)
                    .string(4, v)
                    .int64(20, ATTR_STRING)
                    .toByteArray());
            return this;
        }

        /**
         * An integer list attribute.
         *
         * @param name the attribute
         * @param v the values
         * @return this node
         */
        public Node attr(String name, long[] v) {
            attributes.add(new ProtoWriter()
                    .string(1, name)
                    .packedInt64(8, v)
                    .int64(20, ATTR_INTS)
                    .toByteArray());
            return this;
        }

        /**
         * An integer list attribute from ints.
         *
         * @param name the attribute
         * @param v the values
         * @return this node
         */
        public Node attr(String name, int[] v) {
            long[] l = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                l[i] = v[i];
            }
            return attr(name, l);
        }

        /**
         * A float list attribute.
         *
         * @param name the attribute
         * @param v the values
         * @return this node
         */
        public Node attr(String name, float[] v) {
            attributes.add(new ProtoWriter()
                    .string(1, name)
                    .packedFloat(7, v)
                    .int64(20, ATTR_FLOATS)
                    .toByteArray());
            return this;
        }

        /**
         * A string list attribute.
         *
         * @param name the attribute
         * @param v the values
         * @return this node
         */
        public Node attr(String name, String[] v) {
            ProtoWriter w = new ProtoWriter().string(1, name);
            for (String s : v) {
                w.string(9, s);
            }
            attributes.add(w.int64(20, ATTR_STRINGS).toByteArray());
            return this;
        }

        /**
         * Adds the node with one output, named after the node.
         *
         * @return the output's name
         */
        public String output() {
            return outputs(1)[0];
        }

        /**
         * Adds the node with {@code n} outputs, named after the node.
         *
         * @param n the number of outputs
         * @return the outputs' names
         */
        public String[] outputs(int n) {
            String nodeName = uniqueName(scope + "/" + opType);
            String[] outs = new String[n];
            for (int i = 0; i < n; i++) {
                outs[i] = uniqueName(nodeName + "_output_" + i);
            }
            return add(nodeName, outs);
        }

        /**
         * Adds the node with outputs of the given names (which must be unused).
         *
         * @param names the outputs' names
         * @return the names
         */
        public String[] outputsNamed(String... names) {
            for (String n : names) {
                reserve(n);
            }
            return add(uniqueName(scope + "/" + opType), names);
        }

        private String[] add(String nodeName, String[] outs) {
            if (done) {
                throw new IllegalStateException("OnnxGraph: node " + nodeName + " was already added");
            }
            done = true;
            // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
            ProtoWriter w = new ProtoWriter();
            for (String in : inputs) {
                w.string(1, in);
            }
            for (String o : outs) {
                w.string(2, o);
            }
            w.string(3, nodeName).string(4, opType);
            for (byte[] a : attributes) {
                w.bytes(5, a);
            }
            nodes.add(w.toByteArray());
            return outs;
        }
    }

    // ------------------------------------------------------------------------------------------ serialization

    /**
     * A graph input or output: its name, element type and shape, where {@code -1} is a dimension
     * named {@code dimNames[i]} (a symbolic size such as {@code "batch"}; null for an unnamed one).
     */
    record ValueInfo(String name, int elemType, int[] dims, String[] dimNames) {
        byte[] encode() {
            // TensorShapeProto.Dimension: dim_value = 1, dim_param = 2
            ProtoWriter shape = new ProtoWriter();
            for (int i = 0; i < dims.length; i++) {
                ProtoWriter d = new ProtoWriter();
                if (dims[i] >= 0) {
                    d.int64(1, dims[i]);
                } else if (dimNames[i] != null) {
                    d.string(2, dimNames[i]);
                }
                shape.message(1, d);
            }
            // TypeProto.Tensor: elem_type = 1, shape = 2; TypeProto: tensor_type = 1
            ProtoWriter tensorType = new ProtoWriter().int64(1, elemType).message(2, shape);
            ProtoWriter type = new ProtoWriter().message(1, tensorType);
            // ValueInfoProto: name = 1, type = 2
            return new ProtoWriter().string(1, name).message(2, type).toByteArray();
        }
    }

    /**
     * The serialized ModelProto.
     *
     * @param graphName the graph's name
     * @param docString the model's description
     * @param producerVersion the version of the producer
     * @param inputs the graph inputs
     * @param outputs the graph outputs
     * @return the bytes of an {@code .onnx} file
     */
    byte[] toModel(
            String graphName,
            String docString,
            String producerVersion,
            List<ValueInfo> inputs,
            List<ValueInfo> outputs) {
        // GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12
        ProtoWriter graph = new ProtoWriter();
        for (byte[] n : nodes) {
            graph.bytes(1, n);
        }
        graph.string(2, graphName);
        for (byte[] t : initializers) {
            graph.bytes(5, t);
        }
        for (ValueInfo v : inputs) {
            graph.bytes(11, v.encode());
        }
        for (ValueInfo v : outputs) {
            graph.bytes(12, v.encode());
        }
        // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7,
        // opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2)
        ProtoWriter model = new ProtoWriter()
                .int64(1, OnnxExporter.IR_VERSION)
                .string(2, "jgrad")
                .string(3, producerVersion);
        if (docString != null && !docString.isEmpty()) {
            model.string(6, docString);
        }
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").int64(2, OnnxExporter.OPSET));
        return model.toByteArray();
    }

    /**
     * The number of nodes added so far.
     *
     * @return the node count
     */
    public int nodeCount() {
        return nodes.size();
    }
}
