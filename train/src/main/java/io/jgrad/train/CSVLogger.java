package io.jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the training history to a CSV file after each epoch ({@link History#toCsv()}: a header
 * {@code epoch,loss,...} and one line per epoch), replacing the file atomically. A resumed run
 * writes the restored epochs too, so the file always holds the whole run.
 */
public final class CSVLogger implements Callback {
    private final Path path;

    /**
     * Logs to a file.
     *
     * @param path the CSV file
     */
    public CSVLogger(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("CSVLogger: path is null");
        }
        this.path = path;
    }

    /**
     * The file written.
     *
     * @return the CSV path
     */
    public Path path() {
        return path;
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        try {
            trainer.history().writeCsv(path);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: could not write " + path + ": " + e.getMessage(), e);
        }
    }
}
