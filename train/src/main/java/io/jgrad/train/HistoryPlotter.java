package io.jgrad.train;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Draws a {@link History} as a PNG: the service behind {@link History#writeChart}.
 *
 * <p>{@code jgrad-train} itself draws nothing and needs no chart library; an implementation is found
 * at run time with {@link java.util.ServiceLoader}. The module {@code jgrad-charts}
 * ({@code io.jgrad:jgrad-charts}) provides one, drawn with JFreeChart: with that jar on the class
 * path, {@link History#writeChart} works; without it, {@link History#writeChart} throws an
 * {@link UnsupportedOperationException} that names the artifact to add, and everything else
 * (training, the history itself, its CSV) works as before.
 *
 * <p>An implementation has a public no-argument constructor and is listed in
 * {@code META-INF/services/io.jgrad.train.HistoryPlotter}.
 */
public interface HistoryPlotter {
    /**
     * Draws one panel per metric, each with the training values and, when recorded, the validation
     * values ({@code val_<metric>}), against the epoch counted from 1, and writes the PNG.
     *
     * <p>{@link History#writeChart} calls it with a private copy of the history, a size already
     * checked (16 to 16384 pixels a side) and metrics that each have recorded values.
     *
     * @param history the values to draw
     * @param metrics the metrics, one panel each, e.g. {@code ["loss", "accuracy"]}
     * @param width the image width in pixels
     * @param height the image height in pixels
     * @param out receives the PNG's bytes (not closed)
     * @throws IOException when writing fails
     */
    void writePng(History history, List<String> metrics, int width, int height, OutputStream out) throws IOException;
}
