package io.jgrad.optim;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.Map;

/**
 * Cosine annealing with warm restarts (SGDR; Loshchilov and Hutter, ICLR 2017): the learning rate
 * follows {@code etaMin + (initial_lr - etaMin) * (1 + cos(pi * T_cur / T_i)) / 2}, where
 * {@code T_cur} counts epochs since the last restart and the i-th period lasts
 * {@code T_i = t0 * tMult^i} epochs. Like PyTorch's {@code CosineAnnealingWarmRestarts}, it can also be
 * stepped with fractional epochs ({@link #step(double)}, e.g. {@code epoch + batch / batchesPerEpoch}).
 */
public class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0;
    private final int tMult;
    private final double etaMin;
    private int tI;
    private double tCur;

    /** Restarts every {@code t0} epochs, annealing to 0. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) {
        this(optimizer, t0, 1, 0);
    }

    /** First period {@code t0} epochs, each next one {@code tMult} times longer, annealing to {@code etaMin}. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(optimizer);
        if (t0 < 1) {
            throw new IllegalArgumentException("CosineAnnealingWarmRestarts: invalid t0 " + t0 + " (must be >= 1)");
        }
        if (tMult < 1) {
            throw new IllegalArgumentException(
                    "CosineAnnealingWarmRestarts: invalid tMult " + tMult + " (must be >= 1)");
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException(
                    "CosineAnnealingWarmRestarts: invalid etaMin " + etaMin + " (must be >= 0)");
        }
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tI = t0;
        this.tCur = -1;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        }
        return lr;
    }

    /** Advances one epoch, restarting when the current period ends. */
    @Override
    public void step() {
        if (lastEpoch < 0) {
            stepTo(0);
            return;
        }
        stepCount++;
        lastEpoch++;
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        apply(computeLr());
    }

    /** Jumps to a (possibly fractional) epoch. */
    public void step(double epoch) {
        stepTo(epoch);
    }

    @Override
    void stepTo(double epoch) {
        if (!(epoch >= 0)) {
            throw new IllegalArgumentException(
                    "CosineAnnealingWarmRestarts: expected a non-negative epoch, got " + epoch);
        }
        stepCount++;
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                // the number of completed periods: t0 (tMult^n - 1) / (tMult - 1) <= epoch
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = (int) (t0 * Math.pow(tMult, n));
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        apply(computeLr());
    }

    @Override
    protected void saveExtra(Map<String, Tensor> out) {
        out.put("T_i", Tensor.scalar(DType.FLOAT64, tI));
        out.put("T_cur", Tensor.scalar(DType.FLOAT64, tCur));
    }

    @Override
    protected void loadExtra(Map<String, Tensor> dict) {
        tI = (int) require(dict, "T_i").item();
        tCur = require(dict, "T_cur").item();
    }
}
