package io.jgrad.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The examples launcher: {@code java --add-modules jdk.incubator.vector -jar jgrad-examples.jar [EXAMPLE] [options]}.
 * Without an example name it runs {@code digits}.
 */
@Command(name = "jgrad-examples", mixinStandardHelpOptions = true, version = "jgrad examples 0.1.0",
        description = "Runs a jgrad example. Without an example name, runs 'digits'.",
        subcommands = {DigitsExample.class})
public final class Main implements Runnable {
    /** Entry point. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        if (args.length == 0 || args[0].startsWith("-") && !isHelp(args[0])) {
            String[] withDefault = new String[args.length + 1];
            withDefault[0] = "digits";
            System.arraycopy(args, 0, withDefault, 1, args.length);
            args = withDefault;
        }
        System.exit(cl.execute(args));
    }

    private static boolean isHelp(String a) {
        return a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
