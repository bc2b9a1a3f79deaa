package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example end to end on tiny settings and small real data kept in the test resources (100
 * Fashion-MNIST images, 20 KB of Tiny Shakespeare): it runs, writes its files and ends with its
 * result line. How well the models learn is measured by full runs, not here.
 */
class SmokeTest {
    private static final String NUM = "-?\\d+(\\.\\d+)?";

    @TempDir
    static Path tmp;

    static Path fashion;
    static Path shakespeare;

    @BeforeAll
    static void data() throws Exception {
        fashion = TestData.fashionSlice(tmp);
        shakespeare = TestData.shakespeareSlice(tmp);
    }

    /** Runs an example and checks its last line: "result:" then the keys given, in order, each with a number or a word. */
    static Cli runExpecting(String[] keys, String... args) {
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode, r.err);
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            parts.add(k + "=(" + NUM + "|[\\w-]+)");
        }
        String re = "result: " + String.join(" ", parts);
        assertTrue(Pattern.matches(re, r.lastLine()), "last line '" + r.lastLine() + "' does not match " + re);
        return r;
    }

    static BufferedImage png(Path p) throws Exception {
        BufferedImage img = ImageIO.read(p.toFile());
        assertTrue(img != null, "not a PNG: " + p);
        return img;
    }

    @Test
    void fashionMnistModels() throws Exception {
        for (String model : new String[] {"mlp", "cnn", "cnn-bn"}) {
            Path out = tmp.resolve("fm-" + model);
            Cli r = runExpecting(
                    new String[] {"model", "augment", "test_acc", "test_loss", "epochs", "seconds"},
                    "fashion-mnist",
                    "--model",
                    model,
                    "--epochs",
                    "1",
                    "--data",
                    fashion.toString(),
                    "--out",
                    out.toString(),
                    "--batch-size",
                    "50");
            String augment = model.equals("cnn-bn") ? "flip-crop" : "none";
            assertTrue(r.lastLine().startsWith("result: model=" + model + " augment=" + augment + " "), r.lastLine());
            assertTrue(r.out.contains("100 training and 100 test images"), r.out);
            png(out.resolve("fashion-mnist-" + model + "-history.png"));
        }
    }

    @Test
    void fashionMnistAugmentationAndDropoutOptions() throws Exception {
        Cli r = runExpecting(
                new String[] {"model", "augment", "test_acc", "test_loss", "epochs", "seconds"},
                "fashion-mnist",
                "--model",
                "cnn-bn",
                "--augment",
                "flip",
                "--dropout",
                "0.5",
                "--epochs",
                "1",
                "--data",
                fashion.toString(),
                "--batch-size",
                "50");
        assertTrue(r.lastLine().startsWith("result: model=cnn-bn augment=flip "), r.lastLine());
        Cli bad = Cli.run("fashion-mnist", "--dropout", "1.5", "--data", fashion.toString());
        assertTrue(bad.exitCode != 0 && bad.err.contains("--dropout must be in [0, 1), got 1.5"), bad.err);
        Cli badAug = Cli.run("fashion-mnist", "--augment", "rotate", "--data", fashion.toString());
        assertTrue(badAug.exitCode != 0 && badAug.err.contains("unknown augmentation 'rotate'"), badAug.err);
    }

    @Test
    void autoencoderKinds() throws Exception {
        for (String kind : new String[] {"dense", "conv", "denoising", "variational"}) {
            Path out = tmp.resolve("ae-" + kind);
            String[] keys = kind.equals("denoising")
                    ? new String[] {"kind", "test_mse", "test_loss", "noisy_input_mse", "epochs", "seconds"}
                    : new String[] {"kind", "test_mse", "test_loss", "epochs", "seconds"};
            runExpecting(
                    keys,
                    "autoencoder",
                    "--kind",
                    kind,
                    "--epochs",
                    "1",
                    "--data",
                    fashion.toString(),
                    "--out",
                    out.toString());
            BufferedImage grid = png(out.resolve("autoencoder-" + kind + ".png"));
            // 12 images of 28x28 pixels enlarged 3 times per row, with 2-pixel borders
            assertEquals(2 + 12 * (84 + 2), grid.getWidth());
            int rows = kind.equals("dense") || kind.equals("conv") ? 2 : kind.equals("denoising") ? 3 : 4;
            assertEquals(2 + rows * (84 + 2), grid.getHeight(), kind);
        }
    }

    @Test
    void mcDropout() {
        Cli r = runExpecting(
                new String[] {
                    "test_acc",
                    "entropy_test",
                    "entropy_noise",
                    "entropy_digits",
                    "std_test",
                    "std_noise",
                    "std_digits",
                    "passes",
                    "epochs",
                    "seconds"
                },
                "mc-dropout",
                "--epochs",
                "1",
                "--passes",
                "3",
                "--samples",
                "20",
                "--data",
                fashion.toString());
        assertTrue(r.out.contains("uniform noise (20)"), r.out);
        assertTrue(r.out.contains("UCI digits 28x28 (20)"), r.out);
    }

    @Test
    void backstitch() {
        Cli r = runExpecting(
                new String[] {
                    "sgd_acc",
                    "backstitch_acc",
                    "sgd_seconds",
                    "backstitch_seconds",
                    "seeds",
                    "train_size",
                    "epochs",
                    "seconds"
                },
                "backstitch",
                "--epochs",
                "1",
                "--seeds",
                "2",
                "--train-size",
                "60",
                "--data",
                fashion.toString());
        assertTrue(r.out.contains("Backstitch beats SGD on"), r.out);
        assertTrue(r.lastLine().contains(" seeds=2 train_size=60 epochs=1 "), r.lastLine());
    }

    @Test
    void charLstm() throws Exception {
        Path out = tmp.resolve("lstm");
        Cli r = runExpecting(
                new String[] {"val_loss", "train_loss", "steps", "seconds"},
                "char-lstm",
                "--steps",
                "4",
                "--eval-every",
                "2",
                "--hidden",
                "16",
                "--batch-size",
                "4",
                "--seq-len",
                "16",
                "--sample-length",
                "30",
                "--data",
                shakespeare.toString(),
                "--out",
                out.toString());
        assertTrue(r.out.contains("step 2 train "), r.out);
        assertTrue(r.out.contains("step 4 train "), r.out);
        assertTrue(r.out.contains("--- sample (temperature 0.8) ---\nROMEO:"), r.out);
        png(out.resolve("char-lstm-history.png"));
    }

    @Test
    void transformer() {
        Cli r = runExpecting(
                new String[] {"val_loss", "train_loss", "steps", "params", "seconds"},
                "transformer",
                "--steps",
                "3",
                "--eval-every",
                "3",
                "--layers",
                "1",
                "--d-model",
                "16",
                "--heads",
                "2",
                "--context",
                "16",
                "--batch-size",
                "4",
                "--sample-length",
                "30",
                "--data",
                shakespeare.toString());
        assertTrue(r.out.contains("--- sample (temperature 0.8) ---\nROMEO:"), r.out);
    }

    @Test
    void word2vec() {
        Cli r = runExpecting(
                new String[] {"loss", "related_cos", "random_cos", "vocab", "epochs", "seconds"},
                "word2vec",
                "--epochs",
                "1",
                "--dim",
                "8",
                "--min-count",
                "2",
                "--words",
                "citizen,zzzz",
                "--data",
                shakespeare.toString());
        assertTrue(r.out.contains("citizen    -> "), r.out);
        assertTrue(r.out.contains("zzzz       (not in the vocabulary)"), r.out);
    }

    @Test
    void timeseries() throws Exception {
        Path out = tmp.resolve("ts");
        runExpecting(
                new String[] {"test_rmse", "naive_rmse", "noise_std", "epochs", "seconds"},
                "timeseries",
                "--epochs",
                "1",
                "--length",
                "200",
                "--window",
                "10",
                "--hidden",
                "4",
                "--out",
                out.toString());
        assertEquals(1000, png(out.resolve("timeseries-forecast.png")).getWidth());
    }

    @Test
    void rbm() throws Exception {
        Path out = tmp.resolve("rbm");
        Cli r = runExpecting(
                new String[] {"rbm_acc", "raw_acc", "epochs", "seconds"},
                "rbm",
                "--epochs",
                "1",
                "--hidden",
                "20",
                "--logistic-epochs",
                "2",
                "--out",
                out.toString());
        assertTrue(r.out.contains("8985") || r.out.contains("7188 training and 1797 test"), r.out);
        assertTrue(r.out.contains("epoch 1: reconstruction error "), r.out);
        // 20 filters of 8x8 pixels at scale 4, 10 per row: 2 + 10 * (32 + 2) wide
        assertEquals(342, png(out.resolve("rbm_filters.png")).getWidth());
    }

    @Test
    void dbn() {
        Cli r = runExpecting(
                new String[] {"labels", "seeds", "dbn_acc", "dbn_std", "random_acc", "random_std", "epochs", "seconds"},
                "dbn",
                "--epochs",
                "1",
                "--seeds",
                "2",
                "--labels",
                "20",
                "--hidden",
                "16,8",
                "--pretrain-epochs",
                "1",
                "--unlabelled",
                "64",
                "--test-size",
                "32",
                "--data",
                fashion.toString());
        assertTrue(r.out.contains("[784, 16, 8] pretrained on 64 unlabelled images"), r.out);
        assertTrue(r.out.contains("seed 2: DBN-initialized "), r.out);
        assertTrue(r.lastLine().contains("labels=20 seeds=2 "), r.lastLine());
    }

    @Test
    void som() throws Exception {
        Path out = tmp.resolve("som");
        Cli r = runExpecting(
                new String[] {"dataset", "qe", "te", "purity", "acc", "grid", "topology", "mode", "epochs", "seconds"},
                "som",
                "--epochs",
                "2",
                "--out",
                out.toString());
        assertTrue(r.lastLine().startsWith("result: dataset=iris "), r.lastLine());
        assertTrue(r.out.contains("120 training and 30 test samples of 4 features; 6x9 hexagonal grid"), r.out);
        png(out.resolve("som-iris-umatrix.png"));
        png(out.resolve("som-iris-components.png"));
        Cli d = runExpecting(
                new String[] {"dataset", "qe", "te", "purity", "acc", "grid", "topology", "mode", "epochs", "seconds"},
                "som",
                "--dataset",
                "digits",
                "--grid",
                "4x5",
                "--topology",
                "rectangular",
                "--mode",
                "batch",
                "--neighborhood",
                "bubble",
                "--init",
                "random",
                "--epochs",
                "2");
        assertTrue(
                d.lastLine().startsWith("result: dataset=digits ")
                        && d.lastLine().contains(" grid=4x5 topology=rectangular mode=batch "),
                d.lastLine());
        Cli bad = Cli.run("som", "--topology", "triangle");
        assertTrue(bad.exitCode != 0 && bad.err.contains("--topology: unknown value 'triangle'"), bad.err);
        Cli badRadius = Cli.run("som", "--radius", "0,0");
        assertTrue(badRadius.exitCode != 0 && badRadius.err.contains("radius needs 0 < end <= start"), badRadius.err);
    }

    @Test
    void rbfn() throws Exception {
        Cli r = runExpecting(
                new String[] {"dataset", "acc", "mlp_acc", "e2e_acc", "units", "epochs", "seconds"},
                "rbfn",
                "--epochs",
                "2",
                "--e2e-epochs",
                "1");
        assertTrue(r.lastLine().startsWith("result: dataset=iris "), r.lastLine());
        runExpecting(
                new String[] {"dataset", "acc", "mlp_acc", "units", "epochs", "seconds"},
                "rbfn",
                "--dataset",
                "digits",
                "--units",
                "20",
                "--epochs",
                "1",
                "--e2e-epochs",
                "0");
        Path out = tmp.resolve("rbfn");
        Cli s = runExpecting(
                new String[] {"dataset", "rmse", "noise", "rmse_f", "e2e_rmse", "units", "seconds"},
                "rbfn",
                "--dataset",
                "sine",
                "--samples",
                "40",
                "--units",
                "8",
                "--e2e-epochs",
                "2",
                "--out",
                out.toString());
        assertTrue(s.lastLine().contains(" noise=0.2000 "), s.lastLine());
        assertEquals(900, png(out.resolve("rbfn-sine.png")).getWidth());
        Cli bad = Cli.run("rbfn", "--dataset", "mnist");
        assertTrue(bad.exitCode != 0 && bad.err.contains("unknown data set 'mnist'"), bad.err);
    }

    @Test
    void gan() throws Exception {
        String[] keys = {
            "loss",
            "epochs",
            "min_class_share",
            "max_class_share",
            "fid",
            "fid_floor",
            "fid_ceiling",
            "classifier_acc",
            "seconds"
        };
        for (String loss : new String[] {"bce", "wgan-gp"}) {
            Path out = tmp.resolve("gan-" + loss);
            Cli r = runExpecting(
                    keys,
                    "gan",
                    "--loss",
                    loss,
                    "--epochs",
                    "1",
                    "--train-size",
                    "64",
                    "--batch-size",
                    "32",
                    "--samples",
                    "100",
                    "--test-size",
                    "100",
                    "--classifier-epochs",
                    "1",
                    "--critic-steps",
                    "1",
                    "--data",
                    fashion.toString(),
                    "--out",
                    out.toString());
            assertTrue(r.lastLine().startsWith("result: loss=" + loss + " epochs=1 "), r.lastLine());
            assertTrue(r.out.contains("classifier: trained the fashion-mnist cnn for 1 epochs on 100 images"), r.out);
            // 64 fixed samples, 8 per row, 28x28 pixels enlarged twice, 2-pixel borders
            BufferedImage grid = png(out.resolve("gan-" + loss + "-epoch-01.png"));
            assertEquals(2 + 8 * (56 + 2), grid.getWidth());
            assertEquals(2 + 8 * (56 + 2), grid.getHeight());
            png(out.resolve("gan-" + loss + "-history.png"));
            // a second run loads the cached classifier and continues from the checkpoint
            Cli again = runExpecting(
                    keys,
                    "gan",
                    "--loss",
                    loss,
                    "--epochs",
                    "2",
                    "--resume",
                    "--train-size",
                    "64",
                    "--batch-size",
                    "32",
                    "--samples",
                    "100",
                    "--test-size",
                    "100",
                    "--classifier-epochs",
                    "1",
                    "--critic-steps",
                    "1",
                    "--data",
                    fashion.toString(),
                    "--out",
                    out.toString());
            assertTrue(again.out.contains("classifier: loaded "), again.out);
            assertTrue(again.out.contains("after epoch 1"), again.out);
            assertTrue(again.out.contains("epoch 2: ") && !again.out.contains("epoch 1: "), again.out);
            png(out.resolve("gan-" + loss + "-epoch-02.png"));
        }
        Cli bad = Cli.run("gan", "--loss", "lsgan", "--data", fashion.toString());
        assertTrue(bad.exitCode != 0 && bad.err.contains("--loss must be bce or wgan-gp, got 'lsgan'"), bad.err);
        Cli badSteps = Cli.run("gan", "--critic-steps", "0", "--data", fashion.toString());
        assertTrue(
                badSteps.exitCode != 0 && badSteps.err.contains("--critic-steps must be at least 1, got 0"),
                badSteps.err);
    }

    @Test
    void exportWritesTheOnnxFileAndSamplesThenReloadsItsCheckpoint() throws Exception {
        for (String model : new String[] {"mlp", "cnn", "lstm"}) {
            Path out = tmp.resolve("export-" + model);
            Cli r = Cli.run(
                    "export",
                    "--model",
                    model,
                    "--epochs",
                    "1",
                    "--train-size",
                    "60",
                    "--test-size",
                    "40",
                    "--batch-size",
                    "20",
                    "--data",
                    fashion.toString(),
                    "--out",
                    out.toString());
            assertEquals(0, r.exitCode, r.err);
            String re =
                    "result: file=" + Pattern.quote(out.resolve("model.onnx").toString()) + " opset=17 model=" + model
                            + " test_acc=" + NUM + " epochs=1 seconds=" + NUM;
            assertTrue(Pattern.matches(re, r.lastLine()), r.lastLine());
            png(out.resolve("export-" + model + "-history.png"));
            byte[] onnx = Files.readAllBytes(out.resolve("model.onnx"));
            assertTrue(onnx.length > 1000, "model.onnx has " + onnx.length + " bytes");
            Tensor in = Npy.read(out.resolve("sample_input.npy"));
            Tensor logits = Npy.read(out.resolve("sample_output.npy"));
            assertEquals(DType.FLOAT32, in.dtype());
            assertTrue(Arrays.equals(new int[] {16, 1, 28, 28}, in.shape()), Arrays.toString(in.shape()));
            assertTrue(Arrays.equals(new int[] {16, 10}, logits.shape()), Arrays.toString(logits.shape()));
            // the weights saved next to the file export the same model again, without training
            Path again = tmp.resolve("export-" + model + "-again");
            Cli c = Cli.run(
                    "export",
                    "--model",
                    model,
                    "--checkpoint",
                    out.resolve("model.safetensors").toString(),
                    "--test-size",
                    "40",
                    "--data",
                    fashion.toString(),
                    "--out",
                    again.toString());
            assertEquals(0, c.exitCode, c.err);
            assertTrue(c.lastLine().contains(" epochs=0 "), c.lastLine());
            assertTrue(
                    Arrays.equals(onnx, Files.readAllBytes(again.resolve("model.onnx"))),
                    "the same weights give the same file");
            assertTrue(Arrays.equals(
                    logits.toFloatArray(),
                    Npy.read(again.resolve("sample_output.npy")).toFloatArray()));
        }
        Cli noOut = Cli.run("export", "--data", fashion.toString());
        assertTrue(noOut.exitCode != 0 && noOut.err.contains("--out DIR"), noOut.err);
        Cli wrongModel = Cli.run(
                "export",
                "--model",
                "lstm",
                "--checkpoint",
                tmp.resolve("export-cnn/model.safetensors").toString(),
                "--data",
                fashion.toString(),
                "--out",
                tmp.resolve("export-wrong").toString());
        assertTrue(wrongModel.exitCode != 0 && wrongModel.err.contains("does not match"), wrongModel.err);
    }

    @Test
    void neat() throws Exception {
        Path out = tmp.resolve("neat");
        Cli r = runExpecting(
                new String[] {"task", "runs", "solved", "mean_generations", "mean_evaluations", "mean_hidden", "seconds"
                },
                "neat",
                "--task",
                "xor",
                "--runs",
                "2",
                "--out",
                out.toString());
        assertTrue(r.lastLine().startsWith("result: task=xor runs=2 solved=2 "), r.lastLine());
        assertTrue(png(out.resolve("neat_xor_best.png")).getWidth() == 640);
        assertTrue(java.nio.file.Files.readString(out.resolve("neat_xor_best.json"))
                .contains("jgrad-neat-genome"));
        runExpecting(
                new String[] {"task", "runs", "solved", "mean_evaluations", "mean_generations", "mean_hidden", "seconds"
                },
                "neat",
                "--task",
                "double-pole",
                "--runs",
                "1",
                "--steps",
                "500",
                "--epochs",
                "30");
        assertEquals(2, Cli.run("neat", "--task", "triple-pole").exitCode);
    }

    @Test
    void hyperneat() throws Exception {
        Path out = tmp.resolve("hyperneat");
        Cli r = runExpecting(
                new String[] {
                    "task",
                    "runs",
                    "solved",
                    "mean_distance",
                    "success",
                    "generations",
                    "mean_distance_33",
                    "success_33",
                    "seconds"
                },
                "hyperneat",
                "--runs",
                "1",
                "--epochs",
                "2",
                "--population",
                "20",
                "--scales",
                "3",
                "--out",
                out.toString());
        assertTrue(r.lastLine().startsWith("result: task=boxes runs=1 "), r.lastLine());
        assertEquals(640, png(out.resolve("hyperneat_boxes_cppn.png")).getWidth());
        assertEquals(
                2 + 11 * (44 + 2),
                png(out.resolve("hyperneat_boxes_weights.png")).getWidth());
        assertTrue(png(out.resolve("hyperneat_boxes_fields.png")).getWidth() > 4 * 165);
        assertTrue(java.nio.file.Files.readString(out.resolve("hyperneat_boxes_cppn.json"))
                .contains("\"activation\": \"tanh\""));
        assertEquals(2, Cli.run("hyperneat", "--scales", "2").exitCode);
        assertEquals(2, Cli.run("hyperneat", "--runs", "0").exitCode);
    }

    @Test
    void dqn() throws Exception {
        Path out = tmp.resolve("dqn");
        runExpecting(
                new String[] {"seeds", "solved", "mean_episodes", "seconds"},
                "dqn",
                "--seeds",
                "2",
                "--epochs",
                "4",
                "--max-steps",
                "20",
                "--learning-starts",
                "10",
                "--hidden",
                "8",
                "--batch-size",
                "8",
                "--out",
                out.toString());
        assertEquals(900, png(out.resolve("dqn_learning_curve.png")).getWidth());
        assertEquals(2, Cli.run("dqn", "--seeds", "0").exitCode);
        assertEquals(2, Cli.run("dqn", "--gamma", "2").exitCode);
    }

    @Test
    void siamese() throws Exception {
        String[] keys = {"loss", "auc", "knn_acc", "raw_knn_acc", "epochs", "seconds"};
        for (String loss : new String[] {"contrastive", "triplet"}) {
            Path out = tmp.resolve("siamese-" + loss);
            Cli r = runExpecting(
                    keys,
                    "siamese",
                    "--loss",
                    loss,
                    "--epochs",
                    "1",
                    "--batch-size",
                    "16",
                    "--per-class",
                    "4",
                    "--pairs",
                    "200",
                    "--data",
                    fashion.toString(),
                    "--out",
                    out.toString());
            assertTrue(r.lastLine().startsWith("result: loss=" + loss + " "), r.lastLine());
            assertTrue(r.out.contains("verification ROC-AUC on 200 test pairs"), r.out);
            assertEquals(900, png(out.resolve("siamese-" + loss + "-pca.png")).getWidth());
        }
        Cli hard = runExpecting(
                keys,
                "siamese",
                "--loss",
                "triplet",
                "--mining",
                "hard",
                "--epochs",
                "1",
                "--batch-size",
                "16",
                "--per-class",
                "4",
                "--pairs",
                "200",
                "--data",
                fashion.toString());
        assertTrue(hard.out.contains("triplet loss on hard triplets"), hard.out);
        Cli bad = Cli.run(
                "siamese",
                "--loss",
                "triplet",
                "--mining",
                "hard",
                "--per-class",
                "16",
                "--batch-size",
                "16",
                "--data",
                fashion.toString());
        assertTrue(bad.exitCode == 2 && bad.err.contains("at least 2 classes per batch"), bad.err);
    }

    @Test
    void distill() {
        Cli r = runExpecting(
                new String[] {
                    "seeds",
                    "teacher_acc",
                    "student_acc",
                    "student_std",
                    "distilled_acc",
                    "distilled_std",
                    "teacher_params",
                    "student_params",
                    "teacher_ms",
                    "student_ms",
                    "epochs",
                    "seconds"
                },
                "distill",
                "--epochs",
                "1",
                "--teacher-epochs",
                "1",
                "--seeds",
                "2",
                "--hidden",
                "8",
                "--data",
                fashion.toString());
        assertTrue(r.lastLine().startsWith("result: seeds=2 "), r.lastLine());
        assertTrue(r.lastLine().contains(" student_params=" + (784 * 8 + 8 + 8 * 10 + 10) + " "), r.lastLine());
        Cli bad = Cli.run("distill", "--alpha", "2", "--data", fashion.toString());
        assertTrue(bad.exitCode == 2 && bad.err.contains("--alpha in [0, 1]"), bad.err);
    }

    @Test
    void prune() throws Exception {
        String[] keys = {"dense_acc", "acc_50", "acc_80", "acc_90", "acc_95", "schedule", "scope", "epochs", "seconds"};
        Path out = tmp.resolve("prune");
        Cli r = runExpecting(
                keys,
                "prune",
                "--epochs",
                "1",
                "--finetune-epochs",
                "1",
                "--data",
                fashion.toString(),
                "--out",
                out.toString());
        assertTrue(r.out.contains("reloaded with its masks: sparsity 90.0%"), r.out);
        assertTrue(r.out.contains("90% model after removePruning: sparsity 90.0%"), r.out);
        assertEquals(800, png(out.resolve("prune-accuracy.png")).getWidth());
        Cli once = runExpecting(
                keys,
                "prune",
                "--epochs",
                "1",
                "--schedule",
                "oneshot",
                "--scope",
                "layerwise",
                "--data",
                fashion.toString());
        assertTrue(once.out.contains("95.0%         95.0%     95.0%     95.0%     95.0%"), once.out);
        Cli bad = Cli.run("prune", "--scope", "random", "--data", fashion.toString());
        assertTrue(bad.exitCode == 2 && bad.err.contains("--scope must be global or layerwise"), bad.err);
    }

    @Test
    void transfer() {
        Cli r = runExpecting(
                new String[] {
                    "seeds",
                    "extract_acc",
                    "finetune_acc",
                    "scratch_acc",
                    "extract_std",
                    "finetune_std",
                    "scratch_std",
                    "per_class",
                    "epochs",
                    "seconds"
                },
                "transfer",
                "--epochs",
                "1",
                "--finetune-epochs",
                "1",
                "--seeds",
                "2",
                "--per-class",
                "3",
                "--data",
                fashion.toString());
        assertTrue(r.out.contains("(15 images): extract "), r.out);
        assertTrue(r.lastLine().startsWith("result: seeds=2 "), r.lastLine());
        Cli bad = Cli.run("transfer", "--body-lr-factor", "0", "--data", fashion.toString());
        assertTrue(bad.exitCode == 2 && bad.err.contains("--body-lr-factor positive"), bad.err);
    }

    @Test
    void quantize() throws Exception {
        Path out = tmp.resolve("quantize");
        Cli r = runExpecting(
                new String[] {
                    "float_acc",
                    "int8_acc",
                    "float_bytes",
                    "int8_bytes",
                    "float_ms",
                    "int8_ms",
                    "float_ms_256",
                    "int8_ms_256",
                    "epochs",
                    "seconds"
                },
                "quantize",
                "--epochs",
                "1",
                "--reps",
                "3",
                "--data",
                fashion.toString(),
                "--out",
                out.toString());
        assertTrue(r.out.contains("  batch 100: float "), r.out);
        long floatBytes = java.nio.file.Files.size(out.resolve("quantize-float.safetensors"));
        long int8Bytes = java.nio.file.Files.size(out.resolve("quantize-int8.safetensors"));
        assertTrue(
                r.lastLine().contains(" float_bytes=" + floatBytes + " int8_bytes=" + int8Bytes + " "), r.lastLine());
        assertTrue(int8Bytes < 0.3 * floatBytes, int8Bytes + " vs " + floatBytes);
        assertEquals(2, Cli.run("quantize", "--reps", "0").exitCode);
    }

    @Test
    void fashionMnistResNet() throws Exception {
        Path out = tmp.resolve("fm-resnet");
        Cli r = runExpecting(
                new String[] {"model", "augment", "test_acc", "test_loss", "epochs", "seconds"},
                "fashion-mnist",
                "--model",
                "resnet",
                "--width",
                "4",
                "--epochs",
                "1",
                "--data",
                fashion.toString(),
                "--out",
                out.toString(),
                "--batch-size",
                "50");
        assertTrue(r.lastLine().startsWith("result: model=resnet augment=flip-crop "), r.lastLine());
        png(out.resolve("fashion-mnist-resnet-history.png"));
        Cli bad = Cli.run("fashion-mnist", "--model", "resnet", "--depth", "10", "--data", fashion.toString());
        assertEquals(2, bad.exitCode);
        assertTrue(bad.err.contains("6n + 2"), bad.err);
        Cli drop = Cli.run("fashion-mnist", "--model", "resnet", "--dropout", "0.1", "--data", fashion.toString());
        assertTrue(drop.exitCode == 2 && drop.err.contains("--dropout is not used by the resnet model"), drop.err);
    }

    @Test
    void segmentation() throws Exception {
        Path out = tmp.resolve("segmentation");
        Cli r = runExpecting(
                new String[] {"miou", "pixel_acc", "epochs", "seconds"},
                "segmentation",
                "--train-size",
                "16",
                "--test-size",
                "8",
                "--size",
                "16",
                "--depth",
                "2",
                "--width",
                "2",
                "--epochs",
                "1",
                "--out",
                out.toString());
        assertTrue(r.out.contains("IoU per class: background "), r.out);
        BufferedImage grid = png(out.resolve("segmentation.png"));
        // rows: inputs, true masks, predicted masks; 8 images of 16 pixels enlarged 3 times, 2-pixel borders
        assertEquals(2 + 8 * (16 * 3 + 2), grid.getWidth());
        assertEquals(2 + 3 * (16 * 3 + 2), grid.getHeight());
        png(out.resolve("segmentation-history.png"));
        Cli bad = Cli.run("segmentation", "--size", "20", "--depth", "3");
        assertEquals(2, bad.exitCode);
        assertTrue(bad.err.contains("multiple of 2^depth = 8, got 20"), bad.err);
    }

    @Test
    void seq2seqBothModels() throws Exception {
        for (String model : new String[] {"lstm", "transformer"}) {
            Path out = tmp.resolve("seq2seq-" + model);
            Cli r = runExpecting(
                    new String[] {"model", "exact_match", "beam_exact_match", "epochs", "seconds"},
                    "seq2seq",
                    "--model",
                    model,
                    "--train-size",
                    "64",
                    "--test-size",
                    "16",
                    "--beam-size",
                    "4",
                    "--batch-size",
                    "32",
                    "--epochs",
                    "1",
                    "--out",
                    out.toString());
            assertTrue(r.lastLine().startsWith("result: model=" + model + " "), r.lastLine());
            assertTrue(r.out.contains("held-out examples: "), r.out);
            png(out.resolve("seq2seq-" + model + "-history.png"));
        }
        Cli bad = Cli.run("seq2seq", "--digits", "1", "--train-size", "60");
        assertEquals(2, bad.exitCode);
        assertTrue(bad.err.contains("too many for 1-digit operands"), bad.err);
        assertEquals(2, Cli.run("seq2seq", "--model", "gru").exitCode);
    }
}
