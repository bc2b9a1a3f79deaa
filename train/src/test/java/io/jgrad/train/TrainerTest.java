package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Datasets;
import io.jgrad.data.Subset;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.MSELoss;
import io.jgrad.layers.Reduction;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.SGD;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    @Test
    void fitLearnsBlobsAndReportsTrainingAndValidationValues() throws IOException {
        TensorDataset data = Fixtures.blobs(1);
        Sequential model = Fixtures.mlp(2);
        Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.02))
                .metrics(Metric.accuracy(), Metric.f1(Metrics.Average.MACRO))
                .seed(3)
                .build();
        History h = trainer.fit(
                data,
                new FitOptions().epochs(15).batchSize(16).validationSplit(0.2).verbose(false));
        assertEquals(
                List.of("loss", "accuracy", "f1_macro", "val_loss", "val_accuracy", "val_f1_macro", "lr"), h.keys());
        assertEquals(15, h.size());
        List<Double> loss = h.get("loss");
        assertTrue(loss.get(14) < loss.get(0) / 3, "loss falls: " + loss);
        assertTrue(h.get("val_accuracy").get(14) > 0.9, "val accuracy " + h.get("val_accuracy"));
        assertEquals(0.02, h.get("lr").get(0), 0);
        // the held-out tail is exactly what validation sees: evaluate reproduces the last val values
        Subset tail = Datasets.tailSplit(data, 0.2).get(1);
        Map<String, Double> ev = trainer.evaluate(tail, 7);
        assertEquals(h.get("val_loss").get(14), ev.get("loss"), 1e-6);
        assertEquals(h.get("val_accuracy").get(14), ev.get("accuracy"), 0);
        assertFalse(model.isTraining(), "the model is left in evaluation mode");
    }

    /** What fit does, written out: the reference for one epoch of Adam on shuffled batches. */
    @Test
    void fitEqualsAHandWrittenLoop() throws IOException {
        TensorDataset data = Fixtures.blobs(4);
        Sequential a = Fixtures.mlp(5);
        Trainer trainer = Trainer.builder(a, new CrossEntropyLoss(), new Adam(a.parameters(), 0.01))
                .seed(6)
                .build();
        History h = trainer.fit(
                data, new FitOptions().epochs(2).batchSize(32).seed(7).verbose(false));

        Sequential b = Fixtures.mlp(5);
        Adam opt = new Adam(b.parameters(), 0.01);
        b.setGenerator(new Generator(6));
        DataLoader loader =
                DataLoader.builder(data).batchSize(32).shuffle(true).seed(7).build();
        CrossEntropyLoss ce = new CrossEntropyLoss();
        for (int e = 0; e < 2; e++) {
            b.train();
            double sum = 0;
            int n = 0;
            for (Batch batch : loader) {
                opt.zeroGrad();
                Variable l = ce.forward(b.call(batch.input()), batch.target());
                l.backward();
                opt.step();
                sum += l.item() * batch.size();
                n += batch.size();
            }
            assertEquals(sum / n, h.get("loss").get(e), 0, "epoch " + e);
        }
        assertTrue(Fixtures.sameState(Fixtures.snapshot(a), Fixtures.snapshot(b)));
    }

    @Test
    void sampleAndClassWeights() throws IOException {
        TensorDataset data = Fixtures.blobs(8);
        double[] cw = {0.5, 2.0, 1.0};
        // one full-batch SGD step with per-sample losses: the reference computes sum(w * l) / N itself
        Sequential a = Fixtures.mlp(9);
        CrossEntropyLoss perSample = new CrossEntropyLoss(null, Losses.IGNORE_INDEX, 0, Reduction.NONE);
        Trainer t = Trainer.builder(a, perSample, new SGD(a.parameters(), 0.1)).build();
        History h = t.fit(
                data,
                new FitOptions()
                        .epochs(1)
                        .batchSize(150)
                        .shuffle(false)
                        .classWeights(cw)
                        .verbose(false));

        Sequential b = Fixtures.mlp(9);
        b.setGenerator(new Generator(0));
        b.train();
        SGD opt = new SGD(b.parameters(), 0.1);
        Variable out = b.call(data.input());
        Tensor l = perSample.forward(out, data.target()).data();
        double expected = 0;
        int[] y = data.target().toIntArray();
        double[] w = new double[150];
        for (int i = 0; i < 150; i++) {
            w[i] = cw[y[i]];
            expected += w[i] * l.getFloat(i);
        }
        expected /= 150;
        assertEquals(expected, h.get("loss").get(0), 1e-5);
        Variable loss = perSample
                .forward(out, data.target())
                .mul(Variable.constant(Tensor.of(w, 150).to(DType.FLOAT32)))
                .sum()
                .div(150);
        loss.backward();
        opt.step();
        for (Map.Entry<String, Tensor> e : b.stateDict().entrySet()) {
            assertTrue(e.getValue().allClose(a.stateDict().get(e.getKey()), 1e-5, 1e-6), e.getKey());
        }

        // class weights are sample weights w[i] = cw[y[i]]
        Sequential c = Fixtures.mlp(9);
        Trainer tc = Trainer.builder(c, perSample, new SGD(c.parameters(), 0.1)).build();
        History hc = tc.fit(
                data.withWeight(Tensor.of(w, 150).to(DType.FLOAT32)),
                new FitOptions().epochs(1).batchSize(150).shuffle(false).verbose(false));
        assertEquals(h.get("loss").get(0), hc.get("loss").get(0), 1e-6);

        // weights with a loss that already reduced: a clear error
        Sequential d = Fixtures.mlp(9);
        Trainer td = Trainer.builder(d, new CrossEntropyLoss(), new SGD(d.parameters(), 0.1))
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> td.fit(data, new FitOptions().classWeights(cw).verbose(false)));
        assertTrue(e.getMessage().contains("need a loss that returns one value per sample"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(
                IllegalArgumentException.class,
                () -> t.fit(data, new FitOptions().classWeights(1, 1).verbose(false)));
        assertTrue(e2.getMessage().contains("class 2 has no class weight (2 weights given)"), e2.getMessage());
    }

    @Test
    void regressionWithMetrics() throws IOException {
        TensorDataset train = Fixtures.linear(200, 10);
        TensorDataset test = Fixtures.linear(50, 11);
        Linear model = new Linear(3, 1);
        model.resetParameters(new Generator(12));
        Trainer t = Trainer.builder(model, new MSELoss(), new Adam(model.parameters(), 0.05))
                .metrics(Metric.mse(), Metric.mae(), Metric.r2())
                .build();
        History h = t.fit(
                train,
                new FitOptions().epochs(40).batchSize(20).validationData(test).verbose(false));
        assertTrue(h.get("val_r2").get(39) > 0.99, "R2 " + h.get("val_r2"));
        assertTrue(h.get("val_mse").get(39) < 0.05);
        // the reported val_loss of MSELoss is the mse metric
        assertEquals(h.get("val_mse").get(39), h.get("val_loss").get(39), 1e-6);
        Tensor pred = t.predict(test.input(), 16);
        assertArrayEquals(new int[] {50, 1}, pred.shape());
        assertEquals(Metrics.r2(pred, test.target()), h.get("val_r2").get(39), 1e-9);
        assertEquals(1.5, model.weight().data().getFloat(0, 0), 0.05);
        assertEquals(0.5, model.bias().data().getFloat(0), 0.05);
        // defaults: evaluate and predict without a batch size, and one unbatched sample
        assertEquals(t.evaluate(test, Trainer.DEFAULT_BATCH_SIZE), t.evaluate(test));
        assertTrue(t.predict(test.input()).allClose(pred, 0, 0));
        assertTrue(t.predict(test).allClose(pred, 0, 0));
        Tensor one = t.predictSample(test.input().select(0, 3));
        assertArrayEquals(new int[] {1}, one.shape());
        assertEquals(pred.getFloat(3, 0), one.getFloat(0), 1e-6);
    }

    @Test
    @SuppressWarnings("try")
    void modelsWithSeveralInputs() throws IOException {
        Generator g = new Generator(13);
        Tensor x1 = Tensor.randn(g, 64, 3);
        Tensor x2 = Tensor.randn(g, 64, 2);
        // class = whether x1[0] + x2[1] > 0
        int[] y = new int[64];
        for (int i = 0; i < 64; i++) {
            y[i] = x1.getFloat(i, 0) + x2.getFloat(i, 1) > 0 ? 1 : 0;
        }
        TensorDataset data = new TensorDataset(List.of(x1, x2), Tensor.wrap(y, 64), null);
        Fixtures.TwoInputs model = new Fixtures.TwoInputs(14);
        Trainer t = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.05))
                .metrics(Metric.accuracy(), Metric.rocAuc())
                .build();
        History h = t.fit(data, new FitOptions().epochs(30).batchSize(16).verbose(false));
        assertTrue(h.get("accuracy").get(29) > 0.9, h.get("accuracy").toString());
        assertTrue(h.get("auc").get(29) > 0.95, h.get("auc").toString());
        Tensor out = t.predict(data, 10);
        assertArrayEquals(new int[] {64, 2}, out.shape());
        Tensor direct;
        try (var off = Autograd.noGrad()) {
            direct = model.call(Variable.constant(x1), Variable.constant(x2)).data();
        }
        assertTrue(out.allClose(direct, 1e-6, 1e-6));
    }

    @Test
    void userCallbacksSeeEveryEventAndCanStop() throws IOException {
        TensorDataset data = Fixtures.blobs(15);
        Sequential model = Fixtures.mlp(16);
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            @Override
            public void onTrainBegin(Trainer trainer) {
                events.add("trainBegin");
            }

            @Override
            public void onEpochBegin(Trainer trainer, int epoch) {
                events.add("epochBegin " + epoch);
            }

            @Override
            public void onBatchBegin(Trainer trainer, int batch) {
                events.add("batchBegin " + batch);
            }

            @Override
            public void onBatchEnd(Trainer trainer, int batch, Map<String, Double> logs) {
                events.add("batchEnd " + batch);
                assertTrue(logs.containsKey("loss") && logs.containsKey("batch_loss") && logs.containsKey("accuracy"));
                if (trainer.epoch() == 1 && batch == 1) {
                    trainer.stopTraining();
                }
            }

            @Override
            public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
                events.add("epochEnd " + epoch);
            }

            @Override
            public void onTrainEnd(Trainer trainer, Map<String, Double> logs) {
                events.add("trainEnd");
            }
        };
        Trainer t = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters()))
                .metrics(Metric.accuracy())
                .build();
        History h = t.fit(
                data,
                new FitOptions().epochs(5).batchSize(50).callbacks(recorder).verbose(false));
        assertEquals(
                List.of(
                        "trainBegin",
                        "epochBegin 0",
                        "batchBegin 0",
                        "batchEnd 0",
                        "batchBegin 1",
                        "batchEnd 1",
                        "batchBegin 2",
                        "batchEnd 2",
                        "epochEnd 0",
                        "epochBegin 1",
                        "batchBegin 0",
                        "batchEnd 0",
                        "batchBegin 1",
                        "batchEnd 1",
                        "epochEnd 1",
                        "trainEnd"),
                events);
        assertEquals(2, h.size(), "the stopped epoch is completed and recorded");
    }

    @Test
    void terminateOnNaN() throws IOException {
        TensorDataset data = Fixtures.blobs(17);
        Sequential model = Fixtures.mlp(18);
        int[] calls = {0};
        CrossEntropyLoss ce = new CrossEntropyLoss();
        LossFunction poisoned = (o, y) -> ++calls[0] == 3 ? ce.forward(o, y).mul(Double.NaN) : ce.forward(o, y);
        TerminateOnNaN nan = new TerminateOnNaN(null);
        Trainer t = Trainer.builder(model, poisoned, new SGD(model.parameters(), 0.1))
                .build();
        History h = t.fit(
                data, new FitOptions().epochs(3).batchSize(10).callbacks(nan).verbose(false));
        assertEquals(2, nan.badBatch());
        assertEquals(1, h.size());
        assertTrue(Double.isNaN(h.get("loss").get(0)));
    }

    @Test
    void argumentErrors() {
        TensorDataset data = Fixtures.blobs(19);
        Sequential model = Fixtures.mlp(20);
        Trainer t = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters()))
                .build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> t.fit(new TensorDataset(data.input(), null), new FitOptions().verbose(false)));
        assertEquals("fit: the data has no targets", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> t.fit(
                        data,
                        new FitOptions()
                                .validationSplit(0.1)
                                .validationData(data)
                                .verbose(false)));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
        IllegalStateException s = assertThrows(
                IllegalStateException.class,
                () -> t.fit(data, new FitOptions().verbose(false).callbacks(new EarlyStopping("val_loss"))));
        assertTrue(
                s.getMessage().contains("the logs have no 'val_loss'")
                        && s.getMessage().contains("validation split"),
                s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FitOptions().epochs(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, (LossFunction) null, new Adam(model.parameters())));
    }

    @Test
    void gradientClipping() throws IOException {
        TensorDataset data = Fixtures.blobs(33);
        Sequential a = Fixtures.mlp(34);
        Map<String, Tensor> before = Fixtures.snapshot(a);
        double clip = 0.01;
        double lr = 0.5;
        Trainer t = Trainer.builder(a, new CrossEntropyLoss(), new SGD(a.parameters(), lr))
                .build();
        t.fit(
                data,
                new FitOptions()
                        .epochs(1)
                        .batchSize(150)
                        .shuffle(false)
                        .clipGradNorm(clip)
                        .verbose(false));

        // reference: the unclipped gradient g of the same step; SGD moves by -lr * g * clip / |g|
        Sequential b = Fixtures.mlp(34);
        b.setGenerator(new Generator(0));
        b.train();
        new CrossEntropyLoss().forward(b.call(data.input()), data.target()).backward();
        double norm2 = 0;
        for (io.jgrad.autograd.Parameter p : b.parameters()) {
            for (double g : p.grad().toDoubleArray()) {
                norm2 += g * g;
            }
        }
        double scale = clip / Math.sqrt(norm2);
        assertTrue(scale < 1, "the test needs a gradient larger than the clip");
        Map<String, Tensor> after = a.stateDict();
        for (Map.Entry<String, io.jgrad.autograd.Parameter> e :
                b.namedParameters().entrySet()) {
            Tensor expected = before.get(e.getKey()).sub(e.getValue().grad().mul(lr * scale));
            assertTrue(after.get(e.getKey()).allClose(expected, 1e-5, 1e-7), e.getKey());
        }
    }
}
