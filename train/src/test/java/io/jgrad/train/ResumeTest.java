package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import io.jgrad.data.DataLoader;
import io.jgrad.data.GaussianNoise;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted after some epochs and resumed from its checkpoint ends exactly where the
 * uninterrupted run ends: same history (losses, metrics, learning rates), same weights.
 */
class ResumeTest {
    @TempDir
    Path tmp;

    private static final int EPOCHS = 6;

    /** A model with dropout, Adam, a shuffled loader, plateau reductions, early stopping state. */
    private static Trainer trainer(Sequential model) {
        return Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.01))
                .metrics(Metric.accuracy(), Metric.rocAuc())
                .seed(21)
                .build();
    }

    private FitOptions options(int epochs, Path dir) {
        return new FitOptions()
                .epochs(epochs)
                .batchSize(16)
                .seed(22)
                .validationSplit(0.2)
                .verbose(false)
                .callbacks(
                        new EarlyStopping("val_loss").patience(100).restoreBestWeights(false),
                        new ReduceLROnPlateauCallback("loss")
                                .patience(0)
                                .factor(0.7)
                                .threshold(0.3),
                        new ModelCheckpoint(dir.resolve("ckpt-{epoch}.safetensors")),
                        new CSVLogger(dir.resolve("log.csv")));
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        TensorDataset data = Fixtures.blobs(20);
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));

        Sequential full = Fixtures.mlp(23);
        History expected = trainer(full).fit(data, options(EPOCHS, a));
        assertTrue(
                expected.get("lr").stream().distinct().count() > 1,
                "the plateau schedule acted: " + expected.get("lr"));

        // the interrupted run: stops after 3 epochs
        Sequential first = Fixtures.mlp(23);
        trainer(first).fit(data, options(3, b));
        Path ckpt = b.resolve("ckpt-3.safetensors");
        Checkpoint cp = Checkpoint.read(ckpt);
        assertEquals(3, cp.epoch());
        assertEquals(3, cp.history().size());

        // resumed in a "new process": a model with other weights, a fresh optimizer and trainer
        Sequential resumed = Fixtures.mlp(999);
        History h = trainer(resumed).fit(data, options(EPOCHS, b).resumeFrom(ckpt));
        assertEquals(expected.toCsv(), h.toCsv(), "identical history, bit for bit");
        assertTrue(Fixtures.sameState(Fixtures.snapshot(full), Fixtures.snapshot(resumed)), "identical weights");
        // the CSV log of the resumed run holds the whole run
        assertEquals(Files.readString(a.resolve("log.csv")), Files.readString(b.resolve("log.csv")));
        // and so do the final checkpoints
        Checkpoint endA = Checkpoint.read(a.resolve("ckpt-" + EPOCHS + ".safetensors"));
        Checkpoint endB = Checkpoint.read(b.resolve("ckpt-" + EPOCHS + ".safetensors"));
        assertEquals(endA.metadata(), endB.metadata());
        for (Map.Entry<String, Tensor> e : endA.tensors().entrySet()) {
            assertTrue(e.getValue().equal(endB.tensors().get(e.getKey())), e.getKey());
        }
    }

    @Test
    void resumeWithAugmentingLoaders() throws IOException {
        TensorDataset data = Fixtures.blobs(24);
        TensorDataset val = Fixtures.blobs(25);
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        // noise on the training and validation inputs: both loaders' generators must be restored
        java.util.function.Supplier<DataLoader> train = () -> DataLoader.builder(data)
                .batchSize(20)
                .shuffle(true)
                .seed(26)
                .inputTransform(new GaussianNoise(0.3))
                .build();
        java.util.function.Supplier<DataLoader> valid = () -> DataLoader.builder(val)
                .batchSize(50)
                .seed(27)
                .inputTransform(new GaussianNoise(0.3))
                .build();

        Sequential full = Fixtures.mlp(28);
        History expected = trainer(full)
                .fit(
                        train.get(),
                        new FitOptions()
                                .epochs(4)
                                .validationData(valid.get())
                                .verbose(false)
                                .callbacks(new ModelCheckpoint(a.resolve("c.safetensors"))));
        Sequential first = Fixtures.mlp(28);
        trainer(first)
                .fit(
                        train.get(),
                        new FitOptions()
                                .epochs(2)
                                .validationData(valid.get())
                                .verbose(false)
                                .callbacks(new ModelCheckpoint(b.resolve("c.safetensors"))));
        Sequential resumed = Fixtures.mlp(7);
        History h = trainer(resumed)
                .fit(
                        train.get(),
                        new FitOptions()
                                .epochs(4)
                                .validationData(valid.get())
                                .verbose(false)
                                .resumeFrom(b.resolve("c.safetensors")));
        assertEquals(expected.toCsv(), h.toCsv());
        assertTrue(Fixtures.sameState(Fixtures.snapshot(full), Fixtures.snapshot(resumed)));
    }

    @Test
    void checkpointContentAndErrors() throws IOException {
        TensorDataset data = Fixtures.blobs(29);
        Sequential model = Fixtures.mlp(30);
        Trainer t = trainer(model);
        t.fit(
                data,
                new FitOptions()
                        .epochs(2)
                        .batchSize(50)
                        .verbose(false)
                        .callbacks(new ModelCheckpoint(tmp.resolve("c.safetensors"))));
        Checkpoint cp = Checkpoint.read(tmp.resolve("c.safetensors"));
        assertEquals(Checkpoint.FORMAT, cp.metadata().get("format"));
        assertEquals("2", cp.metadata().get("epoch"));
        assertEquals(3, cp.generatorState("trainer").length);
        assertEquals(
                List.of("0.weight", "0.bias", "3.weight", "3.bias"),
                List.copyOf(cp.modelState().keySet()));
        assertTrue(cp.optimizerState().keySet().stream().anyMatch(k -> k.endsWith(".exp_avg")));
        assertFalse(cp.stopRequested());
        // a plain weights file is refused with a clear message
        Path plain = tmp.resolve("plain.safetensors");
        SafeTensors.write(plain, model.stateDict(), Map.of());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(plain));
        assertTrue(e.getMessage().contains("not a jgrad checkpoint"), e.getMessage());
        // weights only, for inference
        Sequential other = Fixtures.mlp(31);
        trainer(other).loadWeights(tmp.resolve("c.safetensors"));
        assertTrue(Fixtures.sameState(Fixtures.snapshot(model), Fixtures.snapshot(other)));
        // resuming a finished run trains no more
        Sequential again = Fixtures.mlp(32);
        History h = trainer(again)
                .fit(
                        data,
                        new FitOptions()
                                .epochs(2)
                                .batchSize(50)
                                .verbose(false)
                                .resumeFrom(tmp.resolve("c.safetensors")));
        assertEquals(2, h.size());
        assertTrue(Fixtures.sameState(Fixtures.snapshot(model), Fixtures.snapshot(again)));
    }
}
