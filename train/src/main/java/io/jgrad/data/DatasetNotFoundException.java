package io.jgrad.data;

/**
 * Thrown by {@link DataPaths#find} when a data set is in none of the places searched; the message
 * lists those places and says how to get the files.
 */
public class DatasetNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A data set that was not found.
     *
     * @param message where it was searched and how to get it
     */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
