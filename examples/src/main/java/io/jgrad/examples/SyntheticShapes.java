package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;

/**
 * A synthetic segmentation data set: grey-scale images of ellipses, rectangles and triangles on noisy
 * textured backgrounds, with a class per pixel: 0 background, 1 ellipse, 2 rectangle, 3 triangle.
 *
 * <p>Each image has a background of a random level plus a sinusoidal texture of random frequency,
 * direction and phase; one to three shapes of random size, rotation and grey level (differing from
 * the background level by at least {@link #MIN_CONTRAST}) are drawn so that they do not overlap; then
 * Gaussian pixel noise is added everywhere. A pixel belongs to a shape when its centre lies inside it.
 * The same seed gives the same images.
 */
final class SyntheticShapes {
    /** The number of classes (background and three shapes). */
    static final int CLASSES = 4;
    /** The class names, by index. */
    static final String[] NAMES = {"background", "ellipse", "rectangle", "triangle"};
    /** The smallest difference between a shape's grey level and the background's. */
    static final double MIN_CONTRAST = 0.25;

    private SyntheticShapes() {}

    /**
     * Generates images and masks.
     *
     * @param n the number of images, at least 1
     * @param size the height and width, at least 16
     * @param noise the standard deviation of the pixel noise, at least 0
     * @param g the random generator
     * @return inputs {@code (n, 1, size, size)} (FLOAT32, roughly in [0, 1]) and INT32 targets {@code (n, size, size)}
     */
    static TensorDataset generate(int n, int size, double noise, Generator g) {
        if (n < 1 || size < 16 || !(noise >= 0)) {
            throw new IllegalArgumentException("SyntheticShapes: need n >= 1, size >= 16 and noise >= 0, got n=" + n
                    + ", size=" + size + ", noise=" + noise);
        }
        float[] x = new float[n * size * size];
        int[] y = new int[n * size * size];
        for (int k = 0; k < n; k++) {
            draw(x, y, k * size * size, size, noise, g);
        }
        return new TensorDataset(Tensor.wrap(x, n, 1, size, size), Tensor.wrap(y, n, size, size));
    }

    /** Draws one image and its mask at {@code offset}. */
    private static void draw(float[] x, int[] y, int offset, int size, double noise, Generator g) {
        double level = 0.25 + 0.5 * g.nextDouble();
        double amp = 0.05 + 0.1 * g.nextDouble();
        double freq = 0.2 + 0.8 * g.nextDouble();
        double dir = Math.PI * g.nextDouble();
        double phase = 2 * Math.PI * g.nextDouble();
        double fx = freq * Math.cos(dir);
        double fy = freq * Math.sin(dir);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                x[offset + i * size + j] = (float) (level + amp * Math.sin(fx * j + fy * i + phase));
            }
        }
        int shapes = 1 + g.nextInt(3);
        double[][] placed = new double[shapes][]; // centre x, centre y, radius
        int count = 0;
        for (int attempt = 0; attempt < 50 && count < shapes; attempt++) {
            double r = size * (0.18 + 0.12 * g.nextDouble());
            double cx = r + (size - 2 * r) * g.nextDouble();
            double cy = r + (size - 2 * r) * g.nextDouble();
            boolean free = true;
            for (int p = 0; p < count; p++) {
                free &= Math.hypot(cx - placed[p][0], cy - placed[p][1]) > r + placed[p][2] + 1;
            }
            if (!free) {
                continue;
            }
            placed[count++] = new double[] {cx, cy, r};
            int cls = 1 + g.nextInt(3);
            double grey = level;
            while (Math.abs(grey - level) < MIN_CONTRAST) {
                grey = g.nextDouble();
            }
            Region region = region(cls, cx, cy, r, g);
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    if (region.contains(j + 0.5, i + 0.5)) {
                        x[offset + i * size + j] = (float) grey;
                        y[offset + i * size + j] = cls;
                    }
                }
            }
        }
        for (int p = 0; p < size * size; p++) {
            x[offset + p] += (float) (noise * g.nextGaussian());
        }
    }

    /** A shape's inside test. */
    private interface Region {
        boolean contains(double px, double py);
    }

    /** A shape of class {@code cls} within the circle of radius {@code r} around (cx, cy), randomly rotated. */
    private static Region region(int cls, double cx, double cy, double r, Generator g) {
        double angle = Math.PI * g.nextDouble();
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        switch (cls) {
            case 1: {
                // ellipse: semi-axes r and between 0.5 r and r
                double a = r;
                double b = r * (0.5 + 0.5 * g.nextDouble());
                return (px, py) -> {
                    double u = (px - cx) * c + (py - cy) * s;
                    double v = -(px - cx) * s + (py - cy) * c;
                    return u * u / (a * a) + v * v / (b * b) <= 1;
                };
            }
            case 2: {
                // rectangle inscribed in the circle: half-diagonal r, aspect between 1 and 2.5
                double t = Math.atan(1 / (1 + 1.5 * g.nextDouble()));
                double hw = r * Math.cos(t);
                double hh = r * Math.sin(t);
                return (px, py) -> {
                    double u = (px - cx) * c + (py - cy) * s;
                    double v = -(px - cx) * s + (py - cy) * c;
                    return Math.abs(u) <= hw && Math.abs(v) <= hh;
                };
            }
            default: {
                // triangle: three vertices on the circle, each at least 70 degrees from the others
                double[] vx = new double[3];
                double[] vy = new double[3];
                double a0 = 2 * Math.PI * g.nextDouble();
                double gap1 = Math.toRadians(70 + 80 * g.nextDouble());
                double gap2 = Math.toRadians(70 + (220 - Math.toDegrees(gap1)) * g.nextDouble());
                double[] angles = {a0, a0 + gap1, a0 + gap1 + gap2};
                for (int k = 0; k < 3; k++) {
                    vx[k] = cx + r * Math.cos(angles[k]);
                    vy[k] = cy + r * Math.sin(angles[k]);
                }
                return (px, py) -> {
                    double d1 = edge(px, py, vx[0], vy[0], vx[1], vy[1]);
                    double d2 = edge(px, py, vx[1], vy[1], vx[2], vy[2]);
                    double d3 = edge(px, py, vx[2], vy[2], vx[0], vy[0]);
                    return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
                };
            }
        }
    }

    /** Which side of the line from (ax, ay) to (bx, by) the point is on (the sign of a cross product). */
    private static double edge(double px, double py, double ax, double ay, double bx, double by) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }
}
