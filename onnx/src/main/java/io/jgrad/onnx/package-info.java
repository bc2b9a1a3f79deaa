/**
 * Export of trained models to ONNX, so that a model trained with jgrad can be served by ONNX
 * Runtime (from C++, C#, Python, Java or JavaScript), on a phone or in a browser.
 *
 * <pre>{@code
 * model.eval();
 * OnnxExporter.create().export(model, Path.of("model.onnx"), -1, 1, 28, 28);  // -1: dynamic batch
 * }</pre>
 *
 * <h2>What is written</h2>
 * One ONNX model of opset 17 (IR version 8) in the default domain: the weights as float32
 * initializers named as in the state dict ({@code features.0.weight}; weights that the export had to
 * transform, such as the re-ordered gates of an LSTM, get a derived name such as {@code 1.W_l0}),
 * the input and the output named ({@code input} and {@code output} unless set otherwise) with the
 * dimensions given as {@code -1} dynamic ({@code batch} for the first). The model is exported as
 * it computes in evaluation mode.
 *
 * <h2>Layers</h2>
 * Every module of the tree is exported by the {@link io.jgrad.onnx.LayerExporter} registered for its
 * exact class. The default registry covers:
 * <ul>
 *   <li>containers: {@code Sequential}, {@code Residual} (with or without a shortcut),
 *       {@code TimeDistributed}, {@code Identity};
 *   <li>{@code Linear} ({@code Gemm} on matrices, {@code MatMul} on sequences), {@code Conv1d},
 *       {@code Conv2d}, {@code ConvTranspose1d}, {@code ConvTranspose2d} with stride, padding
 *       (numbers, "same" including the asymmetric case, reflect and replicate modes), dilation,
 *       groups and output padding;
 *   <li>{@code MaxPool1d/2d} and {@code AvgPool1d/2d} (padding, dilation, ceil mode, count of
 *       padding), {@code AdaptiveAvgPool1d/2d} and {@code AdaptiveMaxPool1d/2d} (also when the
 *       output size does not divide the input), {@code GlobalAvgPool}, {@code GlobalMaxPool};
 *   <li>{@code Flatten}, {@code Reshape}, {@code PixelShuffle}, {@code PixelUnshuffle},
 *       {@code Upsample} (nearest, nearest-exact, linear, bilinear, with or without aligned corners);
 *   <li>{@code BatchNorm1d/2d} (running statistics), {@code LayerNorm}, {@code GroupNorm} (from
 *       opset-17 operators), {@code InstanceNorm2d}, {@code Normalization};
 *   <li>{@code Dropout}, {@code Dropout2d}, {@code AlphaDropout} (the identity);
 *   <li>the activations {@code ReLU}, {@code LeakyReLU}, {@code ELU}, {@code SELU},
 *       {@code GELU} (exact or tanh), {@code SiLU}, {@code Mish}, {@code Sigmoid}, {@code Tanh},
 *       {@code Softmax}, {@code LogSoftmax};
 *   <li>{@code Embedding} (int32 input: {@link io.jgrad.onnx.OnnxExporter.Builder#inputType});
 *   <li>{@code LSTM}, {@code GRU}, {@code RNN} as ONNX's recurrent operators (stacked,
 *       bidirectional with every merge mode, batch-first or not, whole sequence or last state), with
 *       the gate blocks re-ordered (LSTM i, f, g, o to ONNX's i, o, f, c; GRU r, z, n to z, r, h,
 *       with {@code linear_before_reset=1});
 *   <li>{@code MultiheadAttention} (self-attention), {@code TransformerEncoderLayer} (post- and
 *       pre-norm, relu or gelu), {@code TransformerEncoder}, all from primitive operators;
 *       {@code PositionalEncoding}, {@code LearnedPositionalEmbedding}.
 * </ul>
 * A custom {@code Module} computes in its own Java code, which cannot be traced: it fails with an
 * {@link io.jgrad.onnx.UnsupportedLayerException} naming its class and its path in the tree, unless
 * an exporter is registered for it ({@link io.jgrad.onnx.OnnxExporter.Builder#register}). So does a
 * configuration ONNX cannot express (a stateful recurrent layer, batch norm without running
 * statistics, an embedding with {@code maxNorm}).
 *
 * <h2>Why a hand-written protobuf writer</h2>
 * An ONNX file is one protocol buffers message. This module writes it with
 * {@code ProtoWriter}, about a hundred lines for the four wire types ONNX's messages use, rather
 * than with protobuf-java and classes generated from {@code onnx.proto}:
 * <ul>
 *   <li>jgrad's library jars depend on nothing but the JDK and each other; protobuf-java would add
 *       a 1.9 MB jar (more than the rest of the export) to every application that exports a model;
 *   <li>protobuf-java is a classic source of version conflicts: its generated code must match the
 *       runtime's major version (3.x and 4.x are not interchangeable), and applications that serve
 *       models (gRPC, Spark, TensorFlow) often pin their own;
 *   <li>export only writes, and uses about ten message types and fields that the wire format keeps
 *       stable by design; code generation would add a protoc step (a native binary) to the build.
 * </ul>
 * The writer is tested on its own against the encodings of the protobuf documentation, and every
 * model the tests export is loaded and run by ONNX Runtime; the files also pass ONNX's own checker
 * with full shape inference (see the README).
 */
package io.jgrad.onnx;
