package io.jgrad.autograd;

/**
 * Thrown in anomaly mode ({@link Autograd#detectAnomaly()}) by the first operation whose output,
 * forward or backward, holds NaN or infinity. The message names the operation and the place in user
 * code that created it.
 */
public class AnomalyException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public AnomalyException(String message) {
        super(message);
    }
}
