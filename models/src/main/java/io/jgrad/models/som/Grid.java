package io.jgrad.models.som;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * The lattice of a {@link SOM}: {@code rows x cols} nodes, numbered row by row
 * ({@code node = row * cols + col}), on a rectangular or a hexagonal lattice (Kohonen 2001,
 * "Self-Organizing Maps", 3rd ed., section 3.3 and figure 3.3).
 *
 * <p>Each node has a position in the plane: {@code (col, row)} on the rectangular lattice; on the
 * hexagonal lattice odd rows are shifted right by one half and rows are {@code sqrt(3) / 2} apart, so
 * that every inner node has six neighbours at distance exactly 1. Neighbourhood functions use the
 * Euclidean distance between these positions ({@link #distance}); two nodes are <em>adjacent</em>
 * (used by the topographic error and the U-matrix) when they are at distance 1: four neighbours on the
 * rectangular lattice, six on the hexagonal one. {@link #hops} counts the lattice steps between nodes.
 */
public final class Grid {
    /** The lattice type. */
    public enum Topology {
        /** Nodes on a square lattice: four adjacent nodes each. */
        RECTANGULAR,
        /** Nodes on a hexagonal lattice (odd rows shifted by one half): six adjacent nodes each. */
        HEXAGONAL
    }

    private static final double EPS = 1e-9;

    private final int rows;
    private final int cols;
    private final Topology topology;
    private final double[] x;
    private final double[] y;

    /**
     * A lattice of {@code rows x cols} nodes.
     *
     * @param rows the number of rows, at least 1
     * @param cols the number of columns, at least 1
     * @param topology the lattice type
     */
    public Grid(int rows, int cols, Topology topology) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "Grid: rows and cols must be at least 1, got rows=" + rows + ", cols=" + cols);
        }
        if (topology == null) {
            throw new IllegalArgumentException("Grid: the topology must not be null");
        }
        if ((long) rows * cols > 1_000_000) {
            throw new IllegalArgumentException("Grid: at most 1,000,000 nodes, got " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.topology = topology;
        int k = rows * cols;
        x = new double[k];
        y = new double[k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (topology == Topology.HEXAGONAL) {
                    x[i] = c + ((r & 1) == 1 ? 0.5 : 0);
                    y[i] = r * Math.sqrt(3) / 2;
                } else {
                    x[i] = c;
                    y[i] = r;
                }
            }
        }
    }

    /** A rectangular lattice. */
    public static Grid rectangular(int rows, int cols) {
        return new Grid(rows, cols, Topology.RECTANGULAR);
    }

    /** A hexagonal lattice. */
    public static Grid hexagonal(int rows, int cols) {
        return new Grid(rows, cols, Topology.HEXAGONAL);
    }

    /** The number of rows. */
    public int rows() {
        return rows;
    }

    /** The number of columns. */
    public int cols() {
        return cols;
    }

    /** The lattice type. */
    public Topology topology() {
        return topology;
    }

    /** The number of nodes, {@code rows * cols}. */
    public int size() {
        return rows * cols;
    }

    /** The row of {@code node}. */
    public int row(int node) {
        check(node);
        return node / cols;
    }

    /** The column of {@code node}. */
    public int col(int node) {
        check(node);
        return node % cols;
    }

    /** The node at {@code (row, col)}. */
    public int node(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IllegalArgumentException(
                    "Grid.node: (" + row + ", " + col + ") is outside the " + rows + "x" + cols + " grid");
        }
        return row * cols + col;
    }

    /** The x coordinate of {@code node} in the plane. */
    public double x(int node) {
        check(node);
        return x[node];
    }

    /** The y coordinate of {@code node} in the plane. */
    public double y(int node) {
        check(node);
        return y[node];
    }

    private void check(int node) {
        if (node < 0 || node >= x.length) {
            throw new IllegalArgumentException(
                    "Grid: node " + node + " is outside [0, " + x.length + ") of the " + rows + "x" + cols + " grid");
        }
    }

    /** The Euclidean distance between the positions of nodes {@code i} and {@code j}. */
    public double distance(int i, int j) {
        check(i);
        check(j);
        double dx = x[i] - x[j];
        double dy = y[i] - y[j];
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** Whether {@code i} and {@code j} are adjacent: distinct nodes at distance 1. */
    public boolean adjacent(int i, int j) {
        return i != j && Math.abs(distance(i, j) - 1) < EPS;
    }

    /**
     * The number of lattice steps between {@code i} and {@code j}: the Manhattan distance on the
     * rectangular lattice, the hexagonal distance (through cube coordinates) on the hexagonal one.
     */
    public int hops(int i, int j) {
        check(i);
        check(j);
        int ri = i / cols;
        int ci = i % cols;
        int rj = j / cols;
        int cj = j % cols;
        if (topology == Topology.RECTANGULAR) {
            return Math.abs(ri - rj) + Math.abs(ci - cj);
        }
        // "odd-r" offset coordinates to cube coordinates
        int qi = ci - (ri - (ri & 1)) / 2;
        int qj = cj - (rj - (rj & 1)) / 2;
        int dq = qi - qj;
        int dr = ri - rj;
        int ds = -dq - dr;
        return Math.max(Math.abs(dq), Math.max(Math.abs(dr), Math.abs(ds)));
    }

    /** The nodes adjacent to {@code node}, in increasing order. */
    public int[] neighbours(int node) {
        check(node);
        int r = node / cols;
        int[] buf = new int[6];
        int n = 0;
        for (int rr = Math.max(0, r - 1); rr <= Math.min(rows - 1, r + 1); rr++) {
            int c = node % cols;
            for (int cc = Math.max(0, c - 1); cc <= Math.min(cols - 1, c + 1); cc++) {
                int j = rr * cols + cc;
                if (adjacent(node, j)) {
                    buf[n++] = j;
                }
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    /** The node positions {@code (size, 2)}: x then y. */
    public Tensor positions(DType dtype) {
        double[] p = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            p[2 * i] = x[i];
            p[2 * i + 1] = y[i];
        }
        return Tensor.wrap(p, x.length, 2).to(dtype);
    }

    /** The squared distances between all node positions {@code (size, size)}. */
    public Tensor squaredDistances(DType dtype) {
        int k = x.length;
        double[] d = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double dx = x[i] - x[j];
                double dy = y[i] - y[j];
                d[i * k + j] = dx * dx + dy * dy;
            }
        }
        return Tensor.wrap(d, k, k).to(dtype);
    }

    @Override
    public String toString() {
        return rows + "x" + cols + " " + topology.name().toLowerCase(java.util.Locale.ROOT);
    }
}
