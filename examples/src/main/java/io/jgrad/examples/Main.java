package io.jgrad.examples;

import io.jgrad.data.DatasetNotFoundException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples launcher: {@code java --add-modules jdk.incubator.vector -jar jgrad-examples.jar [EXAMPLE] [options]}.
 * Without an example name it runs {@code digits}.
 */
@Command(
        name = "jgrad-examples",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Runs a jgrad example. Without an example name, runs 'digits'.",
            "Every example accepts --epochs, --seed, --threads, --data DIR, --out DIR and --help, and ends "
                    + "with one line 'result: key=value ...'."
        },
        subcommands = {
            DigitsExample.class,
            FashionMnistExample.class,
            AutoencoderExample.class,
            McDropoutExample.class,
            BackstitchExample.class,
            Word2VecExample.class,
            CharLstmExample.class,
            TransformerExample.class,
            TimeseriesExample.class,
            RbmExample.class,
            DbnExample.class,
            SomExample.class,
            RbfnExample.class,
            GanExample.class,
            NeatExample.class,
            HyperNeatExample.class,
            DqnExample.class,
            SiameseExample.class,
            DistillExample.class,
            PruneExample.class,
            TransferExample.class,
            QuantizeExample.class,
            SegmentationExample.class,
            Seq2SeqExample.class,
            ExportExample.class
        })
public final class Main implements Runnable {
    /** The built version, from the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jgrad examples " + version(), "Java " + System.getProperty("java.version")};
        }

        /** The version the jar was built as, or "development build" when not run from a jar. */
        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "development build" : v;
        }
    }

    /** Exit code when a data set is not found. */
    static final int DATA_NOT_FOUND = 3;

    /**
     * Entry point.
     *
     * @param args the example's name and options
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @param args the example's name and options
     * @return the exit code: 0 on success, 2 for invalid options, 3 when a data set is missing, 1 otherwise
     */
    static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version()); // --version on every example too
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof DatasetNotFoundException) {
                err.println("error: " + ex.getMessage());
                err.flush();
                return DATA_NOT_FOUND;
            }
            if (ex instanceof UsageError) {
                err.println("error: " + ex.getMessage());
                err.flush();
                return cmd.getCommandSpec().exitCodeOnInvalidInput();
            }
            throw ex;
        });
        return cl.execute(withDefault(args));
    }

    /** Puts "digits" in front when no example is named (no arguments, or options only). */
    static String[] withDefault(String[] args) {
        if (args.length == 0 || (args[0].startsWith("-") && !isHelp(args[0]))) {
            String[] out = new String[args.length + 1];
            out[0] = "digits";
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return args;
    }

    private static boolean isHelp(String a) {
        return a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
