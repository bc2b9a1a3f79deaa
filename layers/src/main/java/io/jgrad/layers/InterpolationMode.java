package io.jgrad.layers;

/**
 * The interpolation of {@link Functional#interpolate} and {@link Upsample}, named as PyTorch's
 * {@code mode} strings.
 */
public enum InterpolationMode {
    /** {@code "nearest"}: source index {@code floor(dst * scale)} (PyTorch's legacy rule). */
    NEAREST("nearest"),
    /** {@code "nearest-exact"}: source index {@code floor((dst + 0.5) * scale)}. */
    NEAREST_EXACT("nearest-exact"),
    /** {@code "linear"}: linear interpolation of a 3-D input (N, C, L). */
    LINEAR("linear"),
    /** {@code "bilinear"}: bilinear interpolation of a 4-D input (N, C, H, W). */
    BILINEAR("bilinear");

    private final String torchName;

    InterpolationMode(String torchName) {
        this.torchName = torchName;
    }

    /**
     * PyTorch's name of the mode.
     *
     * @return e.g. {@code "bilinear"}
     */
    public String torchName() {
        return torchName;
    }

    /** Whether the mode interpolates linearly (and so accepts {@code alignCorners}). */
    boolean isLinear() {
        return this == LINEAR || this == BILINEAR;
    }
}
