package io.jgrad.models.neat.hyperneat;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a HyperNEAT substrate (Stanley, D'Ambrosio and Gauci 2009, section 3): layers of nodes, each a
 * 2-D grid placed on the square {@code [-1, 1] x [-1, 1]}, every node of a layer connected to every node of the
 * next (input, hidden layers, output). A CPPN gives each connection its weight from the coordinates of the two
 * nodes it joins.
 *
 * <p>Node {@code (row, col)} of a grid of {@code rows x cols} sits at the centre of its cell,
 * {@code x = -1 + (2 col + 1) / cols}, {@code y = -1 + (2 row + 1) / rows}. With cell centres, a grid resampled
 * at an odd multiple of its resolution ({@link #resampled}) puts the centre node of each coarse cell exactly where
 * the coarse node was, so a CPPN evolved at one resolution is queried at the same points, and between them, at
 * the finer one. Within a layer, nodes are numbered row by row: {@code index = row * cols + col}. Immutable.
 */
public final class Substrate {
    /**
     * One layer: a grid of {@code rows x cols} nodes.
     *
     * @param rows the rows, at least 1
     * @param cols the columns, at least 1
     */
    public record Grid(int rows, int cols) {
        /**
         * A grid.
         *
         * @throws IllegalArgumentException for fewer than one row or column
         */
        public Grid {
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException(
                        "Substrate.Grid: rows and cols must be at least 1, got " + rows + "x" + cols);
            }
        }

        /** The number of nodes, {@code rows * cols}. */
        public int size() {
            return rows * cols;
        }

        /** The x coordinate of column {@code col}, {@code -1 + (2 col + 1) / cols}. */
        public double x(int col) {
            if (col < 0 || col >= cols) {
                throw new IllegalArgumentException("Substrate.Grid.x: column must be in [0, " + cols + "), got " + col);
            }
            return -1.0 + (2.0 * col + 1.0) / cols;
        }

        /** The y coordinate of row {@code row}, {@code -1 + (2 row + 1) / rows}. */
        public double y(int row) {
            if (row < 0 || row >= rows) {
                throw new IllegalArgumentException("Substrate.Grid.y: row must be in [0, " + rows + "), got " + row);
            }
            return -1.0 + (2.0 * row + 1.0) / rows;
        }

        @Override
        public String toString() {
            return rows + "x" + cols;
        }
    }

    private final List<Grid> layers;

    /**
     * A substrate of the given layers, input first and output last.
     *
     * @param layers at least two grids
     * @throws IllegalArgumentException for fewer than two layers or a null one
     */
    public Substrate(List<Grid> layers) {
        if (layers == null || layers.size() < 2) {
            throw new IllegalArgumentException("Substrate: needs at least an input and an output layer, got "
                    + (layers == null ? "null" : layers.size() + " layer(s)"));
        }
        for (Grid g : layers) {
            if (g == null) {
                throw new IllegalArgumentException("Substrate: layers must not be null, got " + layers);
            }
        }
        this.layers = List.copyOf(layers);
    }

    /** A substrate of the given layers, input first and output last. */
    public static Substrate of(Grid... layers) {
        return new Substrate(layers == null ? null : List.of(layers));
    }

    /**
     * The two-sheet "sandwich" of the paper's visual discrimination task: an input grid of {@code rows x cols}
     * connected to an output grid of the same size.
     */
    public static Substrate sandwich(int rows, int cols) {
        return of(new Grid(rows, cols), new Grid(rows, cols));
    }

    /** The number of layers, at least 2. */
    public int layerCount() {
        return layers.size();
    }

    /** The number of layer-to-layer connection blocks, {@code layerCount() - 1}. */
    public int connectionLayers() {
        return layers.size() - 1;
    }

    /** Layer {@code k}: 0 is the input, {@code layerCount() - 1} the output. */
    public Grid layer(int k) {
        if (k < 0 || k >= layers.size()) {
            throw new IllegalArgumentException(
                    "Substrate.layer: layer must be in [0, " + layers.size() + "), got " + k);
        }
        return layers.get(k);
    }

    /** The layers, input first (unmodifiable). */
    public List<Grid> layers() {
        return layers;
    }

    /** The number of potential connections, the sum over consecutive layers of the products of their sizes. */
    public long connectionCount() {
        long n = 0;
        for (int k = 0; k + 1 < layers.size(); k++) {
            n += (long) layers.get(k).size() * layers.get(k + 1).size();
        }
        return n;
    }

    /**
     * The same layout at {@code factor} times the resolution: every grid's rows and columns multiplied. With an odd
     * factor the centre node of every coarse cell keeps the coarse node's coordinates.
     *
     * @param factor at least 1
     */
    public Substrate resampled(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("Substrate.resampled: factor must be at least 1, got " + factor);
        }
        List<Grid> out = new ArrayList<>();
        for (Grid g : layers) {
            out.add(new Grid(Math.multiplyExact(g.rows, factor), Math.multiplyExact(g.cols, factor)));
        }
        return new Substrate(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Substrate{");
        for (int k = 0; k < layers.size(); k++) {
            sb.append(k == 0 ? "" : " -> ").append(layers.get(k));
        }
        return sb.append('}').toString();
    }
}
