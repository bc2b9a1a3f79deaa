package io.jgrad.examples;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes images as one PNG grid: each row of the grid is one tensor of grey-scale images
 * {@code (n, 1, H, W)} or {@code (n, H, W)} (e.g. inputs, then their reconstructions), or of colour
 * images {@code (n, 3, H, W)} ({@link #drawRgb}), values in [0, 1] (clamped) drawn black to white,
 * each pixel enlarged to {@code scale x scale}, with a {@link #GAP}-pixel mid-grey border around every
 * image.
 */
final class ImageGrid {
    /** Border width in pixels between images. */
    static final int GAP = 2;

    private static final int BORDER_GREY = 128;

    private ImageGrid() {}

    /**
     * Draws the grid.
     *
     * @param rows the grid's rows, each {@code (n, 1, H, W)} or {@code (n, H, W)}; all of the same H and W
     * @param scale the enlargement of each pixel (1 or more)
     * @return an 8-bit grey image of {@code GAP + cols * (W * scale + GAP)} by {@code GAP + rows * (H * scale + GAP)}
     *     pixels, where {@code cols} is the longest row's length
     */
    static BufferedImage draw(List<Tensor> rows, int scale) {
        return draw(rows, scale, false);
    }

    /**
     * Draws a grid of colour images.
     *
     * @param rows the grid's rows, each {@code (n, 3, H, W)} (red, green, blue in [0, 1]); all of the same H and W
     * @param scale the enlargement of each pixel (1 or more)
     * @return an RGB image of the size given in {@link #draw(List, int)}
     */
    static BufferedImage drawRgb(List<Tensor> rows, int scale) {
        return draw(rows, scale, true);
    }

    private static BufferedImage draw(List<Tensor> rows, int scale, boolean rgb) {
        if (rows.isEmpty() || scale < 1) {
            throw new IllegalArgumentException(
                    "ImageGrid: need at least one row and scale >= 1, got " + rows.size() + " rows, scale " + scale);
        }
        int h = -1;
        int w = -1;
        int cols = 0;
        for (Tensor t : rows) {
            boolean ok = rgb ? t.dim() == 4 && t.size(1) == 3 : t.dim() == 3 || (t.dim() == 4 && t.size(1) == 1);
            if (!ok) {
                throw new IllegalArgumentException("ImageGrid: expected images "
                        + (rgb ? "(n, 3, H, W)" : "(n, 1, H, W) or (n, H, W)") + ", got " + Shape.format(t.shape()));
            }
            int th = t.size(t.dim() - 2);
            int tw = t.size(t.dim() - 1);
            if (h >= 0 && (th != h || tw != w)) {
                throw new IllegalArgumentException(
                        "ImageGrid: images of different sizes " + h + "x" + w + " and " + th + "x" + tw);
            }
            h = th;
            w = tw;
            cols = Math.max(cols, t.size(0));
        }
        int cellW = w * scale + GAP;
        int cellH = h * scale + GAP;
        int bands = rgb ? 3 : 1;
        BufferedImage img = new BufferedImage(
                GAP + cols * cellW,
                GAP + rows.size() * cellH,
                rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                for (int b = 0; b < bands; b++) {
                    raster.setSample(x, y, b, BORDER_GREY);
                }
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            Tensor t = rows.get(r);
            float[] px = t.contiguous().to(io.jgrad.core.DType.FLOAT32).toFloatArray();
            for (int k = 0; k < t.size(0); k++) {
                int x0 = GAP + k * cellW;
                int y0 = GAP + r * cellH;
                for (int b = 0; b < bands; b++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            float v = px[((k * bands + b) * h + i) * w + j];
                            int g = Float.isNaN(v) ? 0 : Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
                            for (int dy = 0; dy < scale; dy++) {
                                for (int dx = 0; dx < scale; dx++) {
                                    raster.setSample(x0 + j * scale + dx, y0 + i * scale + dy, b, g);
                                }
                            }
                        }
                    }
                }
            }
        }
        return img;
    }

    /**
     * Draws the grid and writes it as a PNG, creating the parent folders.
     *
     * @param path the PNG file
     * @param rows the grid's rows (see {@link #draw})
     * @param scale the enlargement of each pixel
     * @throws IOException when the file cannot be written
     */
    static void write(Path path, List<Tensor> rows, int scale) throws IOException {
        write(path, draw(rows, scale));
    }

    /**
     * Draws a grid of colour images and writes it as a PNG, creating the parent folders.
     *
     * @param path the PNG file
     * @param rows the grid's rows (see {@link #drawRgb})
     * @param scale the enlargement of each pixel
     * @throws IOException when the file cannot be written
     */
    static void writeRgb(Path path, List<Tensor> rows, int scale) throws IOException {
        write(path, drawRgb(rows, scale));
    }

    private static void write(Path path, BufferedImage img) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", path.toFile())) {
            throw new IOException("ImageGrid: no PNG writer available to write " + path);
        }
    }
}
