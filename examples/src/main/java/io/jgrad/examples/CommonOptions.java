package io.jgrad.examples;

import io.jgrad.core.kernel.Parallel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every example. */
public class CommonOptions {
    @Option(names = "--epochs", description = "Training epochs (default: the example's own).")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--data", description = "Folder holding the data set files.")
    Path data;

    @Option(names = "--out", description = "Folder for the history CSV and charts.")
    Path out;

    /** Applies the thread option. */
    void apply() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }

    int epochsOr(int dflt) {
        return epochs == null ? dflt : epochs;
    }
}
