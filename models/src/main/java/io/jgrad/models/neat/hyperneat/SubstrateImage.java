package io.jgrad.models.neat.hyperneat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Pictures of substrates as PNGs (java.awt and javax.imageio, no display needed): the weight pattern a CPPN
 * painted ({@link #writeWeights}), and panels of node values such as a retina and the activations it causes
 * ({@link #writeHeatmaps}).
 */
public final class SubstrateImage {
    private static final int GAP = 2;

    private SubstrateImage() {}

    /**
     * A grid of values to draw, with an optional marked node.
     *
     * @param rows the rows, at least 1
     * @param cols the columns, at least 1
     * @param values {@code rows * cols} values, row by row
     * @param marker the index of a node to outline in red, or -1
     * @param title a caption drawn above the panel, or null
     */
    public record Heatmap(int rows, int cols, double[] values, int marker, String title) {
        /**
         * A heatmap.
         *
         * @throws IllegalArgumentException for a size that does not match the values or a marker out of range
         */
        public Heatmap {
            if (rows < 1 || cols < 1 || values == null || values.length != rows * cols) {
                throw new IllegalArgumentException(
                        "SubstrateImage.Heatmap: need rows, cols >= 1 and rows * cols values, got " + rows + "x" + cols
                                + " and " + (values == null ? "null" : values.length + " values"));
            }
            if (marker < -1 || marker >= values.length) {
                throw new IllegalArgumentException(
                        "SubstrateImage.Heatmap: marker must be -1 or in [0, " + values.length + "), got " + marker);
            }
        }
    }

    /**
     * Draws the weights of connection layer {@code layer} as a mosaic: one tile per source node, placed like the
     * source layer's grid, each tile showing the weights from that node to every node of the target layer, placed
     * like the target grid. Blue is positive, red negative, white unexpressed, the colour's depth the magnitude
     * relative to the largest. A retina-to-field substrate of 11x11 layers gives 121 tiles of 11x11.
     *
     * @param net the network
     * @param layer the connection layer, from 0
     * @param path the PNG file (parent folders are created)
     * @param cellPixels pixels per weight, at least 1
     * @throws IOException when the file cannot be written
     */
    public static void writeWeights(SubstrateNetwork net, int layer, Path path, int cellPixels) throws IOException {
        Substrate s = net.substrate();
        if (layer < 0 || layer >= s.connectionLayers()) {
            throw new IllegalArgumentException(
                    "SubstrateImage.writeWeights: layer must be in [0, " + s.connectionLayers() + "), got " + layer);
        }
        if (cellPixels < 1) {
            throw new IllegalArgumentException(
                    "SubstrateImage.writeWeights: cell pixels must be at least 1, got " + cellPixels);
        }
        Substrate.Grid src = s.layer(layer);
        Substrate.Grid dst = s.layer(layer + 1);
        int tileW = dst.cols() * cellPixels;
        int tileH = dst.rows() * cellPixels;
        long width = GAP + (long) src.cols() * (tileW + GAP);
        long height = GAP + (long) src.rows() * (tileH + GAP);
        if (width * height > 64L << 20) {
            throw new IllegalArgumentException("SubstrateImage.writeWeights: a " + width + "x" + height
                    + " picture is too large; use a smaller substrate or fewer pixels per weight");
        }
        double max = Math.max(net.maxAbsWeight(), 1e-12);
        BufferedImage img = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.DARK_GRAY);
            g.fillRect(0, 0, (int) width, (int) height);
            for (int i = 0; i < src.size(); i++) {
                int x0 = GAP + (i % src.cols()) * (tileW + GAP);
                int y0 = GAP + (i / src.cols()) * (tileH + GAP);
                for (int j = 0; j < dst.size(); j++) {
                    g.setColor(signedColor(net.weight(layer, i, j) / max));
                    g.fillRect(
                            x0 + (j % dst.cols()) * cellPixels,
                            y0 + (j / dst.cols()) * cellPixels,
                            cellPixels,
                            cellPixels);
                }
            }
        } finally {
            g.dispose();
        }
        write(img, path, "SubstrateImage.writeWeights");
    }

    /** White at 0, deepening to blue at +1 and red at -1. */
    static Color signedColor(double v) {
        double a = Math.min(1.0, Math.abs(v));
        int fade = (int) Math.round(255 * (1 - a));
        return v >= 0 ? new Color(fade, fade, 255) : new Color(255, fade, fade);
    }

    /**
     * Draws rows of heatmaps, every panel {@code panelPixels} square whatever its grid (so an 11x11 and a 33x33
     * field line up), each scaled from its own minimum (black) to its maximum (white), its marked node outlined
     * in red.
     *
     * @param path the PNG file (parent folders are created)
     * @param rows the panels, row by row (rows may differ in length)
     * @param panelPixels the side of a panel in pixels, at least 11
     * @throws IOException when the file cannot be written
     */
    public static void writeHeatmaps(Path path, List<List<Heatmap>> rows, int panelPixels) throws IOException {
        if (rows == null || rows.isEmpty() || rows.stream().anyMatch(r -> r == null || r.isEmpty())) {
            throw new IllegalArgumentException(
                    "SubstrateImage.writeHeatmaps: needs at least one non-empty row of panels");
        }
        if (panelPixels < 11 || panelPixels > 2048) {
            throw new IllegalArgumentException(
                    "SubstrateImage.writeHeatmaps: panel pixels must be in [11, 2048], got " + panelPixels);
        }
        int titleH = 14;
        int cols = rows.stream().mapToInt(List::size).max().getAsInt();
        int width = GAP + cols * (panelPixels + GAP);
        int height = GAP + rows.size() * (panelPixels + GAP + titleH);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Heatmap h = rows.get(r).get(c);
                    int x0 = GAP + c * (panelPixels + GAP);
                    int y0 = GAP + r * (panelPixels + GAP + titleH) + titleH;
                    if (h.title() != null) {
                        g.setColor(Color.BLACK);
                        g.drawString(h.title(), x0, y0 - 3);
                    }
                    drawPanel(g, h, x0, y0, panelPixels);
                }
            }
        } finally {
            g.dispose();
        }
        write(img, path, "SubstrateImage.writeHeatmaps");
    }

    private static void drawPanel(Graphics2D g, Heatmap h, int x0, int y0, int size) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : h.values()) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double span = hi > lo ? hi - lo : 1.0;
        for (int i = 0; i < h.values().length; i++) {
            int r = i / h.cols();
            int c = i % h.cols();
            int xa = x0 + c * size / h.cols();
            int xb = x0 + (c + 1) * size / h.cols();
            int ya = y0 + r * size / h.rows();
            int yb = y0 + (r + 1) * size / h.rows();
            double v = h.values()[i];
            if (Double.isFinite(v)) {
                int grey = (int) Math.round(255 * (hi > lo ? (v - lo) / span : 0.0));
                g.setColor(new Color(grey, grey, grey));
            } else {
                g.setColor(Color.MAGENTA);
            }
            g.fillRect(xa, ya, Math.max(1, xb - xa), Math.max(1, yb - ya));
        }
        if (h.marker() >= 0) {
            int r = h.marker() / h.cols();
            int c = h.marker() % h.cols();
            int xa = x0 + c * size / h.cols();
            int xb = x0 + (c + 1) * size / h.cols();
            int ya = y0 + r * size / h.rows();
            int yb = y0 + (r + 1) * size / h.rows();
            g.setColor(Color.RED);
            g.drawRect(xa - 1, ya - 1, Math.max(1, xb - xa) + 1, Math.max(1, yb - ya) + 1);
        }
    }

    private static void write(BufferedImage img, Path path, String who) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", path.toFile())) {
            throw new IOException(who + ": no PNG writer available for " + path);
        }
    }
}
