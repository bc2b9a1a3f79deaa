package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.DataLoader;
import io.jgrad.data.GaussianNoise;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.data.Transform;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.ConvTranspose2d;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Reduction;
import io.jgrad.layers.Reshape;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.LossFunction;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Autoencoders on Fashion-MNIST: a network squeezes each 28x28 image through a small code and
 * rebuilds it. Writes a PNG grid of test images and their reconstructions (and, for the VAE, new
 * images decoded from random codes) and reports the reconstruction error on the test set.
 */
@Command(
        name = "autoencoder",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Autoencoders on Fashion-MNIST; writes a PNG grid of test images and their reconstructions.",
            "Kinds:",
            "  dense        784-256-32-256-784 fully connected",
            "  conv         two stride-2 convolutions, a 32-number code, two transposed convolutions",
            "  denoising    the conv one, fed images with Gaussian noise (std --noise) and trained to give the "
                    + "clean ones",
            "  variational  a VAE with a 16-number code (Kingma and Welling, 2014); also draws new images from "
                    + "random codes",
            "Pixels are in [0, 1]; the decoder gives logits, trained with binary cross entropy (VAE: plus the "
                    + "KL term).",
            "Reported: test_mse, the mean squared error per pixel between the reconstruction and the clean "
                    + "test image.",
            "The grid goes to --out DIR (default: the current folder) as autoencoder-<kind>.png."
        })
public final class AutoencoderExample implements Callable<Integer> {
    /** The kinds of autoencoder. */
    enum Kind {
        dense,
        conv,
        denoising,
        variational
    }

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--kind",
            paramLabel = "KIND",
            defaultValue = "conv",
            description = "dense, conv, denoising or variational (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(
            names = "--noise",
            paramLabel = "STD",
            defaultValue = "0.3",
            description = "Noise standard deviation of the denoising kind (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "128",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N test images (default: all 10000).")
    int testSize;

    static final int LATENT = 32;
    static final int VAE_LATENT = 16;

    /** The conv encoder-decoder: (N, 1, 28, 28) -> (N, 16, 14, 14) -> (N, 32, 7, 7) -> 32 -> back. */
    static Sequential convAutoencoder() {
        ConvOptions down = ConvOptions.defaults().stride(2).padding(1);
        ConvOptions up = ConvOptions.defaults().stride(2).padding(1).outputPadding(1);
        return new Sequential(
                new Conv2d(1, 16, 3, down),
                new ReLU(),
                new Conv2d(16, 32, 3, down),
                new ReLU(),
                new Flatten(),
                new Linear(32 * 7 * 7, LATENT),
                new Linear(LATENT, 32 * 7 * 7),
                new ReLU(),
                new Reshape(32, 7, 7),
                new ConvTranspose2d(32, 16, 3, up),
                new ReLU(),
                new ConvTranspose2d(16, 1, 3, up));
    }

    static Sequential denseAutoencoder() {
        return new Sequential(
                new Flatten(),
                new Linear(784, 256),
                new ReLU(),
                new Linear(256, LATENT),
                new Linear(LATENT, 256),
                new ReLU(),
                new Linear(256, 784),
                new Reshape(1, 28, 28));
    }

    /**
     * A variational autoencoder. The encoder gives the mean {@code mu} and log-variance of a normal
     * distribution over codes; in training the code is drawn from it as {@code mu + eps * exp(logvar / 2)}
     * (the reparametrization trick), in evaluation it is {@code mu}. The output packs the decoder's
     * logits, {@code mu} and {@code logvar}: {@code (N, 784 + 2 * latent)}, which {@link #vaeLoss} unpacks.
     */
    static final class Vae extends Module {
        private final Sequential encoder;
        private final Linear mu;
        private final Linear logvar;
        private final Sequential decoder;
        private Generator gen = Generator.global();

        Vae(int latent) {
            this.encoder = registerModule("encoder", new Sequential(new Flatten(), new Linear(784, 400), new ReLU()));
            this.mu = registerModule("mu", new Linear(400, latent));
            this.logvar = registerModule("logvar", new Linear(400, latent));
            this.decoder = registerModule(
                    "decoder", new Sequential(new Linear(latent, 400), new ReLU(), new Linear(400, 784)));
        }

        @Override
        protected void useGenerator(Generator g) {
            gen = g;
        }

        @Override
        public Variable forward(Variable x) {
            Variable h = encoder.call(x); // (N, 400)
            Variable m = mu.call(h); // (N, latent)
            Variable lv = logvar.call(h);
            Variable z = m;
            if (isTraining()) {
                Tensor eps = Tensor.randn(gen, m.dtype(), m.shape());
                z = m.add(lv.mul(0.5).exp().mul(Variable.constant(eps)));
            }
            return Variable.cat(List.of(decoder.call(z), m, lv), 1);
        }

        /** Images decoded from codes {@code (n, latent)}: probabilities {@code (n, 1, 28, 28)}. */
        Tensor decode(Tensor z) {
            try (var off = Autograd.noGrad()) {
                return decoder.call(Variable.constant(z)).data().sigmoid().reshape(z.size(0), 1, 28, 28);
            }
        }
    }

    /**
     * The VAE's loss per image, averaged over the batch: the reconstruction's binary cross entropy
     * summed over the 784 pixels plus the KL divergence of the code's distribution from N(0, I),
     * {@code -1/2 sum(1 + logvar - mu^2 - exp(logvar))}.
     */
    static Variable vaeLoss(Variable out, Variable target, int latent) {
        int n = out.size(0);
        Variable logits = out.narrow(1, 0, 784);
        Variable m = out.narrow(1, 784, latent);
        Variable lv = out.narrow(1, 784 + latent, latent);
        Variable rec = Losses.bceWithLogits(logits, target.reshape(n, 784), null, null, Reduction.SUM);
        Variable kl = lv.add(1).sub(m.square()).sub(lv.exp()).sum().mul(-0.5);
        return rec.add(kl).div(n);
    }

    /** The mean squared error per pixel between the sigmoid of the output's logits and the clean images. */
    static final class PixelMse implements Metric {
        private double sum;
        private long count;

        @Override
        public String name() {
            return "mse";
        }

        @Override
        public void reset() {
            sum = 0;
            count = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            int n = target.size(0);
            Tensor logits = output.reshape(n, -1).narrow(1, 0, 784);
            Tensor d = logits.sigmoid().sub(target.reshape(n, 784));
            sum += d.square().sum().item();
            count += (long) n * 784;
        }

        @Override
        public double result() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(kind == Kind.variational ? 20 : 10);
        TensorDataset trainImages = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TRAIN), trainSize);
        TensorDataset testImages = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TEST), testSize);
        // the target of an autoencoder is its (clean) input
        TensorDataset train = new TensorDataset(trainImages.input(), trainImages.input());
        TensorDataset test = new TensorDataset(testImages.input(), testImages.input());
        common.stdout.printf(
                "autoencoder: %s, %d training and %d test images, %d epochs%n",
                kind, train.size(), test.size(), epochs);

        Module model;
        LossFunction loss;
        switch (kind) {
            case dense:
                model = denseAutoencoder();
                loss = Losses::bceWithLogits;
                break;
            case variational:
                model = new Vae(VAE_LATENT);
                loss = (out, target) -> vaeLoss(out, target, VAE_LATENT);
                break;
            default:
                model = convAutoencoder();
                loss = Losses::bceWithLogits;
        }
        model.resetParameters(new Generator(common.seed));

        // the denoising kind sees noisy inputs (new noise each epoch for training, fixed noise for the
        // test), clamped back to the pixel range; the targets stay clean
        Transform corrupt = kind == Kind.denoising ? new GaussianNoise(noise).andThen((x, g) -> x.clamp(0, 1)) : null;
        DataLoader.Builder trainB =
                DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(common.seed);
        DataLoader.Builder testB = DataLoader.builder(test).batchSize(1000).seed(common.seed + 1);
        if (corrupt != null) {
            trainB.inputTransform(corrupt);
            testB.inputTransform(corrupt);
        }
        DataLoader testLoader = testB.build();

        Trainer trainer = Trainer.builder(model, loss, new Adam(model.parameters(), 1e-3))
                .metrics(new PixelMse())
                .seed(common.seed)
                .build();
        History h = trainer.fit(trainB.build(), new FitOptions().epochs(epochs).validationData(testLoader));
        Map<String, Double> r = trainer.evaluate(testLoader);
        common.writeHistory(h, "autoencoder-" + kind, List.of("loss", "mse"));

        // the grid: the first 12 test images (noisy for the denoising kind), then their reconstructions
        int n = Math.min(12, test.size());
        Tensor clean = test.input().narrow(0, 0, n).contiguous();
        Tensor in = corrupt == null ? clean : corrupt.apply(clean, new Generator(common.seed + 2));
        Tensor out = trainer.predict(in, n);
        Tensor rec = out.reshape(n, -1).narrow(1, 0, 784).sigmoid().reshape(n, 1, 28, 28);
        List<Tensor> rows = new ArrayList<>(List.of(in, rec));
        if (corrupt != null) {
            rows.add(clean);
        }
        double baseline = Double.NaN;
        if (corrupt != null) {
            baseline = noisyMse(testLoader, test.size());
        }
        if (model instanceof Vae) {
            // new images: codes drawn from the prior N(0, I), decoded
            Tensor z = Tensor.randn(new Generator(common.seed + 3), 2 * n, VAE_LATENT);
            Tensor samples = ((Vae) model).decode(z);
            rows.add(samples.narrow(0, 0, n));
            rows.add(samples.narrow(0, n, n));
        }
        testLoader.close();
        Path png = common.out != null
                ? common.outFile("autoencoder-" + kind + ".png")
                : Path.of("autoencoder-" + kind + ".png");
        ImageGrid.write(png, rows, 3);
        common.stdout.println("wrote " + png + ": row 1 test images" + (corrupt != null ? " with noise" : "")
                + ", row 2 their reconstructions" + (corrupt != null ? ", row 3 the clean images" : "")
                + (model instanceof Vae ? ", rows 3-4 images decoded from random codes" : ""));

        ResultLine line = new ResultLine()
                .put("kind", kind.toString())
                .put("test_mse", r.get("mse"), 5)
                .put("test_loss", r.get("loss"), 4);
        if (corrupt != null) {
            line.put("noisy_input_mse", baseline, 5);
        }
        line.put("epochs", epochs).seconds(t0).print(common.stdout);
        return 0;
    }

    /** The error of the noisy test inputs themselves against the clean images: what denoising improves on. */
    private static double noisyMse(DataLoader testLoader, int size) {
        double sum = 0;
        for (var b : testLoader) {
            sum += b.input().sub(b.target()).square().sum().item();
        }
        return sum / ((double) size * 784);
    }
}
