package io.jgrad.core;

/**
 * An explicit, seedable random number generator (SplitMix64), so that a run can be repeated bit for
 * bit. All random tensor creation takes a generator; {@link #global()} is the default one, reseeded
 * with {@link #manualSeed(long)}.
 *
 * <p>The whole state is one {@code long} plus a cached normal deviate: {@link #getState()} and
 * {@link #setState(long[])} save and restore it (checkpoints, replaying the same dropout masks).
 * A generator is not thread-safe; give each thread its own.
 */
public final class Generator {
    /** The seed of the global generator when the program starts. */
    public static final long INITIAL_SEED = 0x5eed;

    private static final Generator GLOBAL = new Generator(INITIAL_SEED);

    private long state;
    private boolean haveSpare;
    private double spare;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeedThis(seed);
    }

    /** The process-wide default generator. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Reseeds the global generator. */
    public static void manualSeed(long seed) {
        GLOBAL.manualSeedThis(seed);
    }

    /** Reseeds this generator. */
    public Generator manualSeedThis(long seed) {
        this.state = seed;
        this.haveSpare = false;
        this.spare = 0;
        return this;
    }

    /** The state as a small array: {@code [state, haveSpare, doubleBits(spare)]}. */
    public long[] getState() {
        return new long[] {state, haveSpare ? 1 : 0, Double.doubleToRawLongBits(spare)};
    }

    /** Restores a state returned by {@link #getState()}. */
    public void setState(long[] s) {
        if (s == null || s.length != 3) {
            throw new IllegalArgumentException(
                    "Generator.setState: expected 3 longs, got " + (s == null ? "null" : String.valueOf(s.length)));
        }
        state = s[0];
        haveSpare = s[1] != 0;
        spare = Double.longBitsToDouble(s[2]);
    }

    /** A copy with the same state. */
    public Generator copy() {
        Generator g = new Generator(0);
        g.setState(getState());
        return g;
    }

    /** Next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Generator.nextInt: bound must be positive, got " + bound);
        }
        long r = nextLong() >>> 33; // 31 bits
        long m = r * bound;
        int l = (int) (m & 0x7FFFFFFFL);
        if (l < bound) {
            int t = (int) ((0x80000000L - bound) % bound);
            while (l < t) {
                r = nextLong() >>> 33;
                m = r * bound;
                l = (int) (m & 0x7FFFFFFFL);
            }
        }
        return (int) (m >>> 31);
    }

    /** Standard normal deviate (Marsaglia polar method). */
    public double nextGaussian() {
        if (haveSpare) {
            haveSpare = false;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double mul = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * mul;
        haveSpare = true;
        return u * mul;
    }
}
