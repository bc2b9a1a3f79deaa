package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Sample;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Concatenate;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Input;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.MSELoss;
import io.jgrad.layers.Model;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Reduction;
import io.jgrad.layers.SymbolicTensor;
import io.jgrad.optim.Adam;
import io.jgrad.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training functional models with several inputs and outputs: a loss per output, loss weights, metrics per output. */
class MultiOutputTrainerTest {
    static final int N = 240;

    @TempDir
    Path tmp;

    /**
     * Two inputs a, b (N, 4) and two targets: the class of a (the largest of 3 fixed projections)
     * and the regression target a . u - b . v (N, 1).
     */
    static TensorDataset data(long seed) {
        Generator g = new Generator(seed);
        Tensor a = Tensor.randn(g, N, 4);
        Tensor b = Tensor.randn(g, N, 4);
        Tensor proj = Tensor.of(new float[] {1, -1, 0.5f, 0, 0, 1, -1, 0.5f, -1, 0, 1, 1}, 4, 3);
        Tensor kinds = a.matmul(proj).argmax(1, false).to(DType.INT32);
        Tensor u = Tensor.of(new float[] {1, 0.5f, -1, 0}, 4, 1);
        Tensor v = Tensor.of(new float[] {0, -1, 0.5f, 1}, 4, 1);
        Tensor score = a.matmul(u).sub(b.matmul(v));
        return TensorDataset.of(List.of(a, b), List.of(kinds, score), null);
    }

    /** A shared encoder of both inputs, a class head on a's code and a regression head on both codes. */
    static Model twoHeads(long seed) {
        SymbolicTensor a = Input.of("a", 4);
        SymbolicTensor b = Input.of("b", 4);
        Linear encoder = new Linear(4, 16);
        SymbolicTensor ea = new ReLU().call(encoder.call("encoder", a));
        SymbolicTensor eb = new ReLU().call(encoder.call(b));
        SymbolicTensor kind = new Linear(16, 3).call("kind", ea);
        SymbolicTensor score = new Linear(32, 1).call("score", new Linear(32, 32).call(new Concatenate().call(ea, eb)));
        Model m = new Model(List.of(a, b), List.of(kind, score));
        m.resetParameters(new Generator(seed));
        return m;
    }

    @Test
    void fitReducesBothLossesAndReportsPerOutputMetrics() throws IOException {
        Model model = twoHeads(1);
        Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 0.01))
                .loss("kind", new CrossEntropyLoss())
                .loss("score", new MSELoss(), 0.5)
                .metrics("kind", Metric.accuracy())
                .metrics("score", Metric.mae())
                .seed(2)
                .build();
        History h = trainer.fit(
                data(3),
                new FitOptions()
                        .epochs(25)
                        .batchSize(16)
                        .validationData(data(4))
                        .verbose(false));
        assertEquals(
                List.of(
                        "loss",
                        "kind_loss",
                        "score_loss",
                        "kind_accuracy",
                        "score_mae",
                        "val_loss",
                        "val_kind_loss",
                        "val_score_loss",
                        "val_kind_accuracy",
                        "val_score_mae",
                        "lr"),
                h.keys());
        List<Double> kind = h.get("kind_loss");
        List<Double> score = h.get("score_loss");
        assertTrue(kind.get(24) < kind.get(0) / 3, "kind loss " + kind);
        assertTrue(score.get(24) < score.get(0) / 3, "score loss " + score);
        assertTrue(h.get("val_kind_accuracy").get(24) > 0.85, "val accuracy " + h.get("val_kind_accuracy"));
        assertTrue(
                h.get("val_score_mae").get(24) < h.get("val_score_mae").get(0) / 2,
                "val mae " + h.get("val_score_mae"));
        for (int e = 0; e < 25; e++) {
            // the reported loss is the weighted sum of the outputs' losses
            assertEquals(
                    kind.get(e) + 0.5 * score.get(e),
                    h.get("loss").get(e),
                    1e-6 * h.get("loss").get(e));
            assertEquals(
                    h.get("val_kind_loss").get(e)
                            + 0.5 * h.get("val_score_loss").get(e),
                    h.get("val_loss").get(e),
                    1e-6 * h.get("val_loss").get(e));
        }
        Map<String, Double> ev = trainer.evaluate(data(4), 50);
        assertEquals(h.get("val_kind_accuracy").get(24), ev.get("kind_accuracy"), 0);
        assertEquals(h.get("val_score_loss").get(24), ev.get("score_loss"), 1e-6);
        assertTrue(trainer.higherIsBetter("val_kind_accuracy"));
        assertFalse(trainer.higherIsBetter("val_score_mae"));
        assertFalse(trainer.higherIsBetter("val_score_loss"));

        List<Tensor> pred = trainer.predictAll(data(4), 64);
        assertArrayEquals(new int[] {N, 3}, pred.get(0).shape());
        assertArrayEquals(new int[] {N, 1}, pred.get(1).shape());
        TensorDataset d = data(4);
        try (var off = Autograd.noGrad()) {
            List<Variable> direct = model.forward(List.of(
                    Variable.constant(d.inputs().get(0)),
                    Variable.constant(d.inputs().get(1))));
            assertArrayEquals(direct.get(1).data().toFloatArray(), pred.get(1).toFloatArray(), 1e-5f);
        }
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> trainer.predict(d, 10));
        assertTrue(p.getMessage().contains("use predictAll"), p.getMessage());
    }

    private static Trainer resumable(Model model) {
        return Trainer.builder(model, new Adam(model.parameters(), 0.01))
                .loss("kind", new CrossEntropyLoss())
                .loss("score", new MSELoss(), 0.3)
                .metrics("kind", Metric.accuracy())
                .seed(31)
                .build();
    }

    private static FitOptions resumableOptions(int epochs, Path dir) {
        return new FitOptions()
                .epochs(epochs)
                .batchSize(32)
                .seed(32)
                .validationSplit(0.25)
                .verbose(false)
                .callbacks(
                        new EarlyStopping("val_kind_accuracy").patience(100).restoreBestWeights(false),
                        new ModelCheckpoint(dir.resolve("ckpt-{epoch}.safetensors")));
    }

    @Test
    void aResumedMultiOutputRunEqualsTheUninterruptedRun() throws IOException {
        TensorDataset d = data(15);
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Model full = twoHeads(16);
        History expected = resumable(full).fit(d, resumableOptions(4, a));
        resumable(twoHeads(16)).fit(d, resumableOptions(2, b));
        Model resumed = twoHeads(17);
        History h = resumable(resumed).fit(d, resumableOptions(4, b).resumeFrom(b.resolve("ckpt-2.safetensors")));
        assertEquals(expected.toCsv(), h.toCsv());
        assertTrue(h.has("val_kind_accuracy") && h.has("val_score_loss"));
        for (Map.Entry<String, Tensor> e : full.stateDict().entrySet()) {
            assertTrue(e.getValue().equal(resumed.stateDict().get(e.getKey())), e.getKey());
        }
    }

    @Test
    void callbacksMonitorPerOutputValues() throws IOException {
        Model model = twoHeads(18);
        Trainer trainer = resumable(model);
        // the kind's loss goes down: "min" decided from the key, so no early stop in 4 epochs with patience 0 ...
        History h = trainer.fit(
                data(19),
                new FitOptions()
                        .epochs(4)
                        .batchSize(32)
                        .validationSplit(0.25)
                        .verbose(false)
                        .callbacks(new EarlyStopping("val_kind_loss").patience(0)));
        assertEquals(4, h.size(), "val_kind_loss " + h.get("val_kind_loss"));
        // ... while monitoring it as if higher were better stops after the first epoch that does not rise
        Model other = twoHeads(18);
        History stopped = resumable(other)
                .fit(
                        data(19),
                        new FitOptions()
                                .epochs(4)
                                .batchSize(32)
                                .validationSplit(0.25)
                                .verbose(false)
                                .callbacks(new EarlyStopping("val_kind_loss")
                                        .mode(MonitorMode.MAX)
                                        .patience(0)));
        assertEquals(2, stopped.size());
    }

    @Test
    void aLossWeightOfZeroLeavesItsHeadUntouched() throws IOException {
        Model model = twoHeads(5);
        Map<String, Tensor> before = copy(model);
        Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 0.01))
                .loss("kind", new CrossEntropyLoss())
                .loss("score", new MSELoss(), 0)
                .build();
        History h =
                trainer.fit(data(6), new FitOptions().epochs(3).batchSize(32).verbose(false));
        assertEquals(h.get("kind_loss"), h.get("loss"));
        assertTrue(h.get("score_loss").get(0) > 0, "the untrained output's loss is still reported");
        Map<String, Tensor> after = model.stateDict();
        for (String k : before.keySet()) {
            boolean scoreHead = k.startsWith("score.") || k.startsWith("linear.");
            boolean same = java.util.Arrays.equals(
                    before.get(k).toFloatArray(), after.get(k).toFloatArray());
            assertEquals(scoreHead, same, k + (scoreHead ? " must not change" : " must change"));
        }
    }

    @Test
    void lossWeightsScaleTheGradientsExactly() throws IOException {
        TensorDataset d = data(7);
        Model model = twoHeads(8);
        Model reference = twoHeads(8);
        double lr = 0.1;
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), lr))
                .loss("kind", new CrossEntropyLoss(), 0.25)
                .loss("score", new MSELoss(), 2.0)
                .build();
        trainer.fit(d, new FitOptions().epochs(1).batchSize(N).shuffle(false).verbose(false));
        // by hand: one full-batch step on 0.25 * cross-entropy + 2 * mse
        reference.train();
        List<Variable> out = reference.forward(List.of(
                Variable.constant(d.inputs().get(0)),
                Variable.constant(d.inputs().get(1))));
        Variable l = Losses.crossEntropy(out.get(0), d.targets().get(0))
                .mul(0.25)
                .add(Losses.mse(out.get(1), Variable.constant(d.targets().get(1)), Reduction.MEAN)
                        .mul(2.0));
        l.backward();
        Map<String, Parameter> got = model.namedParameters();
        for (Map.Entry<String, Parameter> e : reference.namedParameters().entrySet()) {
            Tensor expected = e.getValue().data().sub(e.getValue().grad().mul(lr));
            assertArrayEquals(
                    expected.toFloatArray(), got.get(e.getKey()).data().toFloatArray(), 1e-6f, e.getKey());
        }
    }

    @Test
    void sampleWeightsApplyToEveryOutput() {
        TensorDataset d = data(9);
        double[] half = new double[N];
        java.util.Arrays.fill(half, 0, N / 2, 1.0);
        Tensor w = Tensor.of(half, N).to(DType.FLOAT32);
        Model model = twoHeads(10);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1))
                .loss("kind", new CrossEntropyLoss(null, -100, 0, Reduction.NONE))
                .loss("score", new MSELoss(Reduction.NONE))
                .build();
        Map<String, Double> weighted = trainer.evaluate(TensorDataset.of(d.inputs(), d.targets(), w), N);
        Map<String, Double> firstHalf = trainer.evaluate(new io.jgrad.data.Subset(d, range(N / 2)), N);
        // sum(w * loss) / N: the first half's mean loss, halved
        assertEquals(firstHalf.get("kind_loss") / 2, weighted.get("kind_loss"), 1e-6);
        assertEquals(firstHalf.get("score_loss") / 2, weighted.get("score_loss"), 1e-6);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Test
    void aMultiInputModelWithOneOutputTrainsWithTheSingleLossApi() throws IOException {
        SymbolicTensor a = Input.of("a", 4);
        SymbolicTensor b = Input.of("b", 4);
        Model model = new Model(List.of(a, b), new Linear(8, 1).call(new Concatenate().call(a, b)));
        TensorDataset d = data(11);
        TensorDataset oneTarget = new TensorDataset(d.inputs(), d.targets().get(1), null);
        Trainer trainer = Trainer.builder(model, new MSELoss(), new Adam(model.parameters(), 0.05))
                .metrics(Metric.mae())
                .build();
        History h =
                trainer.fit(oneTarget, new FitOptions().epochs(5).batchSize(16).verbose(false));
        assertEquals(List.of("loss", "mae", "lr"), h.keys());
        assertTrue(h.get("loss").get(4) < h.get("loss").get(0));
        assertArrayEquals(new int[] {N, 1}, trainer.predict(oneTarget, 64).shape());
    }

    @Test
    void misconfigurationsGetClearErrors() {
        Model model = twoHeads(12);
        Adam opt = new Adam(model.parameters());
        IllegalArgumentException single = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, new MSELoss(), opt).build());
        assertTrue(
                single.getMessage().contains("2 outputs [kind, score]")
                        && single.getMessage().contains("loss(output, loss)"),
                single.getMessage());
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, opt).loss("age", new MSELoss()).build());
        assertTrue(
                unknown.getMessage().contains("no output named 'age'; outputs: [kind, score]"), unknown.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, opt).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, opt).loss("kind", new MSELoss(), -1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, opt).loss("kind", new MSELoss(), 0).build());
        IllegalArgumentException noLoss = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, opt)
                        .loss("kind", new CrossEntropyLoss())
                        .metrics("score", Metric.mae())
                        .build());
        assertTrue(noLoss.getMessage().contains("output 'score', which has no loss"), noLoss.getMessage());
        Metric acc = Metric.accuracy();
        assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(model, opt)
                        .loss("kind", new CrossEntropyLoss())
                        .loss("score", new MSELoss())
                        .metrics("kind", acc)
                        .metrics("score", acc)
                        .build());
        IllegalArgumentException notModel = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.builder(new Linear(2, 2), opt)
                        .loss("x", new MSELoss())
                        .build());
        assertTrue(notModel.getMessage().contains("need a functional Model"), notModel.getMessage());

        Trainer t = Trainer.builder(model, opt)
                .loss("kind", new CrossEntropyLoss())
                .loss("score", new MSELoss())
                .build();
        TensorDataset d = data(13);
        IllegalArgumentException targets = assertThrows(
                IllegalArgumentException.class,
                () -> t.fit(
                        new TensorDataset(d.inputs(), d.targets().get(0), null),
                        new FitOptions().epochs(1).verbose(false)));
        assertTrue(
                targets.getMessage().contains("the model has 2 outputs [kind, score] but the batch has 1 target"),
                targets.getMessage());
        IllegalArgumentException cw = assertThrows(
                IllegalArgumentException.class,
                () -> t.fit(d, new FitOptions().epochs(1).classWeights(1, 1, 1).verbose(false)));
        assertTrue(cw.getMessage().contains("class weights need a model with one output"), cw.getMessage());
    }

    @Test
    void batchesAndSamplesCarryOneTargetPerOutput() {
        TensorDataset d = data(14);
        assertEquals(2, d.targets().size());
        Sample s = d.get(3);
        assertEquals(2, s.targets().size());
        assertTrue(s.target() == s.targets().get(0));
        assertEquals(d.targets().get(1).getDouble(3, 0), s.targets().get(1).getDouble(0), 0);
        Batch b = Batch.collate(List.of(d.get(0), d.get(1), d.get(2)));
        assertEquals(2, b.inputs().size());
        assertEquals(2, b.targets().size());
        assertArrayEquals(new int[] {3, 1}, b.targets().get(1).shape());
        Batch viaIndex = d.getBatch(new int[] {0, 1, 2});
        assertArrayEquals(
                viaIndex.targets().get(1).toFloatArray(), b.targets().get(1).toFloatArray(), 0);
        assertArrayEquals(viaIndex.target().toIntArray(), b.target().toIntArray());
        // replacing the first target keeps the others; a weight keeps both
        Batch t = b.withTarget(Tensor.zeros(DType.INT32, 3));
        assertEquals(2, t.targets().size());
        assertTrue(t.targets().get(1) == b.targets().get(1));
        assertEquals(2, b.withWeight(Tensor.ones(3)).targets().size());
        assertEquals(List.of(), new Batch(Tensor.zeros(3, 1), null).targets());
        assertEquals(1, new Batch(Tensor.zeros(3, 1), Tensor.zeros(3)).targets().size());
        assertThrows(
                IllegalArgumentException.class,
                () -> Batch.of(List.of(Tensor.zeros(3, 1)), List.of(Tensor.zeros(4)), null));
        assertThrows(
                IllegalArgumentException.class,
                () -> TensorDataset.of(List.of(Tensor.zeros(3, 1)), List.of(Tensor.zeros(4)), null));
        try (DataLoader loader = DataLoader.builder(d).batchSize(100).build();
                DataLoader.Epoch it = loader.iterator()) {
            Batch first = it.next();
            assertEquals(2, first.targets().size());
            assertEquals(100, first.targets().get(1).size(0));
        }
    }

    private static Map<String, Tensor> copy(Model m) {
        Map<String, Tensor> out = new HashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            out.put(e.getKey(), e.getValue().clone());
        }
        return out;
    }
}
