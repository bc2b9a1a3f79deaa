package io.jgrad.models.som;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws a {@link SOM}'s U-matrix and component planes as PNG images (javax.imageio): every node is a
 * square (rectangular lattice) or a hexagon (hexagonal lattice) coloured by its value on a
 * light-to-dark scale, optionally with a text label drawn on it.
 */
public final class SomImages {
    /** Anchors of the colour scale, low to high: pale yellow to dark blue. */
    private static final Color[] SCALE = {
        new Color(255, 255, 217),
        new Color(199, 233, 180),
        new Color(65, 182, 196),
        new Color(34, 94, 168),
        new Color(8, 29, 88)
    };

    private SomImages() {}

    /** The colour of {@code f} in [0, 1] on the scale. */
    static Color colour(double f) {
        double t = Double.isNaN(f) ? 0 : Math.max(0, Math.min(1, f)) * (SCALE.length - 1);
        int i = Math.min((int) t, SCALE.length - 2);
        double a = t - i;
        Color p = SCALE[i];
        Color q = SCALE[i + 1];
        return new Color(
                (int) Math.round(p.getRed() + a * (q.getRed() - p.getRed())),
                (int) Math.round(p.getGreen() + a * (q.getGreen() - p.getGreen())),
                (int) Math.round(p.getBlue() + a * (q.getBlue() - p.getBlue())));
    }

    /**
     * Draws one value per node.
     *
     * @param grid the lattice
     * @param values {@code (rows, cols)} or {@code (nodes)}, any floating type; coloured from their min to max
     * @param labels one label per node (null entries or an empty string draw nothing), or null
     * @param cell the width of a node in pixels, at least 4
     * @param title a caption drawn above the map, or null
     * @return the image
     */
    public static BufferedImage draw(Grid grid, Tensor values, String[] labels, int cell, String title) {
        if (grid == null || values == null || values.numel() != grid.size()) {
            throw new IllegalArgumentException("SomImages.draw: expected " + (grid == null ? "?" : grid.size())
                    + " values, got " + (values == null ? "null" : Shape.format(values.shape())));
        }
        if (labels != null && labels.length != grid.size()) {
            throw new IllegalArgumentException(
                    "SomImages.draw: expected " + grid.size() + " labels, got " + labels.length);
        }
        if (cell < 4) {
            throw new IllegalArgumentException("SomImages.draw: the cell size must be at least 4 pixels, got " + cell);
        }
        BufferedImage img = new BufferedImage(width(grid, cell), height(grid, cell, title), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        paint(g, grid, values, labels, cell, title, 0, 0);
        g.dispose();
        return img;
    }

    private static int margin(int cell) {
        return Math.max(2, cell / 4);
    }

    private static int titleHeight(int cell, String title) {
        return title == null ? 0 : Math.max(12, cell / 2) + 4;
    }

    private static int width(Grid grid, int cell) {
        double w = grid.cols() + (grid.topology() == Grid.Topology.HEXAGONAL && grid.rows() > 1 ? 0.5 : 0);
        return (int) Math.ceil(w * cell) + 2 * margin(cell);
    }

    private static int height(Grid grid, int cell, String title) {
        double h = grid.topology() == Grid.Topology.HEXAGONAL
                ? (grid.rows() - 1) * Math.sqrt(0.75) + 2 / Math.sqrt(3)
                : grid.rows();
        return (int) Math.ceil(h * cell) + 2 * margin(cell) + titleHeight(cell, title);
    }

    private static void paint(
            Graphics2D g, Grid grid, Tensor values, String[] labels, int cell, String title, int ox, int oy) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        double[] v = values.to(DType.FLOAT64).contiguous().toDoubleArray();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        int m = margin(cell);
        int th = titleHeight(cell, title);
        if (title != null) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, cell / 2)));
            g.drawString(title, ox + m, oy + th - 4);
        }
        boolean hex = grid.topology() == Grid.Topology.HEXAGONAL;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, cell * 2 / 5)));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < grid.size(); i++) {
            double f = hi > lo ? (v[i] - lo) / (hi - lo) : 0;
            Color c = colour(f);
            double cx = ox + m + (grid.x(i) + 0.5) * cell;
            double cy;
            java.awt.Shape shape;
            if (hex) {
                double r = cell / Math.sqrt(3); // circumradius of a hexagon of width `cell`
                cy = oy + th + m + r + grid.y(i) * cell;
                Polygon p = new Polygon();
                for (int k = 0; k < 6; k++) {
                    double a = Math.PI / 6 + k * Math.PI / 3;
                    p.addPoint((int) Math.round(cx + r * Math.cos(a)), (int) Math.round(cy + r * Math.sin(a)));
                }
                shape = p;
            } else {
                cy = oy + th + m + (grid.y(i) + 0.5) * cell;
                shape = new java.awt.Rectangle(
                        (int) Math.round(cx - cell / 2.0), (int) Math.round(cy - cell / 2.0), cell, cell);
            }
            g.setColor(c);
            g.fill(shape);
            g.setColor(new Color(160, 160, 160));
            g.draw(shape);
            if (labels != null && labels[i] != null && !labels[i].isEmpty()) {
                double lum = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
                g.setColor(lum < 128 ? Color.WHITE : Color.BLACK);
                int w = fm.stringWidth(labels[i]);
                g.drawString(labels[i], (int) Math.round(cx - w / 2.0), (int)
                        Math.round(cy + (fm.getAscent() - fm.getDescent()) / 2.0));
            }
        }
    }

    /**
     * Writes the U-matrix ({@link SOM#uMatrix}) with node labels.
     *
     * @param som the map
     * @param png the file (parent folders created)
     * @param labels one label per node (null entries draw nothing), or null
     * @param cell the width of a node in pixels
     * @throws IOException when the file cannot be written
     */
    public static void writeUMatrix(SOM som, Path png, String[] labels, int cell) throws IOException {
        write(draw(som.grid(), som.uMatrix(), labels, cell, "U-matrix (" + som.grid() + ")"), png);
    }

    /**
     * Writes all component planes ({@link SOM#componentPlane}) side by side, {@code perRow} to a row,
     * each coloured over its own range and captioned with its feature name.
     *
     * @param som the map
     * @param png the file (parent folders created)
     * @param featureNames one name per feature, or null for "0", "1", ...
     * @param cell the width of a node in pixels
     * @param perRow planes per row, at least 1
     * @throws IOException when the file cannot be written
     */
    public static void writeComponentPlanes(SOM som, Path png, String[] featureNames, int cell, int perRow)
            throws IOException {
        int d = som.dim();
        if (featureNames != null && featureNames.length != d) {
            throw new IllegalArgumentException(
                    "SomImages.writeComponentPlanes: expected " + d + " feature names, got " + featureNames.length);
        }
        if (perRow < 1 || cell < 4) {
            throw new IllegalArgumentException(
                    "SomImages.writeComponentPlanes: perRow must be at least 1 and cell at least 4, got perRow="
                            + perRow + ", cell=" + cell);
        }
        Grid grid = som.grid();
        int pw = width(grid, cell);
        int ph = height(grid, cell, "x");
        int cols = Math.min(perRow, d);
        int rows = (d + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * pw, rows * ph, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int f = 0; f < d; f++) {
            String name = featureNames == null ? Integer.toString(f) : featureNames[f];
            paint(g, grid, som.componentPlane(f), null, cell, name, (f % cols) * pw, (f / cols) * ph);
        }
        g.dispose();
        write(img, png);
    }

    /** Writes an image as PNG, creating the parent folders. */
    public static void write(BufferedImage img, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("SomImages: no PNG writer available to write " + png);
        }
    }
}
