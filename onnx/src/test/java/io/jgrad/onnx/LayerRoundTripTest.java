package io.jgrad.onnx;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.AdaptiveAvgPool1d;
import io.jgrad.layers.AdaptiveAvgPool2d;
import io.jgrad.layers.AdaptiveMaxPool1d;
import io.jgrad.layers.AdaptiveMaxPool2d;
import io.jgrad.layers.AlphaDropout;
import io.jgrad.layers.AvgPool1d;
import io.jgrad.layers.AvgPool2d;
import io.jgrad.layers.BatchNorm1d;
import io.jgrad.layers.Conv1d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
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
import io.jgrad.layers.MergeMode;
import io.jgrad.layers.Mish;
import io.jgrad.layers.Module;
import io.jgrad.layers.MultiheadAttention;
import io.jgrad.layers.Normalization;
import io.jgrad.layers.PixelShuffle;
import io.jgrad.layers.PixelUnshuffle;
import io.jgrad.layers.RNN;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.RecurrentOptions;
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
import org.junit.jupiter.api.Test;

/** One round trip through ONNX Runtime per layer type and configuration (batch sizes 1 and 7). */
class LayerRoundTripTest {
    private static <M extends Module> M init(M m, long seed) {
        m.resetParameters(new Generator(seed));
        return m;
    }

    @Test
    void linearOnMatricesAndSequences() {
        OrtCheck.check(init(new Linear(5, 3), 1), -1, 5);
        OrtCheck.check(init(new Linear(5, 3, false), 2), -1, 4, 5);
    }

    @Test
    void conv1dWithStridePaddingDilationGroups() {
        OrtCheck.check(
                init(
                        new Conv1d(
                                4,
                                6,
                                3,
                                ConvOptions.defaults()
                                        .stride(2)
                                        .padding(2)
                                        .dilation(2)
                                        .groups(2)),
                        3),
                -1,
                4,
                17);
        OrtCheck.check(
                init(new Conv1d(3, 5, 4, ConvOptions.defaults().padding("same").bias(false)), 4), -1, 3, 11);
        OrtCheck.check(
                init(new Conv1d(2, 3, 3, ConvOptions.defaults().padding(1).paddingMode(Tensor.PadMode.REFLECT)), 5),
                -1,
                2,
                9);
    }

    @Test
    void conv2dWithStridePaddingDilationGroups() {
        OrtCheck.check(
                init(
                        new Conv2d(
                                4,
                                8,
                                new int[] {3, 2},
                                ConvOptions.defaults()
                                        .stride(2, 1)
                                        .padding(1, 2)
                                        .dilation(1, 2)
                                        .groups(4)),
                        6),
                -1,
                4,
                10,
                9);
        // even kernel with "same": asymmetric padding
        OrtCheck.check(init(new Conv2d(3, 4, 4, ConvOptions.defaults().padding("same")), 7), -1, 3, 8, 7);
        OrtCheck.check(
                init(new Conv2d(2, 3, 3, ConvOptions.defaults().padding(1).paddingMode(Tensor.PadMode.REPLICATE)), 8),
                -1,
                2,
                6,
                6);
    }

    @Test
    void convTransposeWithStridePaddingDilationGroups() {
        OrtCheck.check(
                init(
                        new ConvTranspose2d(
                                4,
                                6,
                                new int[] {3, 3},
                                ConvOptions.defaults()
                                        .stride(2)
                                        .padding(1)
                                        .outputPadding(1)
                                        .dilation(1)
                                        .groups(2)),
                        9),
                -1,
                4,
                5,
                6);
        OrtCheck.check(
                init(
                        new ConvTranspose2d(
                                3,
                                2,
                                new int[] {2, 3},
                                ConvOptions.defaults()
                                        .stride(3, 2)
                                        .dilation(2, 1)
                                        .bias(false)),
                        10),
                -1,
                3,
                4,
                4);
        OrtCheck.check(
                init(
                        new ConvTranspose1d(
                                3,
                                4,
                                3,
                                ConvOptions.defaults().stride(2).padding(1).outputPadding(1)),
                        11),
                -1,
                3,
                7);
    }

    @Test
    void maxPooling() {
        OrtCheck.check(new MaxPool2d(2), -1, 3, 8, 9);
        OrtCheck.check(
                new MaxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, false),
                -1,
                2,
                9,
                8);
        OrtCheck.check(new MaxPool1d(3, 2, 1, 1, false), -1, 3, 10);
    }

    @Test
    void maxPoolingWithCeilMode() {
        OrtCheck.check(
                new MaxPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, true),
                -1,
                2,
                8,
                10);
        OrtCheck.check(new MaxPool1d(2, 2, 0, 1, true), -1, 3, 9);
        // a last window that would start in the right padding is dropped (PyTorch's rule): 3 outputs, not 4
        OrtCheck.check(new MaxPool1d(2, 2, 1, 1, true), -1, 3, 5);
        OrtCheck.check(
                new MaxPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true),
                -1,
                2,
                6,
                5);
        OrtCheck.check(
                new MaxPool2d(new int[] {2, 3}, new int[] {3, 2}, new int[] {1, 1}, new int[] {2, 1}, true),
                -1,
                2,
                8,
                8);
    }

    @Test
    void averagePoolingWithCeilMode() {
        OrtCheck.check(new AvgPool1d(2, 2, 0, true, true), -1, 3, 9);
        OrtCheck.check(new AvgPool1d(2, 2, 1, true, true), -1, 3, 5);
        OrtCheck.check(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, false), -1, 2, 6, 7);
        OrtCheck.check(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, true), -1, 2, 6, 7);
    }

    @Test
    void averagePooling() {
        OrtCheck.check(new AvgPool2d(2), -1, 3, 8, 8);
        OrtCheck.check(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, true), -1, 2, 9, 8);
        OrtCheck.check(new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, false), -1, 2, 9, 8);
        OrtCheck.check(new AvgPool1d(3, 2, 1, false, false), -1, 3, 10);
    }

    @Test
    void adaptivePooling() {
        OrtCheck.check(new AdaptiveAvgPool2d(4, 3), -1, 2, 8, 9); // divides: plain pooling
        OrtCheck.check(new AdaptiveAvgPool2d(3, 4), -1, 2, 7, 10); // does not divide: overlapping cells
        OrtCheck.check(new AdaptiveMaxPool2d(3), -1, 2, 7, 8);
        OrtCheck.check(new AdaptiveAvgPool1d(4), -1, 3, 10);
        OrtCheck.check(new AdaptiveMaxPool1d(3), -1, 3, 9);
        OrtCheck.check(new AdaptiveAvgPool2d(1), -1, 3, 5, 6);
    }

    @Test
    void globalPooling() {
        OrtCheck.check(new GlobalAvgPool(), -1, 3, 5, 6);
        OrtCheck.check(new GlobalAvgPool(true), -1, 3, 5, 6);
        OrtCheck.check(new GlobalMaxPool(), -1, 3, 7);
        OrtCheck.check(new GlobalMaxPool(true), -1, 3, 4, 5);
    }

    @Test
    void flattenAndReshape() {
        OrtCheck.check(new Flatten(), -1, 2, 3, 4);
        OrtCheck.check(new Flatten(2, 3), -1, 2, 3, 4);
        OrtCheck.check(new Flatten(0, -1), -1, 2, 3);
        OrtCheck.check(new Sequential(new Flatten(), new Reshape(4, 6)), -1, 2, 3, 4);
        OrtCheck.check(new Reshape(-1, 2), -1, 3, 4);
    }

    @Test
    void upsample() {
        for (InterpolationMode mode :
                new InterpolationMode[] {InterpolationMode.NEAREST, InterpolationMode.NEAREST_EXACT}) {
            OrtCheck.check(new Upsample(2, mode), -1, 2, 3, 4);
            OrtCheck.check(new Upsample(new double[] {1.5, 2.5}, mode, false), -1, 2, 5, 3);
            OrtCheck.check(new Upsample(new int[] {7, 5}, mode, false), -1, 2, 3, 4);
            OrtCheck.check(new Upsample(new int[] {2}, mode, false), -1, 2, 5);
        }
        for (boolean corners : new boolean[] {false, true}) {
            OrtCheck.check(new Upsample(new double[] {2}, InterpolationMode.BILINEAR, corners), -1, 2, 3, 4);
            OrtCheck.check(new Upsample(new double[] {1.5, 2.5}, InterpolationMode.BILINEAR, corners), -1, 2, 5, 3);
            OrtCheck.check(new Upsample(new int[] {7, 5}, InterpolationMode.BILINEAR, corners), -1, 2, 3, 4);
            OrtCheck.check(new Upsample(new int[] {9}, InterpolationMode.LINEAR, corners), -1, 2, 4);
            OrtCheck.check(new Upsample(new double[] {0.5}, InterpolationMode.LINEAR, corners), -1, 2, 8);
        }
    }

    @Test
    void pixelShuffleAndUnshuffle() {
        OrtCheck.check(new PixelShuffle(2), -1, 12, 3, 4);
        OrtCheck.check(new PixelUnshuffle(3), -1, 2, 6, 9);
        OrtCheck.check(new Sequential(new PixelUnshuffle(2), new PixelShuffle(2)), -1, 3, 4, 6);
    }

    @Test
    void batchNorm1dOnMatricesAndSequences() {
        OrtCheck.check(ModelRoundTripTest.randomizeNorms(new BatchNorm1d(5), 12), -1, 5);
        OrtCheck.check(ModelRoundTripTest.randomizeNorms(new BatchNorm1d(4, 1e-3, 0.1, true, true), 13), -1, 4, 6);
    }

    @Test
    void layerNorm() {
        LayerNorm ln = new LayerNorm(6);
        randomAffine(ln, 14);
        OrtCheck.check(ln, -1, 3, 6);
        LayerNorm ln2 = new LayerNorm(new int[] {3, 4}, 1e-3, true);
        randomAffine(ln2, 15);
        OrtCheck.check(ln2, -1, 2, 3, 4);
        OrtCheck.check(new LayerNorm(new int[] {5}, 1e-5, false), -1, 5);
    }

    @Test
    void groupNorm() {
        GroupNorm gn = new GroupNorm(2, 6);
        randomAffine(gn, 16);
        OrtCheck.check(gn, -1, 6, 4, 5);
        OrtCheck.check(new GroupNorm(3, 6, 1e-3, false), -1, 6, 7);
    }

    @Test
    void instanceNorm() {
        InstanceNorm2d in = new InstanceNorm2d(3, 1e-5, 0.1, true, false);
        randomAffine(in, 17);
        OrtCheck.check(in, -1, 3, 5, 4);
        InstanceNorm2d tracked = new InstanceNorm2d(3, 1e-5, 0.1, false, true);
        tracked.buffer("running_mean").copy_(Tensor.of(new float[] {0.5f, -1f, 0.2f}, 3));
        tracked.buffer("running_var").copy_(Tensor.of(new float[] {2f, 0.5f, 1.5f}, 3));
        OrtCheck.check(tracked, -1, 3, 5, 4);
    }

    @Test
    void dropoutIsTheIdentity() {
        Module m = new Sequential(
                new Linear(4, 4), new Dropout(0.5), new Dropout2d(0.3), new AlphaDropout(0.2), new Identity());
        m.resetParameters(new Generator(18));
        m.train(); // exported in evaluation mode all the same
        OrtCheck.check(m, -1, 4);
    }

    @Test
    void everyActivation() {
        Module[] acts = {
            new ReLU(),
            new Sigmoid(),
            new Tanh(),
            new ELU(),
            new ELU(0.5),
            new LeakyReLU(),
            new LeakyReLU(0.2),
            new SELU(),
            new GELU(),
            new GELU(true),
            new SiLU(),
            new Mish(),
            new Softmax(),
            new Softmax(1),
            new LogSoftmax(),
            new LogSoftmax(1)
        };
        for (Module a : acts) {
            OrtCheck.check(init(new Sequential(new Linear(6, 6), a), 41), -1, 3, 6);
        }
    }

    @Test
    void embedding() {
        Embedding e = new Embedding(20, 6, 0);
        e.resetParameters(new Generator(19));
        OrtCheck.checkInts(new Sequential(e, new Flatten(), new Linear(5 * 6, 3)), 20, -1, 5);
    }

    @Test
    void lstmVariants() {
        // time-major, one direction, whole sequence: the batch is dimension 1
        OrtCheck.check(init(new LSTM(4, 5, RecurrentOptions.defaults().batchFirst(false)), 20), 6, -1, 4);
        OrtCheck.check(
                init(new LSTM(4, 5, RecurrentOptions.defaults().bias(false).returnSequences(false)), 21), -1, 6, 4);
        for (MergeMode mode : MergeMode.values()) {
            OrtCheck.check(
                    init(
                            new LSTM(
                                    4,
                                    5,
                                    RecurrentOptions.defaults()
                                            .bidirectional(true)
                                            .mergeMode(mode)),
                            22),
                    -1,
                    6,
                    4);
            OrtCheck.check(
                    init(
                            new LSTM(
                                    4,
                                    5,
                                    RecurrentOptions.defaults()
                                            .bidirectional(true)
                                            .mergeMode(mode)
                                            .returnSequences(false)),
                            23),
                    -1,
                    6,
                    4);
        }
        OrtCheck.check(
                init(
                        new LSTM(
                                4,
                                5,
                                RecurrentOptions.defaults().unitForgetBias(true).numLayers(3)),
                        24),
                -1,
                6,
                4);
    }

    @Test
    void gruVariants() {
        OrtCheck.check(
                init(new GRU(4, 5, RecurrentOptions.defaults().numLayers(2).bidirectional(true)), 25), -1, 6, 4);
        OrtCheck.check(
                init(new GRU(4, 5, RecurrentOptions.defaults().batchFirst(false).returnSequences(false)), 26),
                6,
                -1,
                4);
        OrtCheck.check(init(new GRU(4, 5, RecurrentOptions.defaults().bias(false)), 27), -1, 6, 4);
    }

    @Test
    void simpleRnn() {
        OrtCheck.check(
                init(new RNN(4, 5, RecurrentOptions.defaults().numLayers(2).bidirectional(true)), 28), -1, 6, 4);
        OrtCheck.check(
                init(
                        new RNN(
                                4,
                                5,
                                RecurrentOptions.defaults().nonlinearity("relu").returnSequences(false)),
                        29),
                -1,
                6,
                4);
    }

    @Test
    void multiheadSelfAttention() {
        MultiheadAttention mha = new MultiheadAttention(8, 2);
        mha.resetParameters(new Generator(30));
        randomBiases(mha, 31);
        OrtCheck.check(mha, -1, 5, 8);
        MultiheadAttention timeMajor = new MultiheadAttention(8, 4, 0.1, false, false);
        timeMajor.resetParameters(new Generator(32));
        OrtCheck.check(timeMajor, 5, -1, 8);
    }

    @Test
    void transformerEncoderLayers() {
        TransformerEncoderLayer post = new TransformerEncoderLayer(8, 2, 16, 0.1, "gelu", 1e-5, true, false);
        post.resetParameters(new Generator(33));
        randomBiases(post, 34);
        OrtCheck.check(post, -1, 5, 8);
        TransformerEncoder pre = new TransformerEncoder(
                () -> new TransformerEncoderLayer(8, 2, 16, 0.1, "relu", 1e-5, true, true), 2, new LayerNorm(8));
        pre.resetParameters(new Generator(35));
        randomBiases(pre, 36);
        OrtCheck.check(pre, -1, 5, 8);
    }

    @Test
    void residualWithAndWithoutShortcut() {
        OrtCheck.check(init(new Residual(new Sequential(new Linear(4, 4), new Tanh())), 37), -1, 4);
        OrtCheck.check(init(new Residual(new Linear(4, 6), new Linear(4, 6, false)), 38), -1, 4);
    }

    @Test
    void timeDistributed() {
        OrtCheck.check(init(new TimeDistributed(new Sequential(new Linear(4, 3), new Tanh())), 42), -1, 5, 4);
        OrtCheck.check(
                init(new TimeDistributed(new Sequential(new Conv2d(1, 2, 3), new Flatten())), 43), -1, -1, 1, 5, 5);
    }

    @Test
    void positionalLayersAndNormalization() {
        OrtCheck.check(init(new Sequential(new Linear(3, 8), new LearnedPositionalEmbedding(10, 8)), 39), -1, 6, 3);
        Normalization norm = new Normalization(3);
        norm.adapt(Tensor.randn(new Generator(40), 50, 3).mul(3).add(1));
        OrtCheck.check(norm, -1, 3);
    }

    /** Random weights and biases for the affine parameters of norms (which start at ones and zeros). */
    private static void randomAffine(Module m, long seed) {
        Generator g = new Generator(seed);
        for (var e : m.namedParameters().entrySet()) {
            e.getValue()
                    .data()
                    .copy_(Tensor.randn(g, e.getValue().shape())
                            .mul(0.5)
                            .add(e.getKey().endsWith("weight") ? 1 : 0));
        }
    }

    /** Non-zero biases everywhere (attention starts them at zero) and random norm parameters. */
    private static void randomBiases(Module m, long seed) {
        Generator g = new Generator(seed);
        for (var e : m.namedParameters().entrySet()) {
            String k = e.getKey();
            if (k.endsWith("bias")) {
                e.getValue().data().copy_(Tensor.randn(g, e.getValue().shape()).mul(0.3));
            } else if (k.contains("norm") && k.endsWith("weight")) {
                e.getValue().data().copy_(Tensor.rand(g, e.getValue().shape()).add(0.5));
            }
        }
    }
}
