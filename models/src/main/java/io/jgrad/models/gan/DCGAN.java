package io.jgrad.models.gan;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Generator;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.ConvTranspose2d;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Init;
import io.jgrad.layers.LayerNorm;
import io.jgrad.layers.LeakyReLU;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Reshape;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.Tanh;
import java.util.Map;

/**
 * DCGAN networks for 28x28 single-channel images, after Radford, Metz and Chintala 2015, "Unsupervised
 * representation learning with deep convolutional generative adversarial networks", scaled down to
 * train on a CPU (the MNIST-sized variant common in tutorials):
 * <ul>
 *   <li>{@link #generator}: noise {@code (N, noiseDim)} &rarr; linear projection to {@code (128, 7, 7)},
 *       batch norm, ReLU &rarr; transposed convolution 4x4 stride 2 to {@code (64, 14, 14)}, batch norm,
 *       ReLU &rarr; transposed convolution 4x4 stride 2 to {@code (1, 28, 28)} &rarr; tanh. The output is in
 *       [-1, 1], the DCGAN convention: train it on images scaled from [0, 1] to [-1, 1]
 *       ({@code 2x - 1}) and map samples back with {@code (x + 1) / 2}.</li>
 *   <li>{@link #discriminator}: images {@code (N, 1, 28, 28)} &rarr; convolution 4x4 stride 2 to
 *       {@code (64, 14, 14)}, leaky ReLU (0.2) &rarr; convolution 4x4 stride 2 to {@code (128, 7, 7)},
 *       normalization, leaky ReLU (0.2) &rarr; linear to one logit. Strided convolutions instead of
 *       pooling, no normalization on the first layer (the paper's guidelines). The normalization is batch
 *       norm for the BCE loss (DCGAN) and layer norm over {@code (128, 7, 7)} or none for a WGAN-GP critic,
 *       whose gradient penalty is per sample and must not mix the samples of a batch (Gulrajani et al.
 *       2017, section 4).</li>
 * </ul>
 * Weights are initialized as in the paper: convolution and linear weights from N(0, 0.02^2), biases 0,
 * batch-norm scales from N(1, 0.02^2) ({@link #initialize}). The layers work for any 28x28
 * single-channel data set.
 */
public final class DCGAN {
    /** Image side. */
    public static final int SIZE = 28;
    /** The default noise length. */
    public static final int NOISE_DIM = 64;

    /** The normalization between the discriminator's second convolution and its activation. */
    public enum Norm {
        /** Batch normalization (the DCGAN discriminator; not for WGAN-GP). */
        BATCH,
        /** Layer normalization over (128, 7, 7), for a WGAN-GP critic. */
        LAYER,
        /** None. */
        NONE;

        /** The usual choice for a loss: batch norm for BCE, layer norm for WGAN-GP. */
        public static Norm forLoss(Gan.Loss loss) {
            return loss == Gan.Loss.WGAN_GP ? LAYER : BATCH;
        }
    }

    private DCGAN() {}

    /**
     * The generator, initialized from {@code g} (see {@link #initialize}).
     *
     * @param noiseDim the noise length, at least 1
     * @param g the random generator of the initial weights
     * @return noise {@code (N, noiseDim)} to images {@code (N, 1, 28, 28)} in [-1, 1]
     */
    public static Sequential generator(int noiseDim, Generator g) {
        if (noiseDim < 1) {
            throw new IllegalArgumentException("DCGAN.generator: noise dimension must be at least 1, got " + noiseDim);
        }
        ConvOptions up = ConvOptions.defaults().stride(2).padding(1).bias(false);
        Sequential s = new Sequential(
                new Linear(noiseDim, 128 * 7 * 7, false),
                new Reshape(128, 7, 7),
                new BatchNorm2d(128),
                new ReLU(),
                new ConvTranspose2d(128, 64, 4, up),
                new BatchNorm2d(64),
                new ReLU(),
                new ConvTranspose2d(64, 1, 4, ConvOptions.defaults().stride(2).padding(1)),
                new Tanh());
        initialize(s, g);
        return s;
    }

    /**
     * The discriminator (critic), initialized from {@code g} (see {@link #initialize}).
     *
     * @param norm the normalization after the second convolution
     * @param g the random generator of the initial weights
     * @return images {@code (N, 1, 28, 28)} to logits {@code (N, 1)}
     */
    public static Sequential discriminator(Norm norm, Generator g) {
        if (norm == null) {
            throw new IllegalArgumentException("DCGAN.discriminator: norm must not be null (BATCH, LAYER or NONE)");
        }
        ConvOptions down = ConvOptions.defaults().stride(2).padding(1);
        // the second convolution's bias is redundant before batch norm
        ConvOptions down2 = ConvOptions.defaults().stride(2).padding(1).bias(norm != Norm.BATCH);
        Sequential s = new Sequential(new Conv2d(1, 64, 4, down), new LeakyReLU(0.2), new Conv2d(64, 128, 4, down2));
        if (norm == Norm.BATCH) {
            s.add(new BatchNorm2d(128));
        } else if (norm == Norm.LAYER) {
            s.add(new LayerNorm(128, 7, 7));
        }
        s.add(new LeakyReLU(0.2)).add(new Flatten()).add(new Linear(128 * 7 * 7, 1));
        initialize(s, g);
        return s;
    }

    /**
     * DCGAN's initialization of every layer in a tree: weights of convolutions (plain and transposed) and
     * linear layers from N(0, 0.02^2), batch-norm scales from N(1, 0.02^2), all biases and batch-norm
     * shifts 0; layer-norm parameters keep (1, 0).
     *
     * @param m the module tree
     * @param g the random generator
     */
    public static void initialize(Module m, Generator g) {
        for (Module c : m.modules()) {
            boolean bn = c instanceof BatchNorm2d;
            boolean weighted = c instanceof Conv2d || c instanceof ConvTranspose2d || c instanceof Linear;
            if (!bn && !weighted) {
                continue;
            }
            for (Map.Entry<String, Parameter> e : c.namedParameters().entrySet()) {
                if (e.getKey().contains(".")) {
                    continue; // only the module's own parameters
                }
                if (e.getKey().equals("weight")) {
                    Init.normal(e.getValue().data(), bn ? 1 : 0, 0.02, g);
                } else if (e.getKey().equals("bias")) {
                    e.getValue().data().zero_();
                }
            }
        }
    }
}
