package io.jgrad.core.io;

import java.io.IOException;

/**
 * A tensor file that cannot be read: truncated, not in the expected format, with an inconsistent
 * header, or holding a type jgrad does not load. The message names the file and the problem, e.g.
 * {@code model.safetensors: tensor 'w' data_offsets [0, 40) do not match dtype F32 and shape (3, 4) (48 bytes)}.
 */
public class TensorFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param file the file (or stream) name used in the message
     * @param problem what is wrong, without the file name
     */
    public TensorFormatException(String file, String problem) {
        this(file, problem, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param file the file (or stream) name used in the message
     * @param problem what is wrong, without the file name
     * @param cause the lower-level error, or null
     */
    public TensorFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (or stream) name given to the reader. */
    public String file() {
        return file;
    }

    /** The problem, without the file name. */
    public String problem() {
        return problem;
    }
}
