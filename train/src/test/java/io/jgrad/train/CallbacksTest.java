package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.ReduceLROnPlateau;
import io.jgrad.optim.SGD;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks driven by scripted values, outside and inside fit. */
class CallbacksTest {
    @TempDir
    Path tmp;

    private static Trainer trainer(Sequential model, double lr) {
        return Trainer.builder(model, new CrossEntropyLoss(), new SGD(model.parameters(), lr))
                .metrics(Metric.accuracy())
                .build();
    }

    private static Map<String, Double> logs(String key, double v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(key, v);
        return m;
    }

    /** Runs the epoch-end hooks over a scripted sequence until a stop; returns the epoch it stopped at, or -1. */
    private static int drive(Trainer t, Callback cb, String key, double[] values) {
        cb.onTrainBegin(t);
        for (int e = 0; e < values.length; e++) {
            cb.onEpochEnd(t, e, logs(key, values[e]));
            if (t.stopRequested()) {
                return e;
            }
        }
        return -1;
    }

    private static final double[] VAL_LOSS = {1.0, 0.9, 0.95, 0.899, 0.89, 0.95, 0.96, 0.97};

    @Test
    void earlyStoppingPatienceAndMinDelta() {
        // minDelta 0: 0.899 and 0.89 improve; then 0.95, 0.96 wait 1, 2 -> stop at epoch 6
        EarlyStopping plain = new EarlyStopping("val_loss").patience(2);
        assertEquals(6, drive(trainer(Fixtures.mlp(1), 0.1), plain, "val_loss", VAL_LOSS));
        assertEquals(4, plain.bestEpoch());
        assertEquals(0.89, plain.best(), 0);
        assertEquals(6, plain.stoppedEpoch());
        // minDelta 0.005: 0.899 is not below 0.9 - 0.005; waits at epochs 2, 3 -> stop at 3
        EarlyStopping delta = new EarlyStopping("val_loss").patience(2).minDelta(0.005);
        assertEquals(3, drive(trainer(Fixtures.mlp(1), 0.1), delta, "val_loss", VAL_LOSS));
        assertEquals(1, delta.bestEpoch());
        // patience 0: the first epoch without improvement stops (epoch 2)
        assertEquals(2, drive(trainer(Fixtures.mlp(1), 0.1), new EarlyStopping("val_loss"), "val_loss", VAL_LOSS));
        // patience larger than the run: never stops
        EarlyStopping patient = new EarlyStopping("val_loss").patience(5);
        assertEquals(-1, drive(trainer(Fixtures.mlp(1), 0.1), patient, "val_loss", VAL_LOSS));
        assertEquals(3, patient.waited());
    }

    @Test
    void earlyStoppingOnAccuracyAndBaseline() {
        double[] acc = {0.5, 0.6, 0.6, 0.61, 0.55, 0.6};
        // AUTO mode: accuracy should rise. minDelta 0.02: 0.61 is no gain over 0.6 -> waits 1 (e2), 2 (e3) -> stop at 3
        EarlyStopping es = new EarlyStopping("val_accuracy").patience(2).minDelta(0.02);
        assertEquals(3, drive(trainer(Fixtures.mlp(1), 0.1), es, "val_accuracy", acc));
        assertEquals(1, es.bestEpoch());
        // a baseline of 0.7 is never beaten: the wait is never reset -> stops when wait reaches 3 at epoch 2
        EarlyStopping base = new EarlyStopping("val_accuracy").patience(3).baseline(0.7);
        assertEquals(2, drive(trainer(Fixtures.mlp(1), 0.1), base, "val_accuracy", acc));
        // explicit MIN mode on accuracy: only the first value is "best", stop at 1 with patience 1
        EarlyStopping min =
                new EarlyStopping("val_accuracy").mode(MonitorMode.MIN).patience(1);
        assertEquals(1, drive(trainer(Fixtures.mlp(1), 0.1), min, "val_accuracy", acc));
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        Sequential model = Fixtures.mlp(2);
        Trainer t = trainer(model, 0.1);
        EarlyStopping es = new EarlyStopping("val_loss").patience(2).restoreBestWeights(true);
        es.onTrainBegin(t);
        int stopped = -1;
        for (int e = 0; e < VAL_LOSS.length && stopped < 0; e++) {
            // mark the weights with the epoch
            for (Tensor w : model.stateDict().values()) {
                w.fill_(e);
            }
            es.onEpochEnd(t, e, logs("val_loss", VAL_LOSS[e]));
            stopped = t.stopRequested() ? e : -1;
        }
        assertEquals(6, stopped);
        for (Tensor w : model.stateDict().values()) {
            assertTrue(w.eq(6.0).sum().item() == w.numel(), "still the last epoch's weights before the end");
        }
        es.onTrainEnd(t, Map.of());
        for (Tensor w : model.stateDict().values()) {
            assertTrue(w.eq(4.0).sum().item() == w.numel(), "weights of the best epoch (4)");
        }
    }

    @Test
    void earlyStoppingInsideFit() throws IOException {
        TensorDataset data = Fixtures.blobs(3);
        Sequential model = Fixtures.mlp(4);
        // a user callback running first replaces the real validation loss with the script
        Callback script = new Callback() {
            @Override
            public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
                logs.put("val_loss", VAL_LOSS[epoch]);
            }

            @Override
            public int order() {
                return -1;
            }
        };
        EarlyStopping es = new EarlyStopping("val_loss").patience(2).minDelta(0.005);
        History h = trainer(model, 0.1)
                .fit(
                        data,
                        new FitOptions()
                                .epochs(8)
                                .batchSize(30)
                                .validationSplit(0.2)
                                .callbacks(es, script)
                                .verbose(false));
        assertEquals(4, h.size(), "stopped after epoch 3");
        assertEquals(VAL_LOSS[3], h.get("val_loss").get(3), 0);
        assertEquals(3, es.stoppedEpoch());
    }

    @Test
    void reduceLrOnPlateauFollowsTheScript() {
        Sequential model = Fixtures.mlp(5);
        Trainer t = trainer(model, 1.0);
        ReduceLROnPlateauCallback cb = new ReduceLROnPlateauCallback("val_loss")
                .factor(0.5)
                .patience(1)
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS)
                .threshold(0);
        double[] v = {1, 1, 1, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4};
        // bad epochs: e1 (1), e2 (2 > 1: reduce to 0.5), e4 (1), e5 (2: reduce to 0.25), e7 (1), e8 (2: 0.125)
        double[] lr = {1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125};
        cb.onTrainBegin(t);
        for (int e = 0; e < v.length; e++) {
            cb.onEpochEnd(t, e, logs("val_loss", v[e]));
            assertEquals(lr[e], t.optimizer().lr(0), 0, "after epoch " + e);
        }
        // cooldown 1 and a floor: e2 reduces to 0.5, e3 is cooldown, e4 and e5 are bad -> 0.3 (floor), then stays
        Trainer t2 = trainer(Fixtures.mlp(5), 1.0);
        ReduceLROnPlateauCallback cd = new ReduceLROnPlateauCallback("val_loss")
                .factor(0.5)
                .patience(1)
                .cooldown(1)
                .minLr(0.3);
        double[] flat = {1, 1, 1, 1, 1, 1, 1, 1};
        double[] lr2 = {1, 1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3};
        cd.onTrainBegin(t2);
        for (int e = 0; e < flat.length; e++) {
            cd.onEpochEnd(t2, e, logs("val_loss", flat[e]));
            assertEquals(lr2[e], t2.optimizer().lr(0), 1e-15, "after epoch " + e);
        }
        // MAX mode from the name: rising accuracy is an improvement
        Trainer t3 = trainer(Fixtures.mlp(5), 1.0);
        ReduceLROnPlateauCallback acc = new ReduceLROnPlateauCallback("val_accuracy").patience(0);
        acc.onTrainBegin(t3);
        acc.onEpochEnd(t3, 0, logs("val_accuracy", 0.5));
        acc.onEpochEnd(t3, 1, logs("val_accuracy", 0.6));
        assertEquals(1.0, t3.optimizer().lr(0), 0);
        acc.onEpochEnd(t3, 2, logs("val_accuracy", 0.6));
        assertEquals(0.1, t3.optimizer().lr(0), 1e-15);
    }

    @Test
    void reduceLrInsideFitShowsInTheHistory() throws IOException {
        TensorDataset data = Fixtures.blobs(6);
        Sequential model = Fixtures.mlp(7);
        Callback flat = new Callback() {
            @Override
            public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
                logs.put("val_loss", 1.0);
            }

            @Override
            public int order() {
                return -1;
            }
        };
        History h = trainer(model, 0.2)
                .fit(
                        data,
                        new FitOptions()
                                .epochs(5)
                                .batchSize(50)
                                .validationSplit(0.2)
                                .callbacks(
                                        new ReduceLROnPlateauCallback("val_loss")
                                                .patience(1)
                                                .factor(0.5),
                                        flat)
                                .verbose(false));
        // the lr logged is the one used during the epoch
        assertEquals(List.of(0.2, 0.2, 0.2, 0.1, 0.1), h.get("lr"));
    }

    @Test
    void modelCheckpointEveryEpochAndBestOnly() throws IOException {
        Sequential model = Fixtures.mlp(8);
        Trainer t = trainer(model, 0.1);
        ModelCheckpoint every = new ModelCheckpoint(tmp.resolve("every-{epoch:03d}.safetensors"));
        assertEquals(tmp.resolve("every-012.safetensors"), every.fileFor(11));
        assertEquals(tmp.resolve("e-12-12"), new ModelCheckpoint(tmp.resolve("e-{epoch}-{epoch}")).fileFor(11));
        ModelCheckpoint best = new ModelCheckpoint(tmp.resolve("best.safetensors")).saveBestOnly(true);
        double[] v = {3, 2, 2.5, 1, 1};
        every.onTrainBegin(t);
        best.onTrainBegin(t);
        List<Integer> bestEpochs = new ArrayList<>();
        for (int e = 0; e < v.length; e++) {
            for (Tensor w : model.stateDict().values()) {
                w.fill_(e);
            }
            every.onEpochEnd(t, e, logs("val_loss", v[e]));
            Path before = best.lastSaved();
            long stamp = before == null
                    ? -1
                    : (long) Checkpoint.read(before)
                            .modelState()
                            .values()
                            .iterator()
                            .next()
                            .getDouble(0, 0);
            best.onEpochEnd(t, e, logs("val_loss", v[e]));
            long after = (long) Checkpoint.read(best.lastSaved())
                    .modelState()
                    .values()
                    .iterator()
                    .next()
                    .getDouble(0, 0);
            if (after != stamp) {
                bestEpochs.add(e);
            }
        }
        assertEquals(List.of(0, 1, 3), bestEpochs, "saved when val_loss improved: 3, 2, 1");
        assertEquals(1.0, best.best(), 0);
        for (int e = 0; e < v.length; e++) {
            Checkpoint cp = Checkpoint.read(every.fileFor(e));
            assertEquals(e, (int) cp.modelState().get("0.weight").getDouble(0, 0));
            assertTrue(cp.optimizerState().containsKey("param_groups.0.lr"));
        }
        assertEquals(every.order(), 100);
    }

    @Test
    void csvLoggerAndPlainProgressLines() throws IOException {
        TensorDataset data = Fixtures.blobs(9);
        Sequential model = Fixtures.mlp(10);
        Path csv = tmp.resolve("log.csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        History h = trainer(model, 0.1)
                .fit(
                        data,
                        new FitOptions()
                                .epochs(3)
                                .batchSize(40)
                                .validationSplit(0.2)
                                .callbacks(new CSVLogger(csv), new ProgressBar(out, false)));
        History back = History.readCsv(csv);
        assertEquals(h.toCsv(), back.toCsv());
        assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr"), back.keys());
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, "one line per epoch when not on a terminal");
        for (int e = 0; e < 3; e++) {
            assertTrue(lines[e].startsWith("Epoch " + (e + 1) + "/3 - 3 batches - "), lines[e]);
            assertTrue(lines[e].contains(" samples/s - loss: "), lines[e]);
            assertTrue(
                    lines[e].contains(String.format(
                            java.util.Locale.ROOT,
                            "val_accuracy: %.4f",
                            h.get("val_accuracy").get(e))),
                    lines[e]);
            assertFalse(lines[e].contains("\r"));
        }
    }

    @Test
    void terminalProgressRedrawsOneLinePerEpoch() throws IOException {
        TensorDataset data = Fixtures.blobs(11);
        Sequential model = Fixtures.mlp(12);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        trainer(model, 0.1).fit(data, new FitOptions().epochs(2).batchSize(10).callbacks(new ProgressBar(out, true)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(4, lines.length, text);
        assertEquals("Epoch 1/2", lines[0]);
        assertEquals("Epoch 2/2", lines[2]);
        // the batch line is redrawn with carriage returns; the last drawing is the epoch summary
        assertTrue(lines[1].startsWith("\r"), lines[1]);
        assertTrue(lines[1].contains("ETA"), "per-batch drawings show the ETA: " + lines[1]);
        assertTrue(lines[1].contains("samples/s"));
        String last = lines[1].substring(lines[1].lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("15/15 [==============================] - "), last);
        assertTrue(last.contains("accuracy: "), last);
        assertEquals("1.5s", ProgressBar.duration(1.5));
        assertEquals("2m05s", ProgressBar.duration(125));
        assertEquals("1h01m", ProgressBar.duration(3660));
    }

    @Test
    void statelessCallbacksSaveNothing() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        new CSVLogger(tmp.resolve("x.csv")).saveState(s);
        new ProgressBar(System.out, false).saveState(s);
        assertTrue(s.isEmpty());
        ModelCheckpoint mc = new ModelCheckpoint(tmp.resolve("x"));
        assertNull(mc.lastSaved());
        assertArrayEquals(new int[0], Fixtures.scalar(1).shape());
    }
}
