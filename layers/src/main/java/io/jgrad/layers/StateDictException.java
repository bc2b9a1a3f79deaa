package io.jgrad.layers;

/**
 * Thrown by a strict {@link Module#loadStateDict(java.util.Map, boolean)} when the keys do not match;
 * the model is left unchanged. The message lists the missing, unexpected and mis-shaped keys.
 */
public final class StateDictException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient LoadResult result;

    StateDictException(String message, LoadResult result) {
        super(message);
        this.result = result;
    }

    /**
     * The keys that did not match.
     *
     * @return the result of the comparison
     */
    public LoadResult result() {
        return result;
    }
}
