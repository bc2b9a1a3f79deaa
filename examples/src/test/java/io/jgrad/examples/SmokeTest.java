package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
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
            Cli r = runExpecting(new String[] {"model", "augment", "test_acc", "test_loss", "epochs", "seconds"}, "fashion-mnist",
                    "--model", model, "--epochs", "1", "--data", fashion.toString(), "--out", out.toString(), "--batch-size", "50");
            String augment = model.equals("cnn-bn") ? "flip-crop" : "none";
            assertTrue(r.lastLine().startsWith("result: model=" + model + " augment=" + augment + " "), r.lastLine());
            assertTrue(r.out.contains("100 training and 100 test images"), r.out);
            png(out.resolve("fashion-mnist-" + model + "-history.png"));
        }
    }

    @Test
    void fashionMnistAugmentationAndDropoutOptions() throws Exception {
        Cli r = runExpecting(new String[] {"model", "augment", "test_acc", "test_loss", "epochs", "seconds"}, "fashion-mnist",
                "--model", "cnn-bn", "--augment", "flip", "--dropout", "0.5", "--epochs", "1", "--data", fashion.toString(),
                "--batch-size", "50");
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
            runExpecting(keys, "autoencoder", "--kind", kind, "--epochs", "1", "--data", fashion.toString(), "--out",
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
        Cli r = runExpecting(new String[] {"test_acc", "entropy_test", "entropy_noise", "entropy_digits", "std_test", "std_noise",
            "std_digits", "passes", "epochs", "seconds"}, "mc-dropout", "--epochs", "1", "--passes", "3", "--samples", "20",
                "--data", fashion.toString());
        assertTrue(r.out.contains("uniform noise (20)"), r.out);
        assertTrue(r.out.contains("UCI digits 28x28 (20)"), r.out);
    }

    @Test
    void backstitch() {
        Cli r = runExpecting(new String[] {"sgd_acc", "backstitch_acc", "sgd_seconds", "backstitch_seconds", "seeds", "train_size",
            "epochs", "seconds"}, "backstitch", "--epochs", "1", "--seeds", "2", "--train-size", "60", "--data", fashion.toString());
        assertTrue(r.out.contains("Backstitch beats SGD on"), r.out);
        assertTrue(r.lastLine().contains(" seeds=2 train_size=60 epochs=1 "), r.lastLine());
    }

    @Test
    void charLstm() throws Exception {
        Path out = tmp.resolve("lstm");
        Cli r = runExpecting(new String[] {"val_loss", "train_loss", "steps", "seconds"}, "char-lstm", "--steps", "4",
                "--eval-every", "2", "--hidden", "16", "--batch-size", "4", "--seq-len", "16", "--sample-length", "30",
                "--data", shakespeare.toString(), "--out", out.toString());
        assertTrue(r.out.contains("step 2 train "), r.out);
        assertTrue(r.out.contains("step 4 train "), r.out);
        assertTrue(r.out.contains("--- sample (temperature 0.8) ---\nROMEO:"), r.out);
        png(out.resolve("char-lstm-history.png"));
    }

    @Test
    void transformer() {
        Cli r = runExpecting(new String[] {"val_loss", "train_loss", "steps", "params", "seconds"}, "transformer", "--steps", "3",
                "--eval-every", "3", "--layers", "1", "--d-model", "16", "--heads", "2", "--context", "16", "--batch-size", "4",
                "--sample-length", "30", "--data", shakespeare.toString());
        assertTrue(r.out.contains("--- sample (temperature 0.8) ---\nROMEO:"), r.out);
    }

    @Test
    void word2vec() {
        Cli r = runExpecting(new String[] {"loss", "related_cos", "random_cos", "vocab", "epochs", "seconds"}, "word2vec",
                "--epochs", "1", "--dim", "8", "--min-count", "2", "--words", "citizen,zzzz", "--data", shakespeare.toString());
        assertTrue(r.out.contains("citizen    -> "), r.out);
        assertTrue(r.out.contains("zzzz       (not in the vocabulary)"), r.out);
    }

    @Test
    void timeseries() throws Exception {
        Path out = tmp.resolve("ts");
        runExpecting(new String[] {"test_rmse", "naive_rmse", "noise_std", "epochs", "seconds"}, "timeseries", "--epochs", "1",
                "--length", "200", "--window", "10", "--hidden", "4", "--out", out.toString());
        assertEquals(1000, png(out.resolve("timeseries-forecast.png")).getWidth());
    }

    @Test
    void rbm() throws Exception {
        Path out = tmp.resolve("rbm");
        Cli r = runExpecting(new String[] {"rbm_acc", "raw_acc", "epochs", "seconds"}, "rbm", "--epochs", "1",
                "--hidden", "20", "--logistic-epochs", "2", "--out", out.toString());
        assertTrue(r.out.contains("8985") || r.out.contains("7188 training and 1797 test"), r.out);
        assertTrue(r.out.contains("epoch 1: reconstruction error "), r.out);
        // 20 filters of 8x8 pixels at scale 4, 10 per row: 2 + 10 * (32 + 2) wide
        assertEquals(342, png(out.resolve("rbm_filters.png")).getWidth());
    }

    @Test
    void dbn() {
        Cli r = runExpecting(new String[] {"labels", "seeds", "dbn_acc", "dbn_std", "random_acc", "random_std", "epochs", "seconds"},
                "dbn", "--epochs", "1", "--seeds", "2", "--labels", "20", "--hidden", "16,8", "--pretrain-epochs", "1",
                "--unlabelled", "64", "--test-size", "32", "--data", fashion.toString());
        assertTrue(r.out.contains("[784, 16, 8] pretrained on 64 unlabelled images"), r.out);
        assertTrue(r.out.contains("seed 2: DBN-initialized "), r.out);
        assertTrue(r.lastLine().contains("labels=20 seeds=2 "), r.lastLine());
    }

    @Test
    void som() throws Exception {
        Path out = tmp.resolve("som");
        Cli r = runExpecting(new String[] {"dataset", "qe", "te", "purity", "acc", "grid", "topology", "mode", "epochs", "seconds"},
                "som", "--epochs", "2", "--out", out.toString());
        assertTrue(r.lastLine().startsWith("result: dataset=iris "), r.lastLine());
        assertTrue(r.out.contains("120 training and 30 test samples of 4 features; 6x9 hexagonal grid"), r.out);
        png(out.resolve("som-iris-umatrix.png"));
        png(out.resolve("som-iris-components.png"));
        Cli d = runExpecting(new String[] {"dataset", "qe", "te", "purity", "acc", "grid", "topology", "mode", "epochs", "seconds"},
                "som", "--dataset", "digits", "--grid", "4x5", "--topology", "rectangular", "--mode", "batch", "--neighborhood",
                "bubble", "--init", "random", "--epochs", "2");
        assertTrue(d.lastLine().startsWith("result: dataset=digits ") && d.lastLine().contains(" grid=4x5 topology=rectangular mode=batch "),
                d.lastLine());
        Cli bad = Cli.run("som", "--topology", "triangle");
        assertTrue(bad.exitCode != 0 && bad.err.contains("--topology: unknown value 'triangle'"), bad.err);
        Cli badRadius = Cli.run("som", "--radius", "0,0");
        assertTrue(badRadius.exitCode != 0 && badRadius.err.contains("radius needs 0 < end <= start"), badRadius.err);
    }

    @Test
    void rbfn() throws Exception {
        Cli r = runExpecting(new String[] {"dataset", "acc", "mlp_acc", "e2e_acc", "units", "epochs", "seconds"}, "rbfn", "--epochs", "2",
                "--e2e-epochs", "1");
        assertTrue(r.lastLine().startsWith("result: dataset=iris "), r.lastLine());
        runExpecting(new String[] {"dataset", "acc", "mlp_acc", "units", "epochs", "seconds"}, "rbfn", "--dataset", "digits",
                "--units", "20", "--epochs", "1", "--e2e-epochs", "0");
        Path out = tmp.resolve("rbfn");
        Cli s = runExpecting(new String[] {"dataset", "rmse", "noise", "rmse_f", "e2e_rmse", "units", "seconds"}, "rbfn", "--dataset",
                "sine", "--samples", "40", "--units", "8", "--e2e-epochs", "2", "--out", out.toString());
        assertTrue(s.lastLine().contains(" noise=0.2000 "), s.lastLine());
        assertEquals(900, png(out.resolve("rbfn-sine.png")).getWidth());
        Cli bad = Cli.run("rbfn", "--dataset", "mnist");
        assertTrue(bad.exitCode != 0 && bad.err.contains("unknown data set 'mnist'"), bad.err);
    }

    @Test
    void gan() throws Exception {
        String[] keys = {"loss", "epochs", "min_class_share", "max_class_share", "fid", "fid_floor", "fid_ceiling", "classifier_acc",
            "seconds"};
        for (String loss : new String[] {"bce", "wgan-gp"}) {
            Path out = tmp.resolve("gan-" + loss);
            Cli r = runExpecting(keys, "gan", "--loss", loss, "--epochs", "1", "--train-size", "64", "--batch-size", "32",
                    "--samples", "100", "--test-size", "100", "--classifier-epochs", "1", "--critic-steps", "1", "--data",
                    fashion.toString(), "--out", out.toString());
            assertTrue(r.lastLine().startsWith("result: loss=" + loss + " epochs=1 "), r.lastLine());
            assertTrue(r.out.contains("classifier: trained the fashion-mnist cnn for 1 epochs on 100 images"), r.out);
            // 64 fixed samples, 8 per row, 28x28 pixels enlarged twice, 2-pixel borders
            BufferedImage grid = png(out.resolve("gan-" + loss + "-epoch-01.png"));
            assertEquals(2 + 8 * (56 + 2), grid.getWidth());
            assertEquals(2 + 8 * (56 + 2), grid.getHeight());
            png(out.resolve("gan-" + loss + "-history.png"));
            // a second run loads the cached classifier and continues from the checkpoint
            Cli again = runExpecting(keys, "gan", "--loss", loss, "--epochs", "2", "--resume", "--train-size", "64", "--batch-size",
                    "32", "--samples", "100", "--test-size", "100", "--classifier-epochs", "1", "--critic-steps", "1", "--data",
                    fashion.toString(), "--out", out.toString());
            assertTrue(again.out.contains("classifier: loaded "), again.out);
            assertTrue(again.out.contains("after epoch 1"), again.out);
            assertTrue(again.out.contains("epoch 2: ") && !again.out.contains("epoch 1: "), again.out);
            png(out.resolve("gan-" + loss + "-epoch-02.png"));
        }
        Cli bad = Cli.run("gan", "--loss", "lsgan", "--data", fashion.toString());
        assertTrue(bad.exitCode != 0 && bad.err.contains("--loss must be bce or wgan-gp, got 'lsgan'"), bad.err);
        Cli badSteps = Cli.run("gan", "--critic-steps", "0", "--data", fashion.toString());
        assertTrue(badSteps.exitCode != 0 && badSteps.err.contains("--critic-steps must be at least 1, got 0"), badSteps.err);
    }

    @Test
    void neat() throws Exception {
        Path out = tmp.resolve("neat");
        Cli r = runExpecting(new String[] {"task", "runs", "solved", "mean_generations", "mean_evaluations", "mean_hidden", "seconds"},
                "neat", "--task", "xor", "--runs", "2", "--out", out.toString());
        assertTrue(r.lastLine().startsWith("result: task=xor runs=2 solved=2 "), r.lastLine());
        assertTrue(png(out.resolve("neat_xor_best.png")).getWidth() == 640);
        assertTrue(java.nio.file.Files.readString(out.resolve("neat_xor_best.json")).contains("jgrad-neat-genome"));
        runExpecting(new String[] {"task", "runs", "solved", "mean_evaluations", "mean_generations", "mean_hidden", "seconds"},
                "neat", "--task", "double-pole", "--runs", "1", "--steps", "500", "--epochs", "30");
        assertEquals(2, Cli.run("neat", "--task", "triple-pole").exitCode);
    }

    @Test
    void dqn() throws Exception {
        Path out = tmp.resolve("dqn");
        runExpecting(new String[] {"seeds", "solved", "mean_episodes", "seconds"}, "dqn", "--seeds", "2", "--epochs", "4",
                "--max-steps", "20", "--learning-starts", "10", "--hidden", "8", "--batch-size", "8", "--out", out.toString());
        assertEquals(900, png(out.resolve("dqn_learning_curve.png")).getWidth());
        assertEquals(2, Cli.run("dqn", "--seeds", "0").exitCode);
        assertEquals(2, Cli.run("dqn", "--gamma", "2").exitCode);
    }

    @Test
    void fashionMnistResNet() throws Exception {
        Path out = tmp.resolve("fm-resnet");
        Cli r = runExpecting(new String[] {"model", "augment", "test_acc", "test_loss", "epochs", "seconds"}, "fashion-mnist",
                "--model", "resnet", "--width", "4", "--epochs", "1", "--data", fashion.toString(), "--out", out.toString(),
                "--batch-size", "50");
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
        Cli r = runExpecting(new String[] {"miou", "pixel_acc", "epochs", "seconds"}, "segmentation", "--train-size", "16",
                "--test-size", "8", "--size", "16", "--depth", "2", "--width", "2", "--epochs", "1", "--out", out.toString());
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
            Cli r = runExpecting(new String[] {"model", "exact_match", "beam_exact_match", "epochs", "seconds"}, "seq2seq", "--model",
                    model, "--train-size", "64", "--test-size", "16", "--beam-size", "4", "--batch-size", "32", "--epochs", "1",
                    "--out", out.toString());
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
