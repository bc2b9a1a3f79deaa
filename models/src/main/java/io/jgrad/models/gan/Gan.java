package io.jgrad.models.gan;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Module;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.ParamGroup;
import io.jgrad.train.Checkpoint;
import io.jgrad.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trains a generative adversarial network: a generator {@code G} mapping noise vectors
 * {@code z ~ N(0, I)} of {@code noiseDim} values to samples, and a discriminator (or critic)
 * {@code D} giving one score (a logit) per sample, each with its own optimizer, in alternating steps.
 * Two objectives:
 * <ul>
 *   <li>{@link Loss#BCE}, the original GAN (Goodfellow et al. 2014, "Generative adversarial nets") with
 *       the non-saturating generator loss: {@code D} minimizes the binary cross entropy (with logits) of
 *       real samples labelled 1 and generated ones labelled 0; {@code G} minimizes
 *       {@code BCE(D(G(z)), 1) = -mean log sigmoid(D(G(z)))}. One discriminator step, then one
 *       generator step, per batch. Two options for the discriminator's targets, both off by default:
 *       one-sided label smoothing (Salimans et al. 2016, "Improved techniques for training GANs": real
 *       samples get the target {@code 1 - s}, generated ones keep 0) and label flipping (each sample's
 *       label is swapped with probability {@code p}, a trick of the DCGAN folklore).</li>
 *   <li>{@link Loss#WGAN_GP}, the Wasserstein GAN with gradient penalty (Gulrajani et al. 2017,
 *       "Improved training of Wasserstein GANs", algorithm 1): the critic minimizes
 *       {@code mean D(fake) - mean D(real) + lambda mean_i (|grad_x D(x_hat_i)|_2 - 1)^2} on random
 *       interpolates {@code x_hat = eps real + (1 - eps) fake}, {@code eps ~ U[0, 1]} per sample
 *       ({@link #criticLoss}); the generator minimizes {@code -mean D(G(z))}. {@code criticSteps}
 *       critic steps (default 5, each on its own batch of real samples) per generator step;
 *       {@code lambda} (default 10) is {@link Options#penaltyWeight}. The critic must not use batch
 *       normalization (the penalty is per sample); the paper uses layer normalization or none.</li>
 * </ul>
 *
 * <p>The training data is a tensor of real samples {@code (N, ...)} of the shape and type the
 * generator produces, in its output range (e.g. images scaled to [-1, 1] for a tanh output). Each epoch
 * shuffles it and visits {@code N / batchSize} full batches (the remainder is left out; a data set
 * smaller than a batch is one batch). All randomness (the shuffles, the noise, the interpolation weights,
 * the label flips) comes from one {@link Generator} seeded by {@link Options#seed}; its state is saved in
 * checkpoints, so a run resumed from a checkpoint ({@link #saveCheckpoint}, {@link #loadCheckpoint})
 * continues exactly as the uninterrupted run would have. A fixed batch of noise, drawn once at
 * construction and kept in checkpoints, gives comparable progress images ({@link #fixedSamples}).
 *
 * <p>Checkpoints are single safetensors files in the format of {@link Checkpoint} (readable with
 * {@link Checkpoint#read}), written atomically: tensors {@code generator.<name>},
 * {@code discriminator.<name>}, {@code generator_optimizer.<key>}, {@code discriminator_optimizer.<key>}
 * and {@code fixed_noise}; metadata {@code epoch}, {@code rng.gan} (the generator state),
 * {@code critic_steps_done} (the position in the critic/generator cycle), {@code history} and
 * {@code loss}.
 *
 * <p>Per epoch the {@link #history()} records {@code d_loss} and {@code g_loss} (the means over the
 * epoch's discriminator and generator steps), {@code d_real} and {@code d_fake} (the mean discriminator
 * output on real and generated samples: probabilities for BCE, critic scores for WGAN-GP) and, for
 * WGAN-GP, {@code penalty} (the mean gradient penalty, unweighted).
 */
public final class Gan {
    /** The adversarial objective. */
    public enum Loss {
        /** Binary cross entropy with logits, non-saturating generator loss (Goodfellow et al. 2014). */
        BCE,
        /** Wasserstein loss with gradient penalty (Gulrajani et al. 2017). */
        WGAN_GP;

        /**
         * Parses {@code bce} or {@code wgan-gp} (case-insensitive; {@code wgan_gp} too).
         *
         * @param s the name
         * @return the loss
         */
        public static Loss parse(String s) {
            String n = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            if (n.equals("bce")) {
                return BCE;
            }
            if (n.equals("wgan-gp")) {
                return WGAN_GP;
            }
            throw new IllegalArgumentException("Gan: unknown loss '" + s + "' (expected bce or wgan-gp)");
        }

        @Override
        public String toString() {
            return this == BCE ? "bce" : "wgan-gp";
        }
    }

    /** Training options; every setter returns this. */
    public static final class Options {
        Loss loss = Loss.BCE;
        int criticSteps = 5;
        double penaltyWeight = 10;
        double labelSmoothing;
        double labelFlip;
        int batchSize = 64;
        int fixedNoiseSize = 64;
        long seed = 1;
        Path checkpoint;

        /** The objective (default {@link Loss#BCE}). */
        public Options loss(Loss loss) {
            if (loss == null) {
                throw new IllegalArgumentException("Gan: loss must not be null");
            }
            this.loss = loss;
            return this;
        }

        /** WGAN-GP: critic steps per generator step, at least 1 (default 5). */
        public Options criticSteps(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Gan: critic steps per generator step must be at least 1, got " + n);
            }
            this.criticSteps = n;
            return this;
        }

        /** WGAN-GP: the weight lambda of the gradient penalty, at least 0 (default 10). */
        public Options penaltyWeight(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException(
                        "Gan: gradient penalty weight must be finite and at least 0, got " + lambda);
            }
            this.penaltyWeight = lambda;
            return this;
        }

        /** BCE: one-sided label smoothing s in [0, 1): real samples get the target 1 - s (default 0, off). */
        public Options labelSmoothing(double s) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("Gan: label smoothing must be in [0, 1), got " + s);
            }
            this.labelSmoothing = s;
            return this;
        }

        /** BCE: the probability in [0, 1) that a discriminator label is swapped (default 0, off). */
        public Options labelFlip(double p) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("Gan: label flip probability must be in [0, 1), got " + p);
            }
            this.labelFlip = p;
            return this;
        }

        /** Real samples per batch (and generated samples per step), at least 1 (default 64). */
        public Options batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("Gan: batch size must be at least 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /** The number of fixed noise vectors for progress samples, at least 1 (default 64). */
        public Options fixedNoiseSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Gan: fixed noise size must be at least 1, got " + n);
            }
            this.fixedNoiseSize = n;
            return this;
        }

        /** The seed of the random generator (default 1). */
        public Options seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A checkpoint file written (atomically) after every epoch, or null for none (default). */
        public Options checkpoint(Path path) {
            this.checkpoint = path;
            return this;
        }

        /** The objective. */
        public Loss loss() {
            return loss;
        }

        /** Critic steps per generator step. */
        public int criticSteps() {
            return criticSteps;
        }

        /** The gradient penalty's weight. */
        public double penaltyWeight() {
            return penaltyWeight;
        }

        /** The batch size. */
        public int batchSize() {
            return batchSize;
        }
    }

    /**
     * The WGAN-GP critic loss and its parts.
     *
     * @param loss {@code dFake - dReal + lambda penalty}, differentiable with respect to the critic's
     *     parameters (through the penalty's input gradient as well)
     * @param penalty {@code mean_i (|grad D(x_hat_i)|_2 - 1)^2}, unweighted
     * @param dReal {@code mean D(real)}
     * @param dFake {@code mean D(fake)}
     */
    public record CriticLoss(Variable loss, Variable penalty, Variable dReal, Variable dFake) {}

    /** Receives progress during {@link #fit}. */
    public interface Listener {
        /**
         * After every generator step.
         *
         * @param gan the trainer
         * @param step the generator step's index, counted from 0 over the whole run
         * @param dLoss the last discriminator loss
         * @param gLoss the generator loss
         */
        default void onGeneratorStep(Gan gan, long step, double dLoss, double gLoss) {}

        /**
         * After every epoch (and after its checkpoint, if any, is written).
         *
         * @param gan the trainer
         * @param epoch the epoch's index (0-based)
         * @param logs the epoch's values, as recorded in the history
         * @throws IOException when writing progress fails
         */
        default void onEpochEnd(Gan gan, int epoch, Map<String, Double> logs) throws IOException {}
    }

    private final Module generator;
    private final Module discriminator;
    private final Optimizer generatorOptimizer;
    private final Optimizer discriminatorOptimizer;
    private final int noiseDim;
    private final Options options;
    private final Generator rng;
    private final DType dtype;
    private final int[] sampleShape;
    private Tensor fixedNoise;
    private int epoch;
    private long criticStepsDone;
    private long generatorStepsDone;
    private History history = new History();

    /**
     * A GAN trainer. Checks, on two noise vectors with both networks in evaluation mode, that the
     * generator accepts noise {@code (N, noiseDim)} and that the discriminator accepts the generator's
     * samples and gives one score per sample; then draws the fixed noise.
     *
     * @param generator G, noise {@code (N, noiseDim)} to samples {@code (N, ...)}
     * @param discriminator D, samples to scores {@code (N)} or {@code (N, 1)} (logits)
     * @param noiseDim the length of the noise vectors, at least 1
     * @param generatorOptimizer the generator's optimizer (over the generator's parameters only)
     * @param discriminatorOptimizer the discriminator's optimizer (over the discriminator's parameters only)
     * @param options the training options
     * @throws IllegalArgumentException when an argument is null or invalid, the optimizers are shared or
     *     hold the other network's parameters, or the networks do not fit together
     */
    public Gan(
            Module generator,
            Module discriminator,
            int noiseDim,
            Optimizer generatorOptimizer,
            Optimizer discriminatorOptimizer,
            Options options) {
        if (generator == null
                || discriminator == null
                || generatorOptimizer == null
                || discriminatorOptimizer == null
                || options == null) {
            throw new IllegalArgumentException(
                    "Gan: generator, discriminator, their optimizers and the options must not be null");
        }
        if (noiseDim < 1) {
            throw new IllegalArgumentException("Gan: noise dimension must be at least 1, got " + noiseDim);
        }
        if (generator == discriminator) {
            throw new IllegalArgumentException("Gan: the generator and the discriminator must be different modules");
        }
        if (generatorOptimizer == discriminatorOptimizer) {
            throw new IllegalArgumentException("Gan: the generator and the discriminator need separate optimizers");
        }
        if (generator.parameters().isEmpty() || discriminator.parameters().isEmpty()) {
            throw new IllegalArgumentException("Gan: the generator and the discriminator must have parameters");
        }
        checkOwned(generatorOptimizer, generator, discriminator, "generator");
        checkOwned(discriminatorOptimizer, discriminator, generator, "discriminator");
        this.generator = generator;
        this.discriminator = discriminator;
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.noiseDim = noiseDim;
        this.options = options;
        this.dtype = generator.parameters().get(0).dtype();
        DType dd = discriminator.parameters().get(0).dtype();
        if (dd != dtype) {
            throw new IllegalArgumentException(
                    "Gan: the generator's parameters are " + dtype + " but the discriminator's are " + dd);
        }
        this.sampleShape = probe();
        this.rng = new Generator(options.seed);
        this.fixedNoise = Tensor.randn(rng, dtype, options.fixedNoiseSize, noiseDim);
    }

    private static void checkOwned(Optimizer opt, Module own, Module other, String what) {
        Set<Parameter> mine = identitySet(own.parameters());
        Set<Parameter> theirs = identitySet(other.parameters());
        for (ParamGroup g : opt.paramGroups()) {
            for (Parameter p : g.params()) {
                if (theirs.contains(p) && !mine.contains(p)) {
                    String otherName = what.equals("generator") ? "discriminator" : "generator";
                    throw new IllegalArgumentException("Gan: the " + what + "'s optimizer holds a parameter of the "
                            + otherName + " " + Shape.format(p.shape()) + "; give each network its own optimizer");
                }
                if (!mine.contains(p)) {
                    throw new IllegalArgumentException("Gan: the " + what + "'s optimizer holds a parameter "
                            + Shape.format(p.shape()) + " that is not the " + what + "'s");
                }
            }
        }
    }

    private static Set<Parameter> identitySet(List<Parameter> ps) {
        Set<Parameter> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(ps);
        return s;
    }

    /** Runs both networks on two noise vectors; returns the per-sample shape of the generator's output. */
    private int[] probe() {
        boolean gTrain = generator.isTraining();
        boolean dTrain = discriminator.isTraining();
        generator.eval();
        discriminator.eval();
        try (var off = Autograd.noGrad()) {
            Tensor z = Tensor.randn(new Generator(0), dtype, 2, noiseDim);
            Variable x;
            try {
                x = generator.forward(Variable.constant(z));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Gan: the generator does not accept noise (2, " + noiseDim + "): " + e.getMessage(), e);
            }
            if (x.dim() < 2 || x.size(0) != 2) {
                throw new IllegalArgumentException("Gan: the generator must give one sample per noise vector, got "
                        + Shape.format(x.shape()) + " for noise (2, " + noiseDim + ")");
            }
            Variable d;
            try {
                d = discriminator.forward(x);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Gan: the discriminator does not accept the generator's samples " + Shape.format(x.shape())
                                + " (mismatched sizes?): " + e.getMessage(),
                        e);
            }
            if (!((d.dim() == 1 && d.size(0) == 2) || (d.dim() == 2 && d.size(0) == 2 && d.size(1) == 1))) {
                throw new IllegalArgumentException(
                        "Gan: the discriminator must give one score per sample, (N) or (N, 1), got "
                                + Shape.format(d.shape()) + " for the generator's samples " + Shape.format(x.shape()));
            }
            return Arrays.copyOfRange(x.shape(), 1, x.dim());
        } finally {
            generator.train(gTrain);
            discriminator.train(dTrain);
        }
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** The generator. */
    public Module generator() {
        return generator;
    }

    /** The discriminator (critic). */
    public Module discriminator() {
        return discriminator;
    }

    /** The generator's optimizer. */
    public Optimizer generatorOptimizer() {
        return generatorOptimizer;
    }

    /** The discriminator's optimizer. */
    public Optimizer discriminatorOptimizer() {
        return discriminatorOptimizer;
    }

    /** The options. */
    public Options options() {
        return options;
    }

    /** The length of the noise vectors. */
    public int noiseDim() {
        return noiseDim;
    }

    /** The shape of one generated sample (without the batch dimension). */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** The number of completed epochs (the next epoch's index). */
    public int epoch() {
        return epoch;
    }

    /** The per-epoch history so far. */
    public History history() {
        return history;
    }

    /** The random generator of training (shuffles, noise, interpolation weights, label flips). */
    public Generator randomGenerator() {
        return rng;
    }

    /** The fixed noise batch {@code (fixedNoiseSize, noiseDim)} (a copy). */
    public Tensor fixedNoise() {
        return fixedNoise.clone();
    }

    // ------------------------------------------------------------------------------------------ sampling

    /**
     * Standard normal noise {@code (n, noiseDim)} drawn from the training generator.
     *
     * @param n the number of vectors, at least 1
     * @return the noise
     */
    public Tensor noise(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Gan.noise: need at least 1 vector, got " + n);
        }
        return Tensor.randn(rng, dtype, n, noiseDim);
    }

    /**
     * The generator's samples for given noise, in evaluation mode (batch norm uses its running
     * statistics), without recording; the generator's mode is restored afterwards.
     *
     * @param z noise {@code (n, noiseDim)}
     * @return the samples {@code (n, ...)}
     */
    public Tensor generate(Tensor z) {
        checkNoise("generate", z);
        boolean was = generator.isTraining();
        generator.eval();
        try (var off = Autograd.noGrad()) {
            return generator.forward(Variable.constant(z)).data();
        } finally {
            generator.train(was);
        }
    }

    /**
     * {@code n} samples from fresh noise drawn from {@code g} (evaluation mode, see {@link #generate}).
     *
     * @param n the number of samples
     * @param g the random generator of the noise
     * @return the samples
     */
    public Tensor sample(int n, Generator g) {
        if (n < 1) {
            throw new IllegalArgumentException("Gan.sample: need at least 1 sample, got " + n);
        }
        return generate(Tensor.randn(g, dtype, n, noiseDim));
    }

    /** The generator's samples for the fixed noise (see {@link #generate}). */
    public Tensor fixedSamples() {
        return generate(fixedNoise);
    }

    private void checkNoise(String op, Tensor z) {
        if (z.dim() != 2 || z.size(1) != noiseDim) {
            throw new IllegalArgumentException(
                    "Gan." + op + ": expected noise (N, " + noiseDim + "), got " + Shape.format(z.shape()));
        }
    }

    private void checkSamples(String op, String what, Tensor x) {
        int[] s = x.shape();
        if (s.length != sampleShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), sampleShape)) {
            throw new IllegalArgumentException("Gan." + op + ": " + what + " are " + Shape.format(s)
                    + " but the generator makes "
                    + "samples " + Shape.format(sampleShape) + " (expected (N" + (sampleShape.length == 0 ? "" : ", ")
                    + Shape.format(sampleShape).replaceAll("[()]", "") + "))");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("Gan." + op + ": " + what + " are " + x.dtype()
                    + " but the networks are " + dtype + "; convert with to(DType)");
        }
    }

    // ------------------------------------------------------------------------------------------ losses

    /** The discriminator's scores as (N). */
    private Variable scores(Variable x) {
        Variable d = discriminator.forward(x);
        return d.dim() == 1 ? d : d.reshape(d.size(0));
    }

    /**
     * The WGAN-GP critic loss for given real and generated samples and interpolation weights
     * (Gulrajani et al. 2017, algorithm 1, lines 4 to 8, averaged over the batch):
     * {@code mean D(fake) - mean D(real) + lambda mean_i (|grad_x D(x_hat_i)|_2 - 1)^2} with
     * {@code x_hat = eps real + (1 - eps) fake}. The penalty's input gradient is computed with
     * {@code createGraph}, so {@code loss.backward()} reaches the critic's parameters through it.
     *
     * @param real real samples {@code (N, ...)}
     * @param fake generated samples, same shape (treated as constants)
     * @param eps interpolation weights in [0, 1], {@code (N)} or {@code (N, 1, ..., 1)}
     * @return the loss and its parts
     */
    public CriticLoss criticLoss(Tensor real, Tensor fake, Tensor eps) {
        checkSamples("criticLoss", "real samples", real);
        checkSamples("criticLoss", "generated samples", fake);
        if (real.size(0) != fake.size(0)) {
            throw new IllegalArgumentException(
                    "Gan.criticLoss: " + real.size(0) + " real but " + fake.size(0) + " generated samples");
        }
        int n = real.size(0);
        if (eps.numel() != n || (eps.dim() > 0 && eps.size(0) != n)) {
            throw new IllegalArgumentException("Gan.criticLoss: expected one interpolation weight per sample, (" + n
                    + "), got " + Shape.format(eps.shape()));
        }
        int[] es = new int[real.dim()];
        Arrays.fill(es, 1);
        es[0] = n;
        Tensor e = eps.to(dtype).reshape(es);
        Variable dReal = scores(Variable.constant(real)).mean();
        Variable dFake = scores(Variable.constant(fake)).mean();
        Variable xHat = new Variable(e.mul(real).add(e.rsub(1).mul(fake)), true);
        Variable gx = Autograd.grad(scores(xHat).sum(), List.of(xHat), true).get(0);
        Variable penalty =
                gx.flatten(1, -1).norm(2, new int[] {1}, false).sub(1).square().mean();
        Variable loss = dFake.sub(dReal).add(penalty.mul(options.penaltyWeight));
        return new CriticLoss(loss, penalty, dReal, dFake);
    }

    /**
     * The BCE discriminator loss: {@code BCE(D(real), realTarget) + BCE(D(fake), fakeTarget)}, each the
     * mean binary cross entropy with logits over its batch (the sum of the two halves, as in PyTorch's
     * DCGAN example).
     *
     * @param real real samples {@code (N, ...)}
     * @param fake generated samples {@code (M, ...)} (treated as constants)
     * @param realTarget targets for the real samples {@code (N)} (1, or 1 - s with label smoothing)
     * @param fakeTarget targets for the generated samples {@code (M)} (0)
     * @return the loss
     */
    public Variable discriminatorLoss(Tensor real, Tensor fake, Tensor realTarget, Tensor fakeTarget) {
        return discriminatorParts(real, fake, realTarget, fakeTarget)[0];
    }

    /** [loss, D(real) logits, D(fake) logits]. */
    private Variable[] discriminatorParts(Tensor real, Tensor fake, Tensor realTarget, Tensor fakeTarget) {
        checkSamples("discriminatorLoss", "real samples", real);
        checkSamples("discriminatorLoss", "generated samples", fake);
        if (realTarget.numel() != real.size(0) || fakeTarget.numel() != fake.size(0)) {
            throw new IllegalArgumentException("Gan.discriminatorLoss: expected one target per sample, got "
                    + Shape.format(realTarget.shape()) + " for " + real.size(0) + " real and "
                    + Shape.format(fakeTarget.shape())
                    + " for " + fake.size(0) + " generated samples");
        }
        Variable lr = scores(Variable.constant(real));
        Variable lf = scores(Variable.constant(fake));
        Variable loss = Losses.bceWithLogits(
                        lr, Variable.constant(realTarget.to(dtype).reshape(real.size(0))))
                .add(Losses.bceWithLogits(
                        lf, Variable.constant(fakeTarget.to(dtype).reshape(fake.size(0)))));
        return new Variable[] {loss, lr, lf};
    }

    /**
     * The generator loss for noise {@code z}: {@code BCE(D(G(z)), 1)} (non-saturating) for
     * {@link Loss#BCE}, {@code -mean D(G(z))} for {@link Loss#WGAN_GP}. The generator runs in its current
     * mode (training mode during {@link #fit}).
     *
     * @param z noise {@code (N, noiseDim)}
     * @return the loss, differentiable with respect to both networks' parameters
     */
    public Variable generatorLoss(Tensor z) {
        checkNoise("generatorLoss", z);
        Variable d = scores(generator.forward(Variable.constant(z)));
        if (options.loss == Loss.WGAN_GP) {
            return d.mean().neg();
        }
        return Losses.bceWithLogits(d, Variable.constant(Tensor.ones(dtype, z.size(0))));
    }

    /** Generated samples for a discriminator step: the generator in its current mode, not recorded. */
    private Tensor fakes(int n) {
        Tensor z = noise(n);
        try (var off = Autograd.noGrad()) {
            return generator.forward(Variable.constant(z)).data();
        }
    }

    // ------------------------------------------------------------------------------------------ training

    /**
     * One training step on a batch of real samples: a discriminator (critic) step and, for BCE or when
     * {@code criticSteps} critic steps have been made since the last one, a generator step. Both
     * networks are put in training mode.
     *
     * @param real real samples {@code (B, ...)}
     * @return {@code d_loss}, {@code d_real}, {@code d_fake}, {@code penalty} (WGAN-GP) and, when a
     *     generator step was made, {@code g_loss}
     */
    public Map<String, Double> step(Tensor real) {
        checkSamples("step", "real samples", real);
        generator.train();
        discriminator.train();
        int b = real.size(0);
        Map<String, Double> logs = new LinkedHashMap<>();
        Tensor fake = fakes(b);
        discriminatorOptimizer.zeroGrad();
        if (options.loss == Loss.WGAN_GP) {
            Tensor eps = Tensor.rand(rng, dtype, b);
            CriticLoss c = criticLoss(real, fake, eps);
            c.loss().backward();
            logs.put("d_loss", c.loss().item());
            logs.put("d_real", c.dReal().item());
            logs.put("d_fake", c.dFake().item());
            logs.put("penalty", c.penalty().item());
        } else {
            double realLabel = 1 - options.labelSmoothing;
            Tensor rt = Tensor.full(dtype, realLabel, b);
            Tensor ft = Tensor.zeros(dtype, b);
            if (options.labelFlip > 0) {
                // swap a sample's label with probability p: real ones become 0, generated ones "real"
                Tensor fr = Tensor.rand(rng, dtype, b)
                        .lt(Tensor.full(dtype, options.labelFlip, b))
                        .to(dtype);
                Tensor ff = Tensor.rand(rng, dtype, b)
                        .lt(Tensor.full(dtype, options.labelFlip, b))
                        .to(dtype);
                rt = rt.mul(fr.rsub(1));
                ft = ff.mul(realLabel);
            }
            Variable[] parts = discriminatorParts(real, fake, rt, ft);
            parts[0].backward();
            logs.put("d_loss", parts[0].item());
            logs.put("d_real", parts[1].data().sigmoid().mean().item());
            logs.put("d_fake", parts[2].data().sigmoid().mean().item());
        }
        discriminatorOptimizer.step();
        criticStepsDone++;
        int every = options.loss == Loss.WGAN_GP ? options.criticSteps : 1;
        if (criticStepsDone % every == 0) {
            generatorOptimizer.zeroGrad();
            Variable gl = generatorLoss(noise(b));
            gl.backward();
            generatorOptimizer.step();
            // the generator step also left gradients in the discriminator; they are cleared before its next step
            logs.put("g_loss", gl.item());
            generatorStepsDone++;
        }
        return logs;
    }

    /**
     * Trains until {@code epochs} epochs are complete (continuing from {@link #epoch()}, e.g. after
     * {@link #loadCheckpoint}).
     *
     * @param data real samples {@code (N, ...)} of the generator's sample shape and type
     * @param epochs the total number of epochs, at least 1
     * @return the history
     * @throws IOException when a checkpoint cannot be written
     */
    public History fit(Tensor data, int epochs) throws IOException {
        return fit(data, epochs, null);
    }

    /**
     * Trains until {@code epochs} epochs are complete (continuing from {@link #epoch()}, e.g. after
     * {@link #loadCheckpoint}); after each epoch records its history row, writes the checkpoint
     * ({@link Options#checkpoint}, if set) and calls the listener.
     *
     * @param data real samples {@code (N, ...)} of the generator's sample shape and type
     * @param epochs the total number of epochs, at least 1
     * @param listener receives progress, or null
     * @return the history
     * @throws IOException when a checkpoint cannot be written or the listener fails
     */
    public History fit(Tensor data, int epochs, Listener listener) throws IOException {
        if (epochs < 1) {
            throw new IllegalArgumentException("Gan.fit: epochs must be at least 1, got " + epochs);
        }
        if (data == null) {
            throw new IllegalArgumentException("Gan.fit: data must not be null");
        }
        checkSamples("fit", "training samples", data);
        int n = data.size(0);
        if (n < 1) {
            throw new IllegalArgumentException("Gan.fit: no training samples");
        }
        int b = Math.min(options.batchSize, n);
        int batches = n / b;
        while (epoch < epochs) {
            Tensor perm = Tensor.randperm(rng, n);
            double dSum = 0;
            double gSum = 0;
            double realSum = 0;
            double fakeSum = 0;
            double penSum = 0;
            int dCount = 0;
            int gCount = 0;
            for (int i = 0; i < batches; i++) {
                Tensor batch = data.indexSelect(0, perm.narrow(0, i * b, b));
                Map<String, Double> s = step(batch);
                dSum += s.get("d_loss");
                realSum += s.get("d_real");
                fakeSum += s.get("d_fake");
                penSum += s.getOrDefault("penalty", 0.0);
                dCount++;
                if (s.containsKey("g_loss")) {
                    gSum += s.get("g_loss");
                    gCount++;
                    if (listener != null) {
                        listener.onGeneratorStep(this, generatorStepsDone - 1, s.get("d_loss"), s.get("g_loss"));
                    }
                }
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("d_loss", dSum / dCount);
            logs.put("g_loss", gCount == 0 ? Double.NaN : gSum / gCount);
            logs.put("d_real", realSum / dCount);
            logs.put("d_fake", fakeSum / dCount);
            if (options.loss == Loss.WGAN_GP) {
                logs.put("penalty", penSum / dCount);
            }
            history.append(epoch, logs);
            epoch++;
            if (options.checkpoint != null) {
                saveCheckpoint(options.checkpoint);
            }
            if (listener != null) {
                listener.onEpochEnd(this, epoch - 1, logs);
            }
        }
        return history;
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    /**
     * Writes a checkpoint of the whole training state (both networks, both optimizers, the epoch, the
     * random generator's state, the fixed noise, the history), atomically.
     *
     * @param path the file
     * @throws IOException when writing fails; an existing file is then left untouched
     */
    public void saveCheckpoint(Path path) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        put(tensors, "generator.", generator.stateDict());
        put(tensors, "discriminator.", discriminator.stateDict());
        put(tensors, "generator_optimizer.", generatorOptimizer.stateDict());
        put(tensors, "discriminator_optimizer.", discriminatorOptimizer.stateDict());
        tensors.put("fixed_noise", fixedNoise);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", Checkpoint.FORMAT);
        meta.put("version", "1");
        meta.put("kind", "gan");
        meta.put("epoch", String.valueOf(epoch));
        meta.put("rng.gan", formatState(rng.getState()));
        meta.put("critic_steps_done", String.valueOf(criticStepsDone));
        meta.put("generator_steps_done", String.valueOf(generatorStepsDone));
        meta.put("loss", options.loss.toString());
        meta.put("noise_dim", String.valueOf(noiseDim));
        meta.put("generator_class", generator.typeName());
        meta.put("discriminator_class", discriminator.typeName());
        meta.put("history", history.toCsv());
        SafeTensors.write(path, tensors, meta);
    }

    private static void put(Map<String, Tensor> out, String prefix, Map<String, Tensor> in) {
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
    }

    private static String formatState(long[] state) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < state.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(state[i]);
        }
        return sb.toString();
    }

    /**
     * Restores the whole training state from a checkpoint written by {@link #saveCheckpoint} for networks
     * of the same architecture and the same loss; {@link #fit} then continues with the next epoch.
     *
     * @param path the checkpoint
     * @throws IOException when the file cannot be read or is not a GAN checkpoint
     * @throws IllegalArgumentException when it was written for another loss or noise size, or its states do
     *     not fit the networks
     */
    public void loadCheckpoint(Path path) throws IOException {
        Checkpoint cp = Checkpoint.read(path);
        Map<String, String> meta = cp.metadata();
        if (!"gan".equals(meta.get("kind"))) {
            throw new IOException(path + ": not a GAN checkpoint (a Trainer checkpoint?)");
        }
        if (!options.loss.toString().equals(meta.get("loss"))) {
            throw new IllegalArgumentException("Gan.loadCheckpoint: " + path + " was written for loss "
                    + meta.get("loss") + ", this trainer uses " + options.loss);
        }
        if (!String.valueOf(noiseDim).equals(meta.get("noise_dim"))) {
            throw new IllegalArgumentException("Gan.loadCheckpoint: " + path + " has noise dimension "
                    + meta.get("noise_dim") + ", this trainer " + noiseDim);
        }
        long[] state = cp.generatorState("gan");
        if (state == null) {
            throw new IOException(path + ": checkpoint lacks the random generator state rng.gan");
        }
        Tensor fn = cp.tensors().get("fixed_noise");
        if (fn == null) {
            throw new IOException(path + ": checkpoint lacks fixed_noise");
        }
        generator.loadStateDict(cp.section("generator."));
        discriminator.loadStateDict(cp.section("discriminator."));
        generatorOptimizer.loadStateDict(cp.section("generator_optimizer."));
        discriminatorOptimizer.loadStateDict(cp.section("discriminator_optimizer."));
        rng.setState(state);
        fixedNoise = fn.to(dtype);
        epoch = cp.epoch();
        criticStepsDone = Long.parseLong(meta.getOrDefault("critic_steps_done", "0"));
        generatorStepsDone = Long.parseLong(meta.getOrDefault("generator_steps_done", "0"));
        history = cp.history();
        history.truncate(epoch);
    }
}
