package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backstitch training: on a selected mini-batch, first take a small step <em>up</em> the gradient,
 * then a larger step down from the point reached, using the gradient recomputed there on the same
 * mini-batch. From Yiming Wang, Vijayaditya Peddinti, Hainan Xu, Xiaohui Zhang, Daniel Povey and
 * Sanjeev Khudanpur, "Backstitch: Counteracting Finite-Sample Bias via Negative Steps",
 * Interspeech 2017, as implemented in Kaldi's nnet3 trainer.
 *
 * <p>With learning rate {@code lr}, scale {@code alpha} and the mini-batch loss L, a backstitch step is
 * <pre>
 * theta' = theta + alpha * lr * grad L(theta)                 (negative step, no weight decay)
 * theta'' = theta' - (1 + alpha) * lr * grad L(theta')        (weight decay scaled by 1 / (1 + alpha))
 * </pre>
 * The negative step moves away from the minimum of this particular mini-batch, which counteracts the
 * bias of fitting each mini-batch too well; the paper reports consistent gains on speech recognition
 * with {@code alpha = 0.3}. Weight decay enters only the second step, scaled so that its total effect
 * per mini-batch ({@code (1 + alpha) * lr * wd / (1 + alpha) = lr * wd}) equals a plain step's.
 *
 * <h2>Which mini-batches</h2>
 * Backstitch runs on mini-batches whose index (counting calls to {@link #step(Closure)} from 0) is
 * congruent to a random phase modulo the interval n; the others get one plain step. n = 1 (every
 * mini-batch) is the recommended setting, n = 4 costs a quarter of the extra passes. An optional
 * linear warm-up uses {@code alpha * min(1, (t + 1) / warmup)} at mini-batch t. alpha = 0 turns
 * backstitch off (plain steps only).
 *
 * <h2>Base optimizers</h2>
 * Backstitch wraps a base optimizer and shares its parameter groups: learning-rate schedulers may be
 * attached to either. Over plain {@link SGD} it is exactly the method above. SGD with momentum is
 * refused, as in the original (the momentum buffer would mix the negative step into later steps).
 * Over adaptive optimizers (Adam, RMSprop, ...) both steps are the base optimizer's update with the
 * learning rate scaled by {@code -alpha} and {@code 1 + alpha}, and <b>the negative step does not
 * update the moment estimates</b>: the state (moments, step count) is saved before it and restored
 * after it, so it is as if the optimizer had only seen the second pass's gradient. The direction of the
 * negative step is still computed with the moments updated by the first gradient.
 *
 * <h2>Randomness and batch-norm statistics</h2>
 * Both passes must see the same network: register each {@link Generator} that the forward pass
 * draws from (dropout) with {@link #trackGenerator}; its state is saved before the first pass and
 * restored before the second, so dropout masks are identical. Layers that keep running statistics
 * (batch normalization) should update them only when {@link #isFinalPass()} is true, so they are
 * updated once per mini-batch, in the second pass. Outside Backstitch the pass is always
 * {@link Pass#FINAL}.
 *
 * <pre>{@code
 * SGD sgd = new SGD(model.parameters(), 0.1);
 * Backstitch opt = new Backstitch(sgd, 0.3, 1).trackGenerator(dropoutGenerator);
 * for (Batch b : loader) {
 *     double loss = opt.step(() -> {          // called once or twice per mini-batch
 *         Variable l = lossFn(model.forward(b.x()), b.y());
 *         l.backward();
 *         return l.item();
 *     });
 * }
 * // in a batch-norm layer's training forward:
 * if (Backstitch.isFinalPass()) { runningMean.mul_(1 - momentum).add_(batchMean, momentum); }
 * }</pre>
 *
 * <p>The closure need not clear gradients: Backstitch clears them before each pass.
 * {@link #step(Closure)} returns the first pass's loss (the loss at the point before the update).
 */
public final class Backstitch extends Optimizer {

    /** Which forward/backward pass of a mini-batch is running. */
    public enum Pass {
        /** Backstitch's first pass, at the original point: do not update running statistics. */
        FIRST,
        /** A plain step's only pass, or backstitch's second pass: update running statistics. */
        FINAL
    }

    private static final ThreadLocal<Pass> PASS = ThreadLocal.withInitial(() -> Pass.FINAL);

    private final Optimizer base;
    private final double alpha;
    private final int interval;
    private int phase;
    private int warmup;
    private long iteration;
    private final List<Generator> generators = new ArrayList<>();
    private Map<Parameter, ParamState> snapshot;

    /**
     * Backstitch over {@code base} with scale {@code alpha} every {@code interval} mini-batches, at a
     * phase drawn from {@link Generator#global()}.
     */
    public Backstitch(Optimizer base, double alpha, int interval) {
        this(base, alpha, interval, Generator.global());
    }

    /** Like {@link #Backstitch(Optimizer, double, int)} with the phase drawn from {@code rng}. */
    public Backstitch(Optimizer base, double alpha, int interval, Generator rng) {
        super("Backstitch", checkBase(base));
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException(
                    "Backstitch: invalid alpha " + fmt(alpha) + " (must be >= 0; 0.3 is recommended)");
        }
        if (interval < 1) {
            throw new IllegalArgumentException("Backstitch: invalid interval " + interval + " (must be >= 1)");
        }
        this.base = base;
        this.alpha = alpha;
        this.interval = interval;
        this.phase = rng.nextInt(interval);
        checkMomentum(true);
    }

    private static Optimizer checkBase(Optimizer base) {
        if (base == null) {
            throw new IllegalArgumentException("Backstitch: base optimizer must not be null");
        }
        if (base instanceof Backstitch) {
            throw new IllegalArgumentException("Backstitch: the base optimizer is already a Backstitch");
        }
        return base;
    }

    /** Sets the phase: backstitch runs on mini-batches t with {@code t % interval == phase}. */
    public Backstitch phase(int phase) {
        if (phase < 0 || phase >= interval) {
            throw new IllegalArgumentException(
                    "Backstitch: invalid phase " + phase + " (must be in [0, " + interval + "))");
        }
        this.phase = phase;
        return this;
    }

    /** Warms alpha up linearly over the first {@code iterations} mini-batches (0: no warm-up). */
    public Backstitch warmup(int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("Backstitch: invalid warm-up " + iterations + " (must be >= 0)");
        }
        this.warmup = iterations;
        return this;
    }

    /** Saves and restores {@code g} around the two passes so that both draw the same random numbers. */
    public Backstitch trackGenerator(Generator g) {
        if (g == null) {
            throw new IllegalArgumentException("Backstitch.trackGenerator: generator must not be null");
        }
        generators.add(g);
        return this;
    }

    /** The wrapped optimizer. */
    public Optimizer base() {
        return base;
    }

    /** The configured scale alpha. */
    public double alpha() {
        return alpha;
    }

    /** The interval n. */
    public int interval() {
        return interval;
    }

    /** The phase. */
    public int phase() {
        return phase;
    }

    /** The number of mini-batches stepped so far. */
    public long iteration() {
        return iteration;
    }

    /** The alpha used at mini-batch {@code t} (after warm-up), whether or not t is a backstitch mini-batch. */
    public double alphaAt(long t) {
        if (warmup == 0 || t + 1 >= warmup) {
            return alpha;
        }
        return alpha * (t + 1) / warmup;
    }

    /** The pass running on this thread ({@link Pass#FINAL} outside Backstitch). */
    public static Pass currentPass() {
        return PASS.get();
    }

    /** True unless this thread is in backstitch's first pass: layers update running statistics only then. */
    public static boolean isFinalPass() {
        return PASS.get() == Pass.FINAL;
    }

    /** Not available: backstitch needs to recompute the gradient, so call {@link #step(Closure)}. */
    @Override
    public void step() {
        throw new IllegalStateException("Backstitch: step() cannot recompute the gradient; call step(closure) "
                + "with a closure that computes the loss and calls backward()");
    }

    /**
     * Processes one mini-batch: one pass and a plain step, or (on backstitch mini-batches) two passes
     * with a negative and a positive step. Returns the loss of the first pass.
     */
    @Override
    public double step(Closure closure) {
        if (closure == null) {
            throw new IllegalArgumentException("Backstitch.step: closure must not be null");
        }
        checkMomentum(false);
        long t = iteration++;
        double a = alphaAt(t);
        if (a == 0 || t % interval != phase) {
            base.zeroGrad();
            double loss = run(Pass.FINAL, closure);
            base.step();
            return loss;
        }
        long[][] rngStates = new long[generators.size()][];
        for (int k = 0; k < rngStates.length; k++) {
            rngStates[k] = generators.get(k).getState(); // replay the same dropout masks in pass 2
        }
        base.zeroGrad();
        double loss = run(Pass.FIRST, closure); // grad L(theta)
        snapshot = base.snapshotState(snapshot); // moments must not see the negative step
        scaledStep(-a, 0); // theta' = theta + alpha lr grad, no decay
        base.restoreState(snapshot);
        for (int k = 0; k < rngStates.length; k++) {
            generators.get(k).setState(rngStates[k]);
        }
        base.zeroGrad();
        run(Pass.FINAL, closure); // grad L(theta') on the same mini-batch
        scaledStep(1 + a, 1 / (1 + a)); // theta'' = theta' - (1 + alpha) lr grad'
        return loss;
    }

    private static double run(Pass pass, Closure closure) {
        Pass previous = PASS.get();
        PASS.set(pass);
        try {
            return evaluate(closure);
        } finally {
            PASS.set(previous);
        }
    }

    /** One base step with every group's lr times {@code lrScale} and weight decay times {@code wdScale}. */
    private void scaledStep(double lrScale, double wdScale) {
        List<ParamGroup> groups = base.paramGroups();
        double[] lrs = new double[groups.size()];
        double[] wds = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = groups.get(i);
            lrs[i] = g.lr();
            g.put("lr", lrs[i] * lrScale);
            if (g.has("weight_decay")) {
                wds[i] = g.get("weight_decay");
                g.put("weight_decay", wds[i] * wdScale);
            }
        }
        try {
            base.step();
        } finally {
            for (int i = 0; i < lrs.length; i++) {
                ParamGroup g = groups.get(i);
                g.put("lr", lrs[i]);
                if (g.has("weight_decay")) {
                    g.put("weight_decay", wds[i]);
                }
            }
        }
    }

    private void checkMomentum(boolean atConstruction) {
        if (!(base instanceof SGD)) {
            return;
        }
        List<ParamGroup> groups = base.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double m = groups.get(i).get("momentum");
            if (m != 0 && alpha != 0) {
                String msg = "Backstitch: the base SGD has momentum " + fmt(m) + " in parameter group " + i
                        + "; backstitch is defined for plain SGD (momentum 0), as in the original method"
                        + (atConstruction
                                ? ""
                                : " (a schedule cycling the momentum, such as OneCycleLR, must use "
                                        + "cycleMomentum(false))");
                throw atConstruction ? new IllegalArgumentException(msg) : new IllegalStateException(msg);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ delegation

    /** Adds a group to the base optimizer (the groups are shared). */
    @Override
    public void addParamGroup(Collection<? extends Parameter> params, OptimizerOptions<?> overrides) {
        base.addParamGroup(params, overrides);
    }

    /** Never called: the base optimizer makes the updates. */
    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup group) {
        throw new UnsupportedOperationException("Backstitch: updates are made by the base optimizer");
    }

    @Override
    protected void validate(ParamGroup group) {
        base.validate(group);
    }

    /**
     * The base optimizer's state dictionary plus {@code backstitch.iteration} and
     * {@code backstitch.phase} (0-d FLOAT64), so that the mini-batch selection resumes too.
     */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = base.stateDict();
        out.put("backstitch.iteration", Tensor.scalar(DType.FLOAT64, (double) iteration));
        out.put("backstitch.phase", Tensor.scalar(DType.FLOAT64, phase));
        return out;
    }

    /** Restores a dictionary saved by {@link #stateDict()}. */
    @Override
    public void loadStateDict(Map<String, Tensor> dict) {
        Map<String, Tensor> rest = new LinkedHashMap<>(dict);
        Tensor it = rest.remove("backstitch.iteration");
        Tensor ph = rest.remove("backstitch.phase");
        if (ph != null) {
            phase((int) ph.item());
        }
        base.loadStateDict(rest);
        if (it != null) {
            iteration = (long) it.item();
        }
    }
}
