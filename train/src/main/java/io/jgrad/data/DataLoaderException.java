package io.jgrad.data;

/**
 * Thrown by a {@link DataLoader}'s iterator when preparing a batch failed; the cause is the original
 * exception, thrown by the dataset or a transform (possibly on the loader's background thread).
 */
public class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its cause.
     *
     * @param message what was being prepared
     * @param cause the original exception
     */
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
