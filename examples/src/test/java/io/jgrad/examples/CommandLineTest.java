package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help of every example, and the message when a data set is missing. */
class CommandLineTest {
    static final String[] ALL = {
        "digits",
        "fashion-mnist",
        "autoencoder",
        "mc-dropout",
        "backstitch",
        "char-lstm",
        "transformer",
        "word2vec",
        "timeseries",
        "rbm",
        "dbn",
        "som",
        "rbfn",
        "gan",
        "neat",
        "hyperneat",
        "dqn",
        "siamese",
        "distill",
        "prune",
        "transfer",
        "quantize",
        "segmentation",
        "seq2seq",
        "export"
    };

    @TempDir
    Path tmp;

    @Test
    void everyExampleHasHelpWithTheCommonOptions() {
        for (String name : ALL) {
            Cli r = Cli.run(name, "--help");
            assertEquals(0, r.exitCode, name);
            assertTrue(r.out.startsWith("Usage: jgrad-examples " + name), r.out);
            for (String opt : new String[] {"--epochs", "--seed", "--threads", "--data", "--out", "--help"}) {
                assertTrue(r.out.contains(opt), name + " help lacks " + opt + ":\n" + r.out);
            }
        }
    }

    /**
     * Help prints without picocli's "Could not format" warning (an unescaped percent sign), and each
     * description element is a paragraph or a list item ("  name  text"), never a hard-wrapped line that
     * picocli's own wrapping would leave ragged.
     */
    @Test
    void helpHasNoFormatWarningsAndParagraphDescriptions() {
        picocli.CommandLine cl = new picocli.CommandLine(new Main());
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            String name = sub.getCommandName();
            Cli r = Cli.run(name, "--help");
            assertFalse(r.err.contains("WARN") || r.out.contains("WARN"), name + ":\n" + r.err);
            String[] desc = sub.getCommandSpec().usageMessage().description();
            for (int i = 0; i < desc.length; i++) {
                String d = desc[i];
                boolean listItem = d.startsWith("  ");
                boolean leadsIntoList = i + 1 < desc.length && desc[i + 1].startsWith("  ");
                assertTrue(
                        listItem || leadsIntoList || d.endsWith(".") || d.endsWith(":"),
                        name + ": description element " + i + " looks hard-wrapped: '" + d + "'");
            }
        }
        for (String name : ALL) {
            assertTrue(cl.getSubcommands().containsKey(name), name);
        }
    }

    @Test
    void versionOnTheLauncherAndEveryExample() {
        // run from the build's classes (no jar manifest): "development build"; the jar prints its version
        // (.ci/check-release.sh runs the packaged jar with --version)
        for (String[] args : new String[][] {{"--version"}, {"digits", "--version"}, {"rbm", "-V"}}) {
            Cli r = Cli.run(args);
            assertEquals(0, r.exitCode);
            assertTrue(r.out.startsWith("jgrad examples " + Main.Version.version()), r.out);
            assertTrue(r.out.contains("Java " + System.getProperty("java.version")), r.out);
        }
    }

    @Test
    void theLauncherListsEveryExample() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.exitCode);
        for (String name : ALL) {
            assertTrue(r.out.contains(name), "missing " + name + " in\n" + r.out);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fashion-mnist",
                "autoencoder",
                "mc-dropout",
                "backstitch",
                "gan",
                "siamese",
                "distill",
                "prune",
                "transfer",
                "quantize"
            })
    void fashionMnistMissingSaysWhereItLookedAndHowToGetIt(String example) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli r = Cli.run(example, "--data", empty.toString(), "--epochs", "1");
        assertEquals(Main.DATA_NOT_FOUND, r.exitCode, r.err);
        assertFalse(r.out.contains("result:"), r.out);
        assertTrue(
                r.err.startsWith("error: Data set 'fashion-mnist' not found in the folder given (" + empty + ")"),
                r.err);
        assertTrue(r.err.contains("train-images-idx3-ubyte"), r.err);
        assertTrue(r.err.contains("apt-get install dataset-fashion-mnist"), r.err);
        assertTrue(r.err.contains("https://github.com/zalandoresearch/fashion-mnist"), r.err);
        assertTrue(r.err.contains(empty.resolve("fashion-mnist").toString()), r.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"char-lstm", "transformer", "word2vec"})
    void tinyShakespeareMissingSaysWhereItLookedAndHowToGetIt(String example) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli r = Cli.run(example, "--data", empty.toString(), "--epochs", "1");
        assertEquals(Main.DATA_NOT_FOUND, r.exitCode, r.err);
        assertFalse(r.out.contains("result:"), r.out);
        assertTrue(
                r.err.startsWith("error: Data set 'tinyshakespeare' not found in the folder given (" + empty + ")"),
                r.err);
        assertTrue(r.err.contains("tinyshakespeare.txt"), r.err);
        assertTrue(
                r.err.contains("curl -L -o ~/.jgrad/datasets/tinyshakespeare/tinyshakespeare.txt"
                        + " https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
                r.err);
    }

    @Test
    void tinyShakespeareIsFoundInAFolderOrAsTheFileItself() throws Exception {
        Path file = TestData.shakespeareSlice(tmp);
        assertEquals(file, ExampleData.shakespeareFile(file));
        Path folder = Files.createDirectories(tmp.resolve("sets"));
        Files.copy(file, folder.resolve("tinyshakespeare.txt"));
        assertEquals(folder.resolve("tinyshakespeare.txt"), ExampleData.shakespeareFile(folder));
        Path nested = Files.createDirectories(tmp.resolve("all").resolve("tinyshakespeare"));
        Files.copy(file, nested.resolve("tinyshakespeare.txt"));
        assertEquals(nested.resolve("tinyshakespeare.txt"), ExampleData.shakespeareFile(tmp.resolve("all")));
        assertTrue(ExampleData.shakespeare(file).startsWith("First Citizen:"));
    }

    @Test
    void anUnknownModelIsAUsageError() {
        Cli r = Cli.run("fashion-mnist", "--model", "vgg");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("unknown model 'vgg' (expected mlp, cnn, cnn-bn or resnet)"), r.err);
    }
}
