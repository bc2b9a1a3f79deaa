package io.jgrad.models.som;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A self-organizing map (Kohonen 1982, "Self-organized formation of topologically correct feature
 * maps", Biological Cybernetics 43; Kohonen 2001, "Self-Organizing Maps", 3rd ed., Springer): a
 * {@link Grid} of nodes, each with a weight (model) vector in the data space, trained so that nearby
 * nodes model nearby data.
 *
 * <p>Training (see {@link Options}):
 * <ul>
 *   <li><b>online</b> (Kohonen 2001, eq. 3.2): for each sample {@code x} in turn (shuffled every epoch),
 *       find its best-matching unit {@code b = argmin_i |x - w_i|}, then move every node
 *       {@code w_i += alpha(t) h(d(i, b), sigma(t)) (x - w_i)}, where {@code d} is the distance on the
 *       lattice, {@code h} the {@link Neighborhood} function and the learning rate {@code alpha} and radius
 *       {@code sigma} {@link Decay decay} over the {@code epochs * N} steps;</li>
 *   <li><b>batch</b> (the batch map, Kohonen 2001, section 3.14, eq. 3.30): per epoch, every sample's
 *       best-matching unit {@code b(x)} is found with the weights fixed, then every node becomes the
 *       neighbourhood-weighted mean {@code w_i = sum_x h(d(i, b(x))) x / sum_x h(d(i, b(x)))} (a node with
 *       no weight on any sample keeps its vector); only the radius decays, over the epochs.</li>
 * </ul>
 * Initialization is random (nodes set to distinct randomly chosen samples, {@link #initRandom}) or linear
 * along the first two principal components ({@link #initPca}, Kohonen 2001, section 3.7).
 *
 * <p>Measures: the quantization error (mean distance from each sample to its best-matching unit's
 * weight, {@link #quantizationError}), the topographic error (the share of samples whose best and
 * second-best matching units are not adjacent on the lattice, Kiviluoto 1996,
 * {@link #topographicError}), the U-matrix (Ultsch and Siemon 1990, {@link #uMatrix}) and component
 * planes ({@link #componentPlane}); {@link SomImages} draws them as PNGs. With class labels, each node
 * takes the majority label of the samples it wins ({@link #nodeLabels}) for {@link #purity} and
 * {@link #classify}.
 *
 * <p>The weights are the buffer {@code weight (nodes, dim)}, so a map is saved and loaded like any
 * module (the grid is not saved: build the map with the same grid before loading). Weights are
 * FLOAT32 unless the map is converted with {@link #to(DType)}; data must have the weights' type.
 * {@link #forward} gives the squared distances from each sample to every node {@code (N, nodes)}.
 */
public class SOM extends Module {
    /** Online (sample by sample) or batch training. */
    public enum Mode {
        /** One update per sample, Kohonen's original algorithm. */
        ONLINE,
        /** The batch map: one update of all nodes per epoch. */
        BATCH
    }

    /** Training options; every setter checks its value and returns this. */
    public static final class Options {
        Mode mode = Mode.ONLINE;
        Neighborhood neighborhood = Neighborhood.GAUSSIAN;
        int epochs = 100;
        double learningRateStart = 0.5;
        double learningRateEnd = 0.01;
        Decay learningRateDecay = Decay.INVERSE;
        double radiusStart = Double.NaN;
        double radiusEnd = 1;
        Decay radiusDecay = Decay.LINEAR;
        long seed = 1;

        /** Online or batch training (default online). */
        public Options mode(Mode m) {
            if (m == null) {
                throw new IllegalArgumentException("SOM.Options: the mode must not be null");
            }
            this.mode = m;
            return this;
        }

        /** The neighbourhood function (default Gaussian). */
        public Options neighborhood(Neighborhood n) {
            if (n == null) {
                throw new IllegalArgumentException("SOM.Options: the neighbourhood must not be null");
            }
            this.neighborhood = n;
            return this;
        }

        /** Passes over the data, at least 1 (default 100). */
        public Options epochs(int e) {
            if (e < 1) {
                throw new IllegalArgumentException("SOM.Options: epochs must be at least 1, got " + e);
            }
            this.epochs = e;
            return this;
        }

        /** The online learning rate's start and end values, {@code 0 < end <= start <= 1} (default 0.5 to 0.01). */
        public Options learningRate(double start, double end) {
            if (!(start > 0 && start <= 1) || !(end > 0 && end <= start)) {
                throw new IllegalArgumentException(
                        "SOM.Options: the learning rate needs 0 < end <= start <= 1, got start=" + start + ", end="
                                + end);
            }
            this.learningRateStart = start;
            this.learningRateEnd = end;
            return this;
        }

        /** How the learning rate decays (default {@link Decay#INVERSE}). */
        public Options learningRateDecay(Decay d) {
            if (d == null) {
                throw new IllegalArgumentException("SOM.Options: the learning rate decay must not be null");
            }
            this.learningRateDecay = d;
            return this;
        }

        /**
         * The neighbourhood radius's start and end values in lattice units, {@code 0 < end <= start}
         * (default: half the longer side of the grid, at least 1, to 1).
         */
        public Options radius(double start, double end) {
            if (!(end > 0) || !(start >= end) || Double.isInfinite(start)) {
                throw new IllegalArgumentException(
                        "SOM.Options: the radius needs 0 < end <= start (finite), got start=" + start + ", end=" + end);
            }
            this.radiusStart = start;
            this.radiusEnd = end;
            return this;
        }

        /** How the radius decays (default {@link Decay#LINEAR}). */
        public Options radiusDecay(Decay d) {
            if (d == null) {
                throw new IllegalArgumentException("SOM.Options: the radius decay must not be null");
            }
            this.radiusDecay = d;
            return this;
        }

        /** Seed of the generator shuffling the samples in online training (default 1). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }

        Options copy() {
            Options o = new Options();
            o.mode = mode;
            o.neighborhood = neighborhood;
            o.epochs = epochs;
            o.learningRateStart = learningRateStart;
            o.learningRateEnd = learningRateEnd;
            o.learningRateDecay = learningRateDecay;
            o.radiusStart = radiusStart;
            o.radiusEnd = radiusEnd;
            o.radiusDecay = radiusDecay;
            o.seed = seed;
            return o;
        }
    }

    /**
     * What one epoch of {@link #train} did.
     *
     * @param epoch the epoch, from 1
     * @param learningRate the learning rate at the epoch's end (NaN for batch training)
     * @param radius the radius at the epoch's end (the radius used, for batch training)
     * @param quantizationError {@link #quantizationError} over the data after the epoch
     * @param seconds the epoch's time
     */
    public record Epoch(int epoch, double learningRate, double radius, double quantizationError, double seconds) {}

    private final Grid grid;
    private final int dim;

    /**
     * A map with all weights zero; initialize it with {@link #initRandom} or {@link #initPca}.
     *
     * @param grid the lattice
     * @param dim the dimension of the data, at least 1
     */
    public SOM(Grid grid, int dim) {
        if (grid == null) {
            throw new IllegalArgumentException("SOM: the grid must not be null");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("SOM: the data dimension must be at least 1, got " + dim);
        }
        this.grid = grid;
        this.dim = dim;
        registerBuffer("weight", Tensor.zeros(grid.size(), dim));
    }

    /** The lattice. */
    public Grid grid() {
        return grid;
    }

    /** The data dimension. */
    public int dim() {
        return dim;
    }

    /** The weights {@code (nodes, dim)}, updated in place by training. */
    public Tensor weight() {
        return buffer("weight");
    }

    /**
     * Sets the weights.
     *
     * @param w {@code (nodes, dim)}
     */
    public void setWeight(Tensor w) {
        if (w == null || w.dim() != 2 || w.size(0) != grid.size() || w.size(1) != dim) {
            throw new IllegalArgumentException("SOM.setWeight: expected (" + grid.size() + ", " + dim + "), got "
                    + (w == null ? "null" : Shape.format(w.shape())));
        }
        weight().copy_(w.to(weight().dtype()));
    }

    private Tensor checkData(String op, Tensor x) {
        if (x == null || x.dim() != 2 || x.size(1) != dim) {
            throw new IllegalArgumentException("SOM." + op + ": expected samples (N, " + dim + "), got "
                    + (x == null ? "null" : Shape.format(x.shape())));
        }
        if (x.size(0) < 1) {
            throw new IllegalArgumentException(
                    "SOM." + op + ": expected at least one sample, got " + Shape.format(x.shape()));
        }
        DType want = weight().dtype();
        if (x.dtype() != want) {
            throw new IllegalArgumentException("SOM." + op + ": expected " + want + " samples like the weights, got "
                    + x.dtype() + " " + Shape.format(x.shape()) + "; convert with to(DType)");
        }
        return x;
    }

    // ------------------------------------------------------------------------------------------ initialization

    /**
     * Random initialization: every node gets a randomly chosen sample (distinct samples while there
     * are enough, Kohonen 2001, section 3.7).
     *
     * @param data samples (N, dim)
     * @param g the random generator
     */
    public void initRandom(Tensor data, Generator g) {
        checkData("initRandom", data);
        int n = data.size(0);
        int k = grid.size();
        int[] idx = new int[k];
        int filled = 0;
        while (filled < k) {
            int[] perm = Tensor.randperm(g, n).toIntArray();
            int take = Math.min(n, k - filled);
            System.arraycopy(perm, 0, idx, filled, take);
            filled += take;
        }
        weight().copy_(data.indexSelect(0, Tensor.wrap(idx, k)));
    }

    /**
     * Linear initialization along the first two principal components of the data (Kohonen 2001,
     * section 3.7; the SOM Toolbox's {@code som_lininit}): node {@code i} at lattice position
     * {@code (u_i, v_i)}, rescaled to [-1, 1] on each axis, gets
     * {@code mean + u_i sqrt(lambda_1) e_1 + v_i sqrt(lambda_2) e_2}, with the first component along the
     * longer side of the grid. The map starts ordered, so training can start with a small radius.
     *
     * @param data samples (N, dim), N at least 2
     */
    public void initPca(Tensor data) {
        checkData("initPca", data);
        if (data.size(0) < 2) {
            throw new IllegalArgumentException(
                    "SOM.initPca: needs at least 2 samples, got " + Shape.format(data.shape()));
        }
        Pca p = Pca.of(data);
        int k = grid.size();
        double[] xs = new double[k];
        double[] ys = new double[k];
        for (int i = 0; i < k; i++) {
            xs[i] = grid.x(i);
            ys[i] = grid.y(i);
        }
        double[] u = unit(xs);
        double[] v = unit(ys);
        boolean wide = grid.cols() >= grid.rows();
        double[] w = new double[k * dim];
        for (int i = 0; i < k; i++) {
            double a = wide ? u[i] : v[i];
            double b = wide ? v[i] : u[i];
            for (int j = 0; j < dim; j++) {
                double val = p.mean[j] + a * Math.sqrt(p.values[0]) * p.vectors[0][j];
                if (dim > 1) {
                    val += b * Math.sqrt(p.values[1]) * p.vectors[1][j];
                }
                w[i * dim + j] = val;
            }
        }
        weight().copy_(Tensor.wrap(w, k, dim).to(weight().dtype()));
    }

    /** Rescales to [-1, 1] (all zeros when constant). */
    private static double[] unit(double[] a) {
        double lo = Arrays.stream(a).min().orElse(0);
        double hi = Arrays.stream(a).max().orElse(0);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = hi > lo ? 2 * (a[i] - lo) / (hi - lo) - 1 : 0;
        }
        return out;
    }

    /**
     * A grid size for {@code data} following the SOM Toolbox's heuristic (Vesanto et al. 2000,
     * {@code som_topol_struct}): about {@code 5 sqrt(N)} nodes, the sides in the ratio of the square
     * roots of the two largest eigenvalues of the data's covariance (the longer side first, as columns).
     *
     * @param data samples (N, d), N at least 2
     * @param topology the lattice type
     * @return the grid
     */
    public static Grid suggestGrid(Tensor data, Grid.Topology topology) {
        if (data == null || data.dim() != 2 || data.size(0) < 2) {
            throw new IllegalArgumentException("SOM.suggestGrid: expected samples (N, d) with N >= 2, got "
                    + (data == null ? "null" : Shape.format(data.shape())));
        }
        int units = (int) Math.ceil(5 * Math.sqrt(data.size(0)));
        Pca p = Pca.of(data);
        double ratio =
                p.values.length < 2 || p.values[1] <= 0 ? Math.max(1, units) : Math.sqrt(p.values[0] / p.values[1]);
        // hexagonal rows are sqrt(3)/2 apart: more rows for the same height
        double rowSpacing = topology == Grid.Topology.HEXAGONAL ? Math.sqrt(0.75) : 1;
        int rows = (int) Math.max(1, Math.round(Math.sqrt(units / (ratio * rowSpacing))));
        int cols = (int) Math.max(1, Math.round((double) units / rows));
        return new Grid(rows, cols, topology);
    }

    // ------------------------------------------------------------------------------------------ distances

    /** Squared distances {@code (N, nodes)} from each sample to each node's weight. */
    Tensor squaredDistancesUnchecked(Tensor x) {
        Tensor w = weight();
        Tensor wn = w.square().sum(1, false);
        Tensor xn = x.square().sum(1, true);
        return Tensor.addmm(wn, x, w.t(), 1, -2).add(xn).clamp(0, Double.POSITIVE_INFINITY);
    }

    /**
     * The squared Euclidean distances from each sample to every node's weight.
     *
     * @param x samples (N, dim)
     * @return (N, nodes)
     */
    public Tensor squaredDistances(Tensor x) {
        return squaredDistancesUnchecked(checkData("squaredDistances", x));
    }

    /**
     * The best-matching unit of each sample: the node whose weight is nearest (the first one on a tie).
     *
     * @param x samples (N, dim)
     * @return node indices, INT32 (N)
     */
    public Tensor bmu(Tensor x) {
        return squaredDistances(x).argmin(1, false);
    }

    /**
     * The best-matching unit of one sample.
     *
     * @param x one sample (dim)
     * @return its node
     */
    public int bmuOf(Tensor x) {
        if (x == null || x.dim() != 1 || x.size(0) != dim) {
            throw new IllegalArgumentException("SOM.bmuOf: expected one sample (" + dim + "), got "
                    + (x == null ? "null" : Shape.format(x.shape())));
        }
        return bmu(x.reshape(1, dim)).toIntArray()[0];
    }

    /**
     * The best and the second-best matching units of each sample.
     *
     * @param x samples (N, dim)
     * @return INT32 (N, 2): column 0 the best node, column 1 the second best
     */
    public Tensor twoBest(Tensor x) {
        if (grid.size() < 2) {
            throw new IllegalStateException("SOM.twoBest: the map has one node; there is no second-best unit");
        }
        Tensor d = squaredDistances(x);
        Tensor first = d.argmin(1, true);
        Tensor masked = d.scatterAdd(1, first, Tensor.full(d.dtype(), Double.POSITIVE_INFINITY, d.size(0), 1));
        Tensor second = masked.argmin(1, true);
        return Tensor.cat(1, first, second);
    }

    /**
     * The quantization error: the mean Euclidean distance from each sample to its best-matching unit's
     * weight.
     *
     * @param x samples (N, dim)
     * @return the error
     */
    public double quantizationError(Tensor x) {
        return squaredDistances(x)
                .amin(new int[] {1}, false)
                .sqrt()
                .to(DType.FLOAT64)
                .mean()
                .item();
    }

    /**
     * The topographic error (Kiviluoto 1996): the share of samples whose best and second-best
     * matching units are not adjacent on the lattice ({@link Grid#adjacent}).
     *
     * @param x samples (N, dim)
     * @return the error in [0, 1]
     */
    public double topographicError(Tensor x) {
        int[] two = twoBest(x).toIntArray();
        int n = two.length / 2;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (!grid.adjacent(two[2 * i], two[2 * i + 1])) {
                bad++;
            }
        }
        return (double) bad / n;
    }

    // ------------------------------------------------------------------------------------------ training

    /**
     * One online update with sample {@code x} (Kohonen 2001, eq. 3.2):
     * {@code w_i += learningRate h(d(i, b), radius) (x - w_i)} for the best-matching unit {@code b}.
     *
     * @param x one sample (dim)
     * @param learningRate the step, in (0, 1]
     * @param radius the neighbourhood radius, positive
     * @param neighborhood the neighbourhood function
     * @return the best-matching unit {@code b}
     */
    public int update(Tensor x, double learningRate, double radius, Neighborhood neighborhood) {
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("SOM.update: the learning rate must be in (0, 1], got " + learningRate);
        }
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("SOM.update: the radius must be positive and finite, got " + radius);
        }
        if (neighborhood == null) {
            throw new IllegalArgumentException("SOM.update: the neighbourhood must not be null");
        }
        if (x == null || x.dim() != 1 || x.size(0) != dim) {
            throw new IllegalArgumentException("SOM.update: expected one sample (" + dim + "), got "
                    + (x == null ? "null" : Shape.format(x.shape())));
        }
        checkData("update", x.reshape(1, dim));
        return step(x, learningRate, radius, neighborhood, grid.squaredDistances(weight().dtype()));
    }

    private int step(Tensor x, double lr, double radius, Neighborhood nb, Tensor gridD2) {
        Tensor w = weight();
        Tensor diff = x.reshape(1, dim).sub(w); // (K, d): x - w_i
        int b = diff.square().sum(1, false).argmin().toIntArray()[0];
        Tensor h = nb.apply(gridD2.select(0, b), radius).mul(lr).unsqueeze(1); // (K, 1)
        w.add_(diff.mul(h));
        return b;
    }

    /**
     * One batch-map update (Kohonen 2001, eq. 3.30): every node becomes the neighbourhood-weighted
     * mean of the samples, weighted by {@code h(d(node, bmu(x)), radius)}; a node with zero total
     * weight keeps its vector.
     *
     * @param x samples (N, dim)
     * @param radius the neighbourhood radius, positive
     * @param neighborhood the neighbourhood function
     */
    public void batchUpdate(Tensor x, double radius, Neighborhood neighborhood) {
        if (neighborhood == null) {
            throw new IllegalArgumentException("SOM.batchUpdate: the neighbourhood must not be null");
        }
        checkData("batchUpdate", x);
        batchStep(x, radius, neighborhood, grid.squaredDistances(weight().dtype()));
    }

    private void batchStep(Tensor x, double radius, Neighborhood nb, Tensor gridD2) {
        Tensor w = weight();
        int k = grid.size();
        Tensor onehot = squaredDistancesUnchecked(x).argmin(1, false).oneHot(k).to(w.dtype()); // (N, K)
        Tensor sums = onehot.t().matmul(x); // (K, d)
        Tensor counts = onehot.sum(0, false).unsqueeze(1); // (K, 1)
        Tensor h = nb.apply(gridD2, radius); // (K, K), symmetric
        Tensor num = h.matmul(sums);
        Tensor den = h.matmul(counts);
        Tensor has = den.gt(0);
        Tensor next = Tensor.where(has, num.div(den.maskedFill(has.eq(0), 1)), w);
        w.copy_(next);
    }

    /**
     * Trains the map on {@code data} (see the class comment). The weights should be initialized first.
     *
     * @param data samples (N, dim)
     * @param options the options (copied)
     * @return one record per epoch
     */
    public List<Epoch> train(Tensor data, Options options) {
        if (options == null) {
            throw new IllegalArgumentException("SOM.train: options must not be null");
        }
        checkData("train", data);
        Options o = options.copy();
        double r0 = Double.isNaN(o.radiusStart)
                ? Math.max(Math.max(grid.rows(), grid.cols()) / 2.0, o.radiusEnd)
                : o.radiusStart;
        Tensor gridD2 = grid.squaredDistances(weight().dtype());
        Generator g = new Generator(o.seed);
        int n = data.size(0);
        List<Epoch> out = new ArrayList<>();
        long total = (long) o.epochs * n;
        long t = 0;
        for (int e = 0; e < o.epochs; e++) {
            long t0 = System.nanoTime();
            double lr = Double.NaN;
            double radius;
            if (o.mode == Mode.BATCH) {
                double f = o.epochs == 1 ? 1 : (double) e / (o.epochs - 1);
                radius = o.radiusDecay.value(r0, o.radiusEnd, f);
                batchStep(data, radius, o.neighborhood, gridD2);
            } else {
                int[] perm = Tensor.randperm(g, n).toIntArray();
                radius = r0;
                for (int i = 0; i < n; i++, t++) {
                    double f = total == 1 ? 1 : (double) t / (total - 1);
                    lr = o.learningRateDecay.value(o.learningRateStart, o.learningRateEnd, f);
                    radius = o.radiusDecay.value(r0, o.radiusEnd, f);
                    step(data.select(0, perm[i]), lr, radius, o.neighborhood, gridD2);
                }
            }
            double qe = quantizationError(data);
            out.add(new Epoch(e + 1, lr, radius, qe, (System.nanoTime() - t0) / 1e9));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ maps and labels

    /**
     * The U-matrix (Ultsch and Siemon 1990), one value per node: the mean distance from its weight to
     * the weights of its adjacent nodes. High values mark cluster borders.
     *
     * @return FLOAT64 {@code (rows, cols)}
     */
    public Tensor uMatrix() {
        int k = grid.size();
        double[] w = weight().contiguous().to(DType.FLOAT64).toDoubleArray();
        double[] u = new double[k];
        for (int i = 0; i < k; i++) {
            int[] nb = grid.neighbours(i);
            double s = 0;
            for (int j : nb) {
                double d = 0;
                for (int c = 0; c < dim; c++) {
                    double diff = w[i * dim + c] - w[j * dim + c];
                    d += diff * diff;
                }
                s += Math.sqrt(d);
            }
            u[i] = nb.length == 0 ? 0 : s / nb.length;
        }
        return Tensor.wrap(u, grid.rows(), grid.cols());
    }

    /**
     * A component plane: the weights' value of one feature at every node.
     *
     * @param feature the feature, in [0, dim)
     * @return FLOAT64 {@code (rows, cols)}
     */
    public Tensor componentPlane(int feature) {
        if (feature < 0 || feature >= dim) {
            throw new IllegalArgumentException(
                    "SOM.componentPlane: feature " + feature + " is outside [0, " + dim + ")");
        }
        return weight().select(1, feature).to(DType.FLOAT64).contiguous().reshape(grid.rows(), grid.cols());
    }

    /**
     * How many samples each node wins.
     *
     * @param x samples (N, dim)
     * @return counts per node
     */
    public int[] hits(Tensor x) {
        int[] b = bmu(x).toIntArray();
        int[] h = new int[grid.size()];
        for (int v : b) {
            h[v]++;
        }
        return h;
    }

    private int[][] labelCounts(String op, Tensor x, Tensor labels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("SOM." + op + ": classes must be at least 1, got " + classes);
        }
        if (labels != null) {
            labels = labels.asInt32Index("SOM." + op); // INT64 labels as INT32
        }
        if (labels == null
                || labels.dtype() != DType.INT32
                || labels.dim() != 1
                || x == null
                || labels.size(0) != x.size(0)) {
            throw new IllegalArgumentException("SOM." + op + ": expected INT32 or INT64 labels (N) for samples (N, "
                    + dim
                    + "), got labels "
                    + (labels == null ? "null" : labels.dtype() + " " + Shape.format(labels.shape())) + " and samples "
                    + (x == null ? "null" : Shape.format(x.shape())));
        }
        int[] b = bmu(x).toIntArray();
        int[] y = labels.contiguous().toIntArray();
        int[][] counts = new int[grid.size()][classes];
        for (int i = 0; i < b.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException(
                        "SOM." + op + ": label " + y[i] + " at sample " + i + " is outside [0, " + classes + ")");
            }
            counts[b[i]][y[i]]++;
        }
        return counts;
    }

    /**
     * Each node's majority label among the samples it wins (the smallest label on a tie), or -1 for a
     * node that wins no sample.
     *
     * @param x samples (N, dim)
     * @param labels INT32 labels (N) in [0, classes)
     * @param classes the number of classes
     * @return one label per node
     */
    public int[] nodeLabels(Tensor x, Tensor labels, int classes) {
        int[][] counts = labelCounts("nodeLabels", x, labels, classes);
        int[] out = new int[grid.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = majority(counts[i]);
        }
        return out;
    }

    private static int majority(int[] c) {
        int best = -1;
        int most = 0;
        for (int j = 0; j < c.length; j++) {
            if (c[j] > most) {
                most = c[j];
                best = j;
            }
        }
        return best;
    }

    /**
     * Node purity: the share of samples whose node's majority label (over these samples) equals
     * their own label.
     *
     * @param x samples (N, dim)
     * @param labels INT32 labels (N) in [0, classes)
     * @param classes the number of classes
     * @return the purity in [0, 1]
     */
    public double purity(Tensor x, Tensor labels, int classes) {
        int[][] counts = labelCounts("purity", x, labels, classes);
        long agree = 0;
        for (int[] c : counts) {
            int m = majority(c);
            if (m >= 0) {
                agree += c[m];
            }
        }
        return (double) agree / x.size(0);
    }

    /**
     * Labels samples by their best-matching unit among the labelled nodes (nodes labelled -1 are
     * skipped, so every sample gets the label of the nearest node that won training samples).
     *
     * @param x samples (N, dim)
     * @param nodeLabels one label per node, -1 for none (from {@link #nodeLabels})
     * @return INT32 labels (N)
     */
    public Tensor classify(Tensor x, int[] nodeLabels) {
        if (nodeLabels == null || nodeLabels.length != grid.size()) {
            throw new IllegalArgumentException("SOM.classify: expected " + grid.size() + " node labels, got "
                    + (nodeLabels == null ? "null" : nodeLabels.length));
        }
        double[] mask = new double[grid.size()];
        boolean any = false;
        for (int i = 0; i < mask.length; i++) {
            if (nodeLabels[i] < 0) {
                mask[i] = 1;
            } else {
                any = true;
            }
        }
        if (!any) {
            throw new IllegalArgumentException("SOM.classify: no node has a label");
        }
        Tensor d = squaredDistances(x).maskedFill(Tensor.wrap(mask, grid.size()), Double.POSITIVE_INFINITY);
        int[] b = d.argmin(1, false).toIntArray();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = nodeLabels[b[i]];
        }
        return Tensor.wrap(out, out.length);
    }

    /** The squared distances from each sample to every node {@code (N, nodes)}, differentiable in x. */
    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 2 || x.size(1) != dim) {
            throw new IllegalArgumentException(
                    "SOM.forward: expected samples (N, " + dim + "), got " + Shape.format(x.shape()));
        }
        Variable w = Variable.constant(weight());
        Variable xn = x.square().sum(1, true);
        Variable wn = w.square().sum(1, false);
        return xn.add(wn).sub(x.matmul(w.t()).mul(2));
    }

    @Override
    protected String extraRepr() {
        return "grid=" + grid + ", dim=" + dim;
    }
}
