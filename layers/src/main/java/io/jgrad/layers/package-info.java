/**
 * Neural-network layers on top of autograd, with PyTorch's semantics and parameter names.
 *
 * <p>{@link io.jgrad.layers.Module} is the base of everything: it registers parameters, buffers and
 * children under names, switches training and evaluation modes, freezes subtrees, and exchanges
 * weights through {@link io.jgrad.layers.Module#stateDict()} and safetensors files
 * ({@link io.jgrad.layers.Module#save}, {@link io.jgrad.layers.Module#load}) under PyTorch's names.
 * Containers: {@link io.jgrad.layers.Sequential}, {@link io.jgrad.layers.ModuleList},
 * {@link io.jgrad.layers.Residual}.
 *
 * <p>Functional models, like Keras's functional API: symbolic inputs from
 * {@link io.jgrad.layers.Input#of}, layers called on {@link io.jgrad.layers.SymbolicTensor}s with
 * {@link io.jgrad.layers.Module#call(io.jgrad.layers.SymbolicTensor...)}, and a
 * {@link io.jgrad.layers.Model} of several inputs and outputs, shared layers, merges and nested
 * models, with shapes checked as the graph is built.
 *
 * <p>Layers: {@link io.jgrad.layers.Linear}; {@link io.jgrad.layers.Conv1d},
 * {@link io.jgrad.layers.Conv2d}, {@link io.jgrad.layers.ConvTranspose1d},
 * {@link io.jgrad.layers.ConvTranspose2d} (configured with {@link io.jgrad.layers.ConvOptions}); max,
 * average, adaptive (average and max) and global pooling; resampling:
 * {@link io.jgrad.layers.Upsample} (and {@link io.jgrad.layers.Functional#interpolate}),
 * {@link io.jgrad.layers.PixelShuffle}, {@link io.jgrad.layers.PixelUnshuffle}; merge layers
 * ({@link io.jgrad.layers.Add}, {@link io.jgrad.layers.Multiply}, {@link io.jgrad.layers.Average},
 * {@link io.jgrad.layers.Concatenate}) taking several inputs; {@link io.jgrad.layers.Flatten}, {@link io.jgrad.layers.Reshape}, {@link io.jgrad.layers.Identity};
 * batch, layer, group and instance normalization and {@link io.jgrad.layers.WeightNorm}; dropout
 * ({@link io.jgrad.layers.Dropout}, {@link io.jgrad.layers.Dropout2d},
 * {@link io.jgrad.layers.AlphaDropout}) and {@link io.jgrad.layers.MonteCarloDropout}; activation
 * modules. Losses are functions in {@link io.jgrad.layers.Losses} and modules extending
 * {@link io.jgrad.layers.Loss}; initializers are in {@link io.jgrad.layers.Init}, and every layer's
 * default initialization follows PyTorch's.
 *
 * <p>Sequence models: {@link io.jgrad.layers.Embedding}; {@link io.jgrad.layers.RNN},
 * {@link io.jgrad.layers.LSTM} and {@link io.jgrad.layers.GRU} (configured with
 * {@link io.jgrad.layers.RecurrentOptions}: stacked, bidirectional with a
 * {@link io.jgrad.layers.MergeMode}, masks or lengths, stateful, variational dropout; results in
 * {@link io.jgrad.layers.RNNOutput}) and their cells {@link io.jgrad.layers.RNNCell},
 * {@link io.jgrad.layers.LSTMCell}, {@link io.jgrad.layers.GRUCell};
 * {@link io.jgrad.layers.TimeDistributed}; {@link io.jgrad.layers.Attention} (scaled dot-product),
 * {@link io.jgrad.layers.MultiheadAttention}, {@link io.jgrad.layers.PositionalEncoding},
 * {@link io.jgrad.layers.LearnedPositionalEmbedding}, {@link io.jgrad.layers.TransformerEncoderLayer},
 * {@link io.jgrad.layers.TransformerEncoder}, {@link io.jgrad.layers.TransformerDecoderLayer},
 * {@link io.jgrad.layers.TransformerDecoder}, the encoder-decoder
 * {@link io.jgrad.layers.Transformer} and a small decoder-only
 * {@link io.jgrad.layers.CausalTransformerLM}. Their parameters carry PyTorch's names.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Conv2d(1, 32, 5, ConvOptions.defaults().padding("same")), new ReLU(), new MaxPool2d(2),
 *         new Flatten(), new Linear(32 * 14 * 14, 10));
 * System.out.println(model.summary(1, 1, 28, 28));
 * Variable loss = Losses.crossEntropy(model.forward(Variable.constant(images)), labels);
 * loss.backward();
 * model.save(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>Randomness (initialization, dropout masks) comes from {@link io.jgrad.core.Generator}:
 * {@link io.jgrad.core.Generator#global()} by default, or the generators given to
 * {@link io.jgrad.layers.Module#resetParameters(io.jgrad.core.Generator)} and
 * {@link io.jgrad.layers.Module#setGenerator}, so runs repeat exactly.
 */
package io.jgrad.layers;
