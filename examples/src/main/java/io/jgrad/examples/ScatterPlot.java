package io.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A PNG scatter plot of 2-D points coloured by class, with a legend of the class names. */
final class ScatterPlot {
    /** Ten distinct colours (the "tab10" palette). */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf
    };

    private ScatterPlot() {}

    /**
     * Writes the plot.
     *
     * @param path the PNG file (parent folders created)
     * @param xy the points, {@code xy[i] = {x, y}}
     * @param labels the class of each point, in [0, names.length)
     * @param names the class names, at most 10
     * @param title the title
     */
    static void write(Path path, double[][] xy, int[] labels, String[] names, String title) throws IOException {
        if (xy.length != labels.length || names.length > PALETTE.length) {
            throw new IllegalArgumentException("ScatterPlot: " + xy.length + " points, " + labels.length + " labels, "
                    + names.length + " classes (at most " + PALETTE.length + ")");
        }
        int w = 900;
        int h = 700;
        int plot = 640;
        int left = 40;
        int top = 40;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : xy) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double spanX = Math.max(maxX - minX, 1e-12);
        double spanY = Math.max(maxY - minY, 1e-12);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(left, top, plot, plot - 40);
        for (int i = 0; i < xy.length; i++) {
            int px = left + 3 + (int) Math.round((xy[i][0] - minX) / spanX * (plot - 6));
            int py = top + 3 + (int) Math.round((maxY - xy[i][1]) / spanY * (plot - 46));
            g.setColor(new Color(PALETTE[labels[i]]));
            g.fillOval(px - 2, py - 2, 4, 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 25);
        for (int c = 0; c < names.length; c++) {
            int y = top + 20 + 24 * c;
            g.setColor(new Color(PALETTE[c]));
            g.fillOval(left + plot + 20, y - 9, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(names[c], left + plot + 38, y);
        }
        g.dispose();
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        ImageIO.write(img, "png", path.toFile());
    }
}
