package io.jgrad.train;

import io.jgrad.core.Tensor;
import io.jgrad.layers.Linear;
import io.jgrad.optim.SGD;
import java.nio.file.Path;

/**
 * Saves checkpoints of an 8 MB model to one file in a loop, stamping every weight with the save's
 * number and printing {@code saving <k>} before and {@code saved <k>} after each; {@link CheckpointKillTest} kills it mid-loop.
 */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {}

    /**
     * Runs until killed.
     *
     * @param args the checkpoint file
     * @throws Exception when saving fails
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Linear big = new Linear(1000, 2000);
        Trainer t = Trainer.builder(big, (o, y) -> o.sum(), new SGD(big.parameters(), 0.1))
                .build();
        for (int k = 1; ; k++) {
            for (Tensor w : big.stateDict().values()) {
                w.fill_(k);
            }
            // announce the save first: the parent kills on this line, so most kills land mid-write
            System.out.println("saving " + k);
            System.out.flush();
            t.saveCheckpoint(file);
            System.out.println("saved " + k);
            System.out.flush();
        }
    }
}
