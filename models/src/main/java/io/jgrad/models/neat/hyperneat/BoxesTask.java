package io.jgrad.models.neat.hyperneat;

import io.jgrad.models.neat.Genome;
import io.jgrad.models.neat.Neat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The visual discrimination task of Stanley, D'Ambrosio and Gauci 2009 (section 5, after Gauci and Stanley
 * 2007): an 11x11 binary retina shows a small box (one pixel) and a large box (3x3 pixels); the substrate
 * connects the retina to an 11x11 target field of the same geometry, and its answer is the target node of
 * highest activation, which should be the large box's centre.
 *
 * <p>Training, as in the paper: 75 trials. The small box is placed at 25 positions spread uniformly over the
 * field (rows and columns 1, 3, 5, 7, 9); for each, the large box's centre goes five pixels to the right, five
 * down, and five diagonally (right and down), wrapping around the field's edge, and is then moved the least
 * distance that puts the whole box in view. The fitness grows as the sum {@code S} of the squared distances
 * between the answer and the target over the 75 trials shrinks, as in the paper; here {@code f = 100 / (1 + S /
 * 75)}, 100 when every answer is right. A CPPN solves the task when all 75 answers are right.
 *
 * <p>Held-out test ({@link #testTrials()}): every placement of the two boxes with the large box wholly in view
 * and the small box not touching it (at least one empty pixel between them), less the 75 training placements:
 * 7,877 trials.
 *
 * <p>Resolution: at {@code scale} s (an odd number) the retina and the target field are {@code 11 s x 11 s}, each
 * pixel of the 11x11 field becoming an {@code s x s} block, so the boxes are {@code s x s} and {@code 3s x 3s}
 * and the target is the centre pixel of the large one. Distances are always in pixels of the 11x11 field (pixels
 * at scale s divided by s), so scores at different resolutions compare directly. A CPPN evolved at 11x11 is
 * judged at 33x33 by building its network on {@link Substrate#resampled} and scoring with {@link #score}.
 * Stateless and thread-safe.
 */
public final class BoxesTask implements Neat.Evaluator {
    /** The side of the field at scale 1. */
    public static final int FIELD = 11;

    /**
     * One placement of the boxes on the 11x11 field.
     *
     * @param smallRow the small box's row, in [0, 11)
     * @param smallCol the small box's column, in [0, 11)
     * @param largeRow the large box's centre row, in [1, 9] so that the box is in view
     * @param largeCol the large box's centre column, in [1, 9]
     */
    public record Trial(int smallRow, int smallCol, int largeRow, int largeCol) {
        /**
         * A placement.
         *
         * @throws IllegalArgumentException when a box leaves the field or the boxes overlap
         */
        public Trial {
            if (smallRow < 0 || smallRow >= FIELD || smallCol < 0 || smallCol >= FIELD) {
                throw new IllegalArgumentException("BoxesTask.Trial: the small box must lie in the 11x11 field, got ("
                        + smallRow + ", " + smallCol + ")");
            }
            if (largeRow < 1 || largeRow > FIELD - 2 || largeCol < 1 || largeCol > FIELD - 2) {
                throw new IllegalArgumentException(
                        "BoxesTask.Trial: the large box's centre must be in [1, 9] so that the box "
                                + "lies in the field, got (" + largeRow + ", " + largeCol + ")");
            }
            if (Math.abs(smallRow - largeRow) <= 1 && Math.abs(smallCol - largeCol) <= 1) {
                throw new IllegalArgumentException("BoxesTask.Trial: the small box at (" + smallRow + ", " + smallCol
                        + ") overlaps the large box centred at (" + largeRow + ", " + largeCol + ")");
            }
        }
    }

    /**
     * The outcome of a set of trials.
     *
     * @param trials the number of trials
     * @param meanDistance the mean distance from the answer to the target, in pixels of the 11x11 field
     * @param sumSquaredDistance the sum of the squared distances
     * @param successRate the share of trials whose answer is exactly the target
     * @param withinHalfPixelRate the share of trials whose answer lies less than half a pixel of the 11x11 field
     *     from the target (at scale 1 the same as {@code successRate}; at scale s, within the large box's centre
     *     block of s x s pixels)
     */
    public record Score(
            int trials,
            double meanDistance,
            double sumSquaredDistance,
            double successRate,
            double withinHalfPixelRate) {}

    private final HyperNeat hyperneat;
    private final List<Trial> trials;

    /**
     * The task with the paper's 75 training trials.
     *
     * @param hyperneat HyperNEAT on a substrate whose first and last layers are 11x11 (hidden layers allowed)
     */
    public BoxesTask(HyperNeat hyperneat) {
        this(hyperneat, trainingTrials());
    }

    /**
     * The task with the given trials.
     *
     * @param hyperneat HyperNEAT on a substrate whose first and last layers are {@code 11 s x 11 s}, s odd
     * @param trials at least one trial
     */
    public BoxesTask(HyperNeat hyperneat, List<Trial> trials) {
        if (hyperneat == null) {
            throw new IllegalArgumentException("BoxesTask: hyperneat must not be null");
        }
        scaleOf(hyperneat.substrate());
        if (trials == null || trials.isEmpty()) {
            throw new IllegalArgumentException("BoxesTask: needs at least one trial");
        }
        this.hyperneat = hyperneat;
        this.trials = List.copyOf(trials);
    }

    /** The trials this task scores. */
    public List<Trial> trials() {
        return trials;
    }

    /**
     * The resolution multiple s of a substrate for this task: its input and output layers must both be
     * {@code 11 s x 11 s} with s odd.
     *
     * @throws IllegalArgumentException otherwise, naming the layers
     */
    public static int scaleOf(Substrate substrate) {
        Substrate.Grid in = substrate.layer(0);
        Substrate.Grid out = substrate.layer(substrate.layerCount() - 1);
        int s = in.rows() / FIELD;
        if (in.rows() != in.cols() || !in.equals(out) || in.rows() % FIELD != 0 || s % 2 == 0) {
            throw new IllegalArgumentException(
                    "BoxesTask: the input and output layers must both be 11s x 11s with s odd "
                            + "(11x11, 33x33, 55x55, ...), got " + in + " and " + out);
        }
        return s;
    }

    /** The paper's 75 training trials: 25 small-box positions, the large box right, down and diagonal of each. */
    public static List<Trial> trainingTrials() {
        int[] at = {1, 3, 5, 7, 9};
        int[][] offsets = {{0, 5}, {5, 0}, {5, 5}};
        List<Trial> out = new ArrayList<>();
        for (int r : at) {
            for (int c : at) {
                for (int[] o : offsets) {
                    out.add(new Trial(r, c, placeCentre(r + o[0]), placeCentre(c + o[1])));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Wraps a centre coordinate around the field, then moves it the least distance that keeps the 3x3 box in view. */
    static int placeCentre(int v) {
        int w = Math.floorMod(v, FIELD);
        return Math.max(1, Math.min(FIELD - 2, w));
    }

    /**
     * The held-out test trials: every placement with the small box at least one empty pixel away from the large
     * one, except the training placements.
     */
    public static List<Trial> testTrials() {
        Set<Trial> training = new HashSet<>(trainingTrials());
        List<Trial> out = new ArrayList<>();
        for (int lr = 1; lr <= FIELD - 2; lr++) {
            for (int lc = 1; lc <= FIELD - 2; lc++) {
                for (int sr = 0; sr < FIELD; sr++) {
                    for (int sc = 0; sc < FIELD; sc++) {
                        if (Math.max(Math.abs(sr - lr), Math.abs(sc - lc)) >= 3) {
                            Trial t = new Trial(sr, sc, lr, lc);
                            if (!training.contains(t)) {
                                out.add(t);
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The retina for a trial at scale {@code s}: {@code (11 s)^2} values, row by row, 1 on the boxes and 0 elsewhere.
     *
     * @param t the placement
     * @param scale an odd number, at least 1
     */
    public static double[] field(Trial t, int scale) {
        checkScale(scale);
        int n = FIELD * scale;
        double[] f = new double[n * n];
        for (int r = 0; r < n; r++) {
            int cr = r / scale;
            for (int c = 0; c < n; c++) {
                int cc = c / scale;
                boolean small = cr == t.smallRow() && cc == t.smallCol();
                boolean large = Math.abs(cr - t.largeRow()) <= 1 && Math.abs(cc - t.largeCol()) <= 1;
                if (small || large) {
                    f[r * n + c] = 1.0;
                }
            }
        }
        return f;
    }

    private static void checkScale(int scale) {
        if (scale < 1 || scale % 2 == 0) {
            throw new IllegalArgumentException(
                    "BoxesTask: scale must be odd and at least 1 (11x11, 33x33, ...), got " + scale);
        }
    }

    /** The index of the largest value (the first of equal ones), the substrate's answer. */
    public static int argmax(double[] v) {
        if (v == null || v.length == 0) {
            throw new IllegalArgumentException("BoxesTask.argmax: needs at least one value");
        }
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The distance, in pixels of the 11x11 field, from output node {@code answer} of a {@code 11 s x 11 s} field to
     * the centre pixel of the trial's large box.
     */
    public static double distance(Trial t, int answer, int scale) {
        checkScale(scale);
        int n = FIELD * scale;
        if (answer < 0 || answer >= n * n) {
            throw new IllegalArgumentException(
                    "BoxesTask.distance: answer must be in [0, " + n * n + "), got " + answer);
        }
        int half = scale / 2;
        double dr = answer / n - (t.largeRow() * scale + half);
        double dc = answer % n - (t.largeCol() * scale + half);
        return Math.sqrt(dr * dr + dc * dc) / scale;
    }

    /**
     * The task's fitness from the sum of squared distances over {@code trials} trials, {@code 100 / (1 + S / trials)}.
     */
    public static double fitness(double sumSquaredDistance, int trials) {
        if (!(sumSquaredDistance >= 0) || Double.isInfinite(sumSquaredDistance) || trials < 1) {
            throw new IllegalArgumentException(
                    "BoxesTask.fitness: need a finite sum of squares >= 0 and at least one trial, got "
                            + sumSquaredDistance + " and " + trials);
        }
        return 100.0 / (1.0 + sumSquaredDistance / trials);
    }

    /**
     * Scores a substrate network on trials; its scale comes from its substrate.
     *
     * @param net a network whose input and output layers are {@code 11 s x 11 s}
     * @param trials the placements
     * @return the score
     */
    public static Score score(SubstrateNetwork net, List<Trial> trials) {
        int scale = scaleOf(net.substrate());
        if (trials == null || trials.isEmpty()) {
            throw new IllegalArgumentException("BoxesTask.score: needs at least one trial");
        }
        double sum = 0;
        double sumSq = 0;
        int hits = 0;
        int near = 0;
        for (Trial t : trials) {
            double d = distance(t, argmax(net.activate(field(t, scale))), scale);
            sum += d;
            sumSq += d * d;
            if (d == 0) {
                hits++;
            }
            if (d < 0.5) {
                near++;
            }
        }
        int n = trials.size();
        return new Score(n, sum / n, sumSq, (double) hits / n, (double) near / n);
    }

    /** Scores the network that {@code cppn} builds on this task's substrate, on this task's trials. */
    public Score score(Genome cppn) {
        return score(hyperneat.build(cppn), trials);
    }

    @Override
    public Neat.Evaluation evaluate(Genome genome) {
        Score s = score(genome);
        return new Neat.Evaluation(fitness(s.sumSquaredDistance(), s.trials()), s.successRate() == 1.0);
    }
}
