package io.jgrad.core.io;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}, e.g. code that writes a file's content to a stream.
 *
 * @param <T> the type of the consumed value
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /**
     * Consumes {@code value}.
     *
     * @param value the value
     * @throws IOException when an I/O operation fails
     */
    void accept(T value) throws IOException;
}
