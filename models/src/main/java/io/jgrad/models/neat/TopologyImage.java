package io.jgrad.models.neat;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws a {@link Genome}'s network as a PNG (java.awt and javax.imageio, no display needed): inputs and the
 * bias on the bottom row, outputs on the top row, hidden nodes in between by their depth (the longest path
 * from a sensor); enabled connections as lines, blue for positive and red for negative weights, thicker for
 * larger magnitudes; disabled connections as thin dashed grey lines. A node whose activation is not the
 * default sigmoid (a CPPN's) has its function's short name ({@code sin}, {@code gauss}, ...) written under it.
 */
public final class TopologyImage {
    private TopologyImage() {}

    /**
     * Writes the picture.
     *
     * @param genome the genome
     * @param path the PNG file (parent folders are created)
     * @param width the width in pixels, at least 100
     * @param height the height in pixels, at least 100
     * @throws IOException when the file cannot be written
     */
    public static void write(Genome genome, Path path, int width, int height) throws IOException {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException(
                    "TopologyImage.write: size must be at least 100x100, got " + width + "x" + height);
        }
        // depth of every node: sensors 0, others 1 + max depth of their sources (all connections; acyclic)
        Map<Integer, Integer> depth = new HashMap<>();
        for (NodeGene n : genome.nodes()) {
            depth.put(n.id(), 0);
        }
        boolean changed = true;
        for (int pass = 0; changed && pass <= genome.nodes().size(); pass++) {
            changed = false;
            for (ConnectionGene c : genome.connections()) {
                int d = depth.get(c.in()) + 1;
                if (d > depth.get(c.out())) {
                    depth.put(c.out(), d);
                    changed = true;
                }
            }
        }
        int maxHidden = 0;
        for (NodeGene n : genome.nodes()) {
            if (n.type() == NodeGene.Type.HIDDEN) {
                maxHidden = Math.max(maxHidden, depth.get(n.id()));
            }
        }
        int top = maxHidden + 1;
        TreeMap<Integer, List<NodeGene>> rows = new TreeMap<>();
        for (NodeGene n : genome.nodes()) {
            int row = n.isSensor() ? 0 : n.type() == NodeGene.Type.OUTPUT ? top : depth.get(n.id());
            rows.computeIfAbsent(row, k -> new ArrayList<>()).add(n);
        }
        Map<Integer, double[]> pos = new HashMap<>();
        int margin = 40;
        for (Map.Entry<Integer, List<NodeGene>> e : rows.entrySet()) {
            List<NodeGene> row = e.getValue();
            double y = height - margin - (height - 2.0 * margin) * e.getKey() / top;
            for (int i = 0; i < row.size(); i++) {
                double x = margin + (width - 2.0 * margin) * (i + 0.5) / row.size();
                pos.put(row.get(i).id(), new double[] {x, y});
            }
        }
        double maxW = 1e-9;
        for (ConnectionGene c : genome.connections()) {
            maxW = Math.max(maxW, Math.abs(c.weight()));
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            for (ConnectionGene c : genome.connections()) {
                double[] a = pos.get(c.in());
                double[] b = pos.get(c.out());
                if (c.enabled()) {
                    float w = (float) (1 + 4 * Math.abs(c.weight()) / maxW);
                    g.setStroke(new BasicStroke(w));
                    g.setColor(c.weight() >= 0 ? new Color(31, 119, 180) : new Color(214, 39, 40));
                } else {
                    g.setStroke(new BasicStroke(
                            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
                    g.setColor(Color.LIGHT_GRAY);
                }
                g.drawLine((int) a[0], (int) a[1], (int) b[0], (int) b[1]);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int r = 12;
            for (NodeGene n : genome.nodes()) {
                double[] p = pos.get(n.id());
                Color fill = switch (n.type()) {
                    case INPUT -> new Color(200, 230, 200);
                    case BIAS -> new Color(230, 230, 230);
                    case HIDDEN -> new Color(255, 235, 180);
                    case OUTPUT -> new Color(200, 215, 245);
                };
                g.setStroke(new BasicStroke(1.5f));
                g.setColor(fill);
                g.fillOval((int) p[0] - r, (int) p[1] - r, 2 * r, 2 * r);
                g.setColor(Color.DARK_GRAY);
                g.drawOval((int) p[0] - r, (int) p[1] - r, 2 * r, 2 * r);
                String label = n.type() == NodeGene.Type.BIAS ? "b" : Integer.toString(n.id());
                int tw = g.getFontMetrics().stringWidth(label);
                g.drawString(label, (int) p[0] - tw / 2, (int) p[1] + 4);
                if (!n.isSensor() && n.activation() != Activation.SIGMOID) {
                    // a CPPN node: its function under it
                    String fn = n.activation().shortName();
                    g.drawString(fn, (int) p[0] - g.getFontMetrics().stringWidth(fn) / 2, (int) p[1] + r + 12);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(
                    String.format(
                            java.util.Locale.ROOT,
                            "%d hidden, %d/%d connections enabled, fitness %.4g",
                            genome.hiddenCount(),
                            genome.enabledConnectionCount(),
                            genome.connections().size(),
                            genome.fitness()),
                    8,
                    16);
        } finally {
            g.dispose();
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", path.toFile())) {
            throw new IOException("TopologyImage.write: no PNG writer available for " + path);
        }
    }
}
