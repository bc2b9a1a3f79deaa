package io.jgrad.onnx;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.BatchNorm;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.GRU;
import io.jgrad.layers.GlobalAvgPool;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Module;
import io.jgrad.layers.PositionalEncoding;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.RecurrentOptions;
import io.jgrad.layers.Residual;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.TransformerEncoder;
import io.jgrad.layers.TransformerEncoderLayer;
import org.junit.jupiter.api.Test;

/** Whole models exported and run in ONNX Runtime, compared with jgrad at batch sizes 1 and 7. */
class ModelRoundTripTest {
    /** Random running statistics and affine parameters, so that batch norm is not the identity. */
    static <M extends Module> M randomizeNorms(M model, long seed) {
        Generator g = new Generator(seed);
        for (Module m : model.modules()) {
            if (m instanceof BatchNorm) {
                BatchNorm bn = (BatchNorm) m;
                int c = bn.numFeatures();
                bn.runningMean().copy_(Tensor.randn(g, c).mul(0.5));
                bn.runningVar().copy_(Tensor.rand(g, c).add(0.5));
                bn.weight().data().copy_(Tensor.rand(g, c).add(0.5));
                bn.bias().data().copy_(Tensor.randn(g, c).mul(0.2));
            }
        }
        return model;
    }

    @Test
    void mlp() {
        Sequential mlp = new Sequential(
                new Flatten(),
                new Linear(784, 256),
                new ReLU(),
                new Dropout(0.2),
                new Linear(256, 128),
                new ReLU(),
                new Dropout(0.2),
                new Linear(128, 10));
        mlp.resetParameters(new Generator(1));
        OrtCheck.check(mlp, -1, 1, 28, 28);
    }

    @Test
    void fashionMnistCnn() {
        // the cnn model of the fashion-mnist example
        ConvOptions same = ConvOptions.defaults().padding("same");
        Sequential cnn = new Sequential(
                new Conv2d(1, 32, 3, same),
                new ReLU(),
                new MaxPool2d(2),
                new Conv2d(32, 64, 3, same),
                new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 128),
                new ReLU(),
                new Linear(128, 10));
        cnn.resetParameters(new Generator(2));
        OrtCheck.check(cnn, -1, 1, 28, 28);
    }

    @Test
    void residualCnnWithBatchNorm() {
        Sequential net = new Sequential(
                new Conv2d(3, 8, 3, 1, 1),
                new BatchNorm2d(8),
                new ReLU(),
                new Residual(new Sequential(
                        new Conv2d(8, 8, 3, 1, 1),
                        new BatchNorm2d(8),
                        new ReLU(),
                        new Conv2d(8, 8, 3, 1, 1),
                        new BatchNorm2d(8))),
                new ReLU(),
                new Residual(
                        new Sequential(
                                new Conv2d(8, 16, 3, 2, 1),
                                new BatchNorm2d(16),
                                new ReLU(),
                                new Conv2d(16, 16, 3, 1, 1),
                                new BatchNorm2d(16)),
                        new Sequential(new Conv2d(8, 16, 1, 2, 0), new BatchNorm2d(16))),
                new ReLU(),
                new GlobalAvgPool(),
                new Linear(16, 5));
        net.resetParameters(new Generator(3));
        randomizeNorms(net, 4);
        OrtCheck.check(net, -1, 3, 12, 12);
    }

    @Test
    void bidirectionalLstmClassifier() {
        Sequential net = new Sequential(
                new LSTM(
                        12,
                        16,
                        RecurrentOptions.defaults()
                                .numLayers(2)
                                .bidirectional(true)
                                .returnSequences(false)),
                new Linear(32, 5));
        net.resetParameters(new Generator(5));
        OrtCheck.check(net, -1, 9, 12);
    }

    @Test
    void sequenceModelsWithADynamicLength() {
        // batch and time both dynamic (the harness sets every dynamic dimension to 1, then 7)
        Sequential lstm = new Sequential(
                new LSTM(
                        12,
                        16,
                        RecurrentOptions.defaults()
                                .numLayers(2)
                                .bidirectional(true)
                                .returnSequences(false)),
                new Linear(32, 5));
        lstm.resetParameters(new Generator(8));
        OrtCheck.check(lstm, -1, -1, 12);
        Sequential encoder = new Sequential(
                new Linear(8, 16),
                new TransformerEncoder(() -> new TransformerEncoderLayer(16, 4, 32, 0.1, "gelu", 1e-5, true, true), 2),
                new Linear(16, 3));
        encoder.resetParameters(new Generator(9));
        OrtCheck.check(encoder, -1, -1, 8);
    }

    @Test
    void gru() {
        Sequential net =
                new Sequential(new GRU(6, 10, RecurrentOptions.defaults()), new Flatten(), new Linear(8 * 10, 4));
        net.resetParameters(new Generator(6));
        OrtCheck.check(net, -1, 8, 6);
    }

    @Test
    void transformerEncoderClassifier() {
        int d = 16;
        Sequential net = new Sequential(
                new Linear(8, d),
                new PositionalEncoding(d, 50),
                new TransformerEncoder(() -> new TransformerEncoderLayer(d, 4, 32, 0.1, "relu", 1e-5, true, false), 2),
                new Flatten(),
                new Linear(10 * d, 3));
        net.resetParameters(new Generator(7));
        OrtCheck.check(net, -1, 10, 8);
    }
}
