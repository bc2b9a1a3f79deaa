package io.jgrad.core;

/**
 * Library-wide settings. {@link #manualSeed(long)} seeds everything random a run touches, as
 * {@code torch.manual_seed} does: the global generator (weight initialization and any random tensor
 * created without an explicit generator) and the default seeds of the training tools that have their
 * own generators (a {@code Trainer}'s generator for dropout, a {@code FitOptions}' loader generator for
 * shuffling and augmentation), for the objects created after the call. The finer controls
 * ({@link Generator#manualSeed(long)}, {@code Trainer.Builder.seed}, {@code FitOptions.seed}) still
 * override it.
 *
 * <pre>{@code
 * Jgrad.manualSeed(42);                 // before building the model and the trainer
 * Sequential model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters())).build();
 * trainer.fit(train, new FitOptions().epochs(5));   // the same bits on every run with 42
 * }</pre>
 */
public final class Jgrad {
    private static volatile boolean seeded;
    private static volatile long seed;

    private Jgrad() {}

    /**
     * Seeds the global generator and the default seeds of the training tools created from now on.
     *
     * @param s the seed
     */
    public static void manualSeed(long s) {
        seed = s;
        seeded = true;
        Generator.manualSeed(s);
    }

    /**
     * Forgets {@link #manualSeed(long)}: the training tools' default seeds go back to 0 and the global
     * generator to its initial seed (for example between tests that share a JVM).
     */
    public static void clearManualSeed() {
        seeded = false;
        seed = 0;
        Generator.manualSeed(Generator.INITIAL_SEED);
    }

    /**
     * The default seed of a random stream of the training tools: 0 (their historical default) until
     * {@link #manualSeed(long)} is called, then a value derived from that seed and {@code stream}, so
     * that different tools draw different streams.
     *
     * @param stream a number identifying the stream (1: a trainer's generator, 2: a fit's loader)
     * @return the seed
     */
    public static long defaultSeed(int stream) {
        if (!seeded) {
            return 0;
        }
        // SplitMix64's finalizer over (seed, stream): well-mixed, distinct streams
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
