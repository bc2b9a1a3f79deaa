package io.jgrad.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file (IDX, CSV) whose content does not follow its format; the message names the file and the problem. */
public class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A format error.
     *
     * @param file the file, or null
     * @param message what is wrong
     */
    public MalformedDataException(Path file, String message) {
        super((file == null ? "" : file + ": ") + message);
    }

    /**
     * A format error with a cause.
     *
     * @param file the file, or null
     * @param message what is wrong
     * @param cause the underlying error
     */
    public MalformedDataException(Path file, String message, Throwable cause) {
        super((file == null ? "" : file + ": ") + message, cause);
    }
}
