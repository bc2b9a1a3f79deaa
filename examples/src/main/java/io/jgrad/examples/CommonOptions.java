package io.jgrad.examples;

import io.jgrad.core.kernel.Parallel;
import io.jgrad.train.History;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every example. */
public class CommonOptions {
    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: the example's own).")
    Integer epochs;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Folder holding the data set files (default: search "
                    + "/usr/share/datasets/<name>, ~/.jgrad/datasets/<name> and the current folder).")
    Path data;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Folder for the history CSV and the charts (default: none written).")
    Path out;

    /** Where the example prints: standard output as it was when the options were created. */
    PrintStream stdout = System.out;

    /** Applies the thread option and checks the others. */
    void apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new UsageError("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        if (epochs != null && epochs < 1) {
            throw new UsageError("--epochs must be at least 1, got " + epochs);
        }
    }

    int epochsOr(int dflt) {
        return epochs == null ? dflt : epochs;
    }

    /**
     * A file in the {@code --out} folder (created), or null without {@code --out}.
     *
     * @param name the file name
     */
    Path outFile(String name) throws IOException {
        if (out == null) {
            return null;
        }
        Files.createDirectories(out);
        return out.resolve(name);
    }

    /**
     * With {@code --out}, writes {@code <prefix>-history.csv} and {@code <prefix>-history.png}
     * (loss and, when recorded, accuracy: training against validation).
     */
    void writeHistory(History h, String prefix) throws IOException {
        writeHistory(h, prefix, null);
    }

    /** Like {@link #writeHistory(History, String)} with the chart's panels given. */
    void writeHistory(History h, String prefix, List<String> panels) throws IOException {
        Path csv = outFile(prefix + "-history.csv");
        if (csv == null || h.size() == 0) {
            return;
        }
        h.writeCsv(csv);
        Path png = outFile(prefix + "-history.png");
        if (panels == null) {
            h.writeChart(png, 800, 600);
        } else {
            h.writeChart(png, 800, 300 * panels.size(), panels);
        }
        stdout.println("wrote " + csv + " and " + png);
    }
}
