package io.jgrad.models.neat;

import java.util.Locale;

/**
 * The activation function of a computed node (hidden or output) of a {@link Genome}. Plain NEAT (Stanley and
 * Miikkulainen 2002) uses {@link #SIGMOID} everywhere, the default of every node. The other functions serve
 * compositional pattern producing networks (CPPNs, Stanley 2007, "Compositional pattern producing networks: a
 * novel abstraction of development"), whose nodes draw from a set of functions so that a network of a few
 * nodes paints symmetric ({@link #GAUSSIAN}, {@link #ABS}), repeating ({@link #SINE}) and graded patterns over
 * its coordinate inputs; HyperNEAT (Stanley, D'Ambrosio and Gauci 2009) reads connection weights off such
 * patterns. None is a step function, so every pattern varies smoothly with the coordinates.
 */
public enum Activation {
    /** The steepened sigmoid of the NEAT paper, {@code 1 / (1 + exp(-4.9 x))}, in (0, 1). */
    SIGMOID("sig"),
    /** The hyperbolic tangent, in (-1, 1). */
    TANH("tanh"),
    /** {@code sin(x)}, in [-1, 1]: repetition. */
    SINE("sin"),
    /** {@code exp(-x^2)}, in (0, 1]: symmetry about 0. */
    GAUSSIAN("gauss"),
    /** The identity. */
    LINEAR("lin"),
    /** {@code |x|}: symmetry about 0. */
    ABS("abs");

    private final String shortName;

    Activation(String shortName) {
        this.shortName = shortName;
    }

    /** The function's value at {@code x}. */
    public double apply(double x) {
        return switch (this) {
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-Network.SLOPE * x));
            case TANH -> Math.tanh(x);
            case SINE -> Math.sin(x);
            case GAUSSIAN -> Math.exp(-x * x);
            case LINEAR -> x;
            case ABS -> Math.abs(x);
        };
    }

    /** A short label for pictures ({@code sig}, {@code tanh}, {@code sin}, {@code gauss}, {@code lin}, {@code abs}). */
    public String shortName() {
        return shortName;
    }

    /** The lower-case name used in genome files ({@code "sigmoid"}, {@code "sine"}, ...). */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The activation named {@code name}: its lower- or upper-case enum name ({@code "sine"}, {@code "GAUSSIAN"})
     * or its short name ({@code "sin"}, {@code "gauss"}).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Activation parse(String name) {
        if (name != null) {
            for (Activation a : values()) {
                if (a.name().equalsIgnoreCase(name) || a.shortName.equalsIgnoreCase(name)) {
                    return a;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (Activation a : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.jsonName());
        }
        throw new IllegalArgumentException("Activation: unknown activation '" + name + "' (known: " + known + ")");
    }
}
