package io.jgrad.examples;

/** An invalid combination of options: the launcher prints the message and exits with code 2, without a stack trace. */
final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
