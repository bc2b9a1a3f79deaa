package io.jgrad.train;

import java.io.PrintStream;
import java.util.Map;

/** Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN}. */
public final class TerminateOnNaN implements Callback {
    private final PrintStream out;
    private int badBatch = -1;

    /** Reports on standard error. */
    public TerminateOnNaN() {
        this(System.err);
    }

    /**
     * Reports on the given stream.
     *
     * @param out where to say why training stopped (null for silence)
     */
    public TerminateOnNaN(PrintStream out) {
        this.out = out;
    }

    /**
     * The batch whose loss was not finite.
     *
     * @return its index in its epoch, -1 if none
     */
    public int badBatch() {
        return badBatch;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int batch, Map<String, Double> logs) {
        Double l = logs.get("batch_loss");
        if (l != null && !Double.isFinite(l)) {
            badBatch = batch;
            if (out != null) {
                out.println("TerminateOnNaN: epoch " + (trainer.epoch() + 1) + ", batch " + batch + ": loss is " + l
                        + ", stopping training");
            }
            trainer.stopTraining();
        }
    }
}
