package io.jgrad.layers;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.autograd.fused.CrossEntropyFunction;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * Loss functions with PyTorch's definitions and reductions ({@link Reduction}); each also exists as
 * a module ({@link MSELoss}, {@link CrossEntropyLoss}, ...). Losses on logits are computed stably:
 * logits of +-1e4 give finite losses and gradients.
 *
 * <pre>{@code
 * Variable loss = Losses.crossEntropy(model.forward(x), labels);   // labels: INT32 (N)
 * loss.backward();
 * }</pre>
 */
public final class Losses {
    /** PyTorch's default {@code ignore_index}. */
    public static final int IGNORE_INDEX = -100;

    private Losses() {}

    // ------------------------------------------------------------------------------------------ regression

    /**
     * Mean squared error {@code (x - y)^2}, averaged.
     *
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable mse(Variable input, Variable target) {
        return mse(input, target, Reduction.MEAN);
    }

    /**
     * Squared error {@code (x - y)^2} with a reduction.
     *
     * @param input the prediction
     * @param target the target, same shape
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable mse(Variable input, Variable target, Reduction reduction) {
        sameShape("mse", input, target);
        return reduce("mse", input.sub(target).square(), reduction);
    }

    /**
     * Mean absolute error {@code |x - y|}.
     *
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable l1(Variable input, Variable target) {
        return l1(input, target, Reduction.MEAN);
    }

    /**
     * Absolute error {@code |x - y|} with a reduction (gradient 0 where x = y).
     *
     * @param input the prediction
     * @param target the target, same shape
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable l1(Variable input, Variable target, Reduction reduction) {
        sameShape("l1", input, target);
        return reduce("l1", input.sub(target).abs(), reduction);
    }

    /**
     * Huber loss with delta 1, averaged.
     *
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable huber(Variable input, Variable target) {
        return huber(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Huber loss: {@code 0.5 d^2} where {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)},
     * with {@code d = x - y} (PyTorch's {@code huber_loss}).
     *
     * @param input the prediction
     * @param target the target, same shape
     * @param delta the threshold between the quadratic and linear parts (positive)
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable huber(Variable input, Variable target, double delta, Reduction reduction) {
        sameShape("huber", input, target);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        }
        Variable d = input.sub(target);
        Variable a = d.abs();
        Tensor small = a.data().lt(delta);
        Variable l =
                Variable.where(small, d.square().mul(0.5), a.sub(0.5 * delta).mul(delta));
        return reduce("huber", l, reduction);
    }

    /**
     * Smooth L1 loss with beta 1, averaged.
     *
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable smoothL1(Variable input, Variable target) {
        return smoothL1(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Smooth L1 loss: {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}
     * (PyTorch's {@code smooth_l1_loss}; beta 0 is the L1 loss). Equals Huber divided by beta.
     *
     * @param input the prediction
     * @param target the target, same shape
     * @param beta the threshold (non-negative)
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable smoothL1(Variable input, Variable target, double beta, Reduction reduction) {
        sameShape("smoothL1", input, target);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1: beta must be non-negative, got " + beta);
        }
        Variable d = input.sub(target);
        Variable a = d.abs();
        if (beta == 0) {
            return reduce("smoothL1", a, reduction);
        }
        Tensor small = a.data().lt(beta);
        Variable l = Variable.where(small, d.square().mul(0.5 / beta), a.sub(0.5 * beta));
        return reduce("smoothL1", l, reduction);
    }

    // ------------------------------------------------------------------------------------------ classification

    /**
     * Cross entropy of logits against class indices, averaged.
     *
     * @param logits (N, C) or (N, C, d1, ...) unnormalized scores
     * @param target INT32 class indices (N) or (N, d1, ...)
     * @return the loss
     */
    public static Variable crossEntropy(Variable logits, Tensor target) {
        return crossEntropy(logits, target, null, IGNORE_INDEX, 0, Reduction.MEAN);
    }

    /**
     * Cross entropy of logits against class indices, like {@code F.cross_entropy}: log-softmax and
     * negative log-likelihood fused into one pass. The loss of a sample with target t is
     * {@code -(1 - eps) w_t log p_t - eps / C * sum_c w_c log p_c}; samples whose target is
     * {@code ignoreIndex} count nothing; the mean is weighted, dividing by the sum of {@code w_t}
     * over the samples not ignored (so with all samples ignored it is NaN, as in PyTorch).
     *
     * @param logits (N, C) or (N, C, d1, ...) unnormalized scores
     * @param target INT32 class indices (N) or (N, d1, ...)
     * @param weight per-class weights (C), or null
     * @param ignoreIndex a target value to skip ({@link #IGNORE_INDEX} by default)
     * @param labelSmoothing eps in [0, 1]: the target mixes the one-hot vector with the uniform distribution
     * @param reduction how to combine the samples (NONE gives (N) or (N, d1, ...))
     * @return the loss
     */
    public static Variable crossEntropy(
            Variable logits,
            Tensor target,
            Tensor weight,
            int ignoreIndex,
            double labelSmoothing,
            Reduction reduction) {
        return classLoss("crossEntropy", logits, target, weight, ignoreIndex, labelSmoothing, reduction, false);
    }

    /**
     * Cross entropy of logits against class probabilities (soft targets), averaged.
     *
     * @param logits (N, C) or (N, C, d1, ...)
     * @param target probabilities of the same shape
     * @return the loss
     */
    public static Variable crossEntropySoft(Variable logits, Variable target) {
        return crossEntropySoft(logits, target, null, 0, Reduction.MEAN);
    }

    /**
     * Cross entropy of logits against class probabilities, like {@code F.cross_entropy} with a
     * floating target: {@code -sum_c w_c q_c log p_c} per sample, with {@code q = (1 - eps) target
     * + eps / C}; the mean divides by the number of samples (not by the weights, as in PyTorch).
     * Differentiable in the target too.
     *
     * @param logits (N, C) or (N, C, d1, ...)
     * @param target probabilities of the same shape
     * @param weight per-class weights (C), or null
     * @param labelSmoothing eps in [0, 1]
     * @param reduction how to combine the samples
     * @return the loss
     */
    public static Variable crossEntropySoft(
            Variable logits, Variable target, Tensor weight, double labelSmoothing, Reduction reduction) {
        noBatchMean("crossEntropySoft", reduction);
        int[] ls = logits.shape();
        int[] ts = target.shape();
        if (ls.length >= 2
                && ts.length == ls.length - 1
                && ts[0] == ls[0]
                && target.dtype().isFloatingPoint()) {
            // (N) floating labels for (N, C) logits: class indices given as floats, not probabilities
            throw new IllegalArgumentException("crossEntropy: the target " + target.dtype() + " " + Shape.format(ts)
                    + " looks like class indices for logits " + Shape.format(ls) + ", but a floating-point target is "
                    + "read as class probabilities of the logits' shape; give class indices as INT32 "
                    + "(target.to(DType.INT32)), or probabilities of shape " + Shape.format(ls));
        }
        sameShape("crossEntropySoft", logits, target);
        if (logits.dim() < 2) {
            throw new IllegalArgumentException(
                    "crossEntropySoft: expected logits (N, C, ...), got " + Shape.format(logits.shape()));
        }
        smoothingRange("crossEntropySoft", labelSmoothing);
        int c = logits.size(1);
        Variable q =
                labelSmoothing == 0 ? target : target.mul(1 - labelSmoothing).add(labelSmoothing / c);
        Variable t = logits.logSoftmax(1).mul(q);
        if (weight != null) {
            checkWeight("crossEntropySoft", weight, c, logits.dtype());
            int[] bs = new int[logits.dim()];
            Arrays.fill(bs, 1);
            bs[1] = c;
            t = t.mul(Variable.constant(weight.reshape(bs)));
        }
        Variable l = t.sum(1, false).neg();
        return reduce("crossEntropySoft", l, reduction);
    }

    /**
     * Negative log-likelihood of log-probabilities against class indices, averaged.
     *
     * @param logProbs (N, C) or (N, C, d1, ...) log-probabilities (e.g. from log-softmax)
     * @param target INT32 class indices
     * @return the loss
     */
    public static Variable nll(Variable logProbs, Tensor target) {
        return nll(logProbs, target, null, IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood, like {@code F.nll_loss}: {@code -w_t logProbs[t]} per sample; the mean
     * divides by the sum of {@code w_t} over the samples not ignored.
     *
     * @param logProbs (N, C) or (N, C, d1, ...) log-probabilities
     * @param target INT32 class indices (N) or (N, d1, ...)
     * @param weight per-class weights (C), or null
     * @param ignoreIndex a target value to skip
     * @param reduction how to combine the samples
     * @return the loss
     */
    public static Variable nll(Variable logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return classLoss("nll", logProbs, target, weight, ignoreIndex, 0, reduction, true);
    }

    private static Variable classLoss(
            String op,
            Variable x,
            Tensor target,
            Tensor weight,
            int ignoreIndex,
            double smoothing,
            Reduction reduction,
            boolean nll) {
        noBatchMean(op, reduction);
        if (target != null) {
            target = target.asInt32Index(op); // INT64 labels (PyTorch's) work like INT32 ones
        }
        if (target == null || target.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": target must be INT32 or INT64 class indices, got "
                    + (target == null ? "null" : target.dtype() + " " + Shape.format(target.shape()))
                    + (target != null && target.dtype().isFloatingPoint()
                            ? " (for probabilities use crossEntropySoft)"
                            : ""));
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": input must be floating point, got " + x.dtype());
        }
        int[] xs = x.shape();
        int[] ts = target.shape();
        boolean ok = xs.length >= 2 && ts.length == xs.length - 1 && ts[0] == xs[0];
        for (int k = 2; ok && k < xs.length; k++) {
            ok = ts[k - 1] == xs[k];
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    op + ": expected input (N, C, d1, ...) and target (N, d1, ...), got input " + Shape.format(xs)
                            + " and target " + Shape.format(ts));
        }
        smoothingRange(op, smoothing);
        int c = xs[1];
        if (weight != null) {
            checkWeight(op, weight, c, x.dtype());
        }
        Variable rows = x;
        if (xs.length > 2) {
            // (N, C, d1, ...) -> (N * d1 * ..., C): classes last, one row per position
            rows = x.movedim(1, -1).reshape(-1, c);
        }
        Variable l = new CrossEntropyFunction(
                        target.reshape(-1),
                        weight,
                        ignoreIndex,
                        smoothing,
                        CrossEntropyFunction.Reduction.valueOf(reduction.name()),
                        nll)
                .apply(rows);
        if (reduction == Reduction.NONE && xs.length > 2) {
            l = l.reshape(ts);
        }
        return l;
    }

    /**
     * Binary cross entropy with logits, averaged.
     *
     * @param logits any shape
     * @param target targets in [0, 1], same shape
     * @return the loss
     */
    public static Variable bceWithLogits(Variable logits, Variable target) {
        return bceWithLogits(logits, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy with logits, like {@code F.binary_cross_entropy_with_logits}:
     * {@code w * ((1 - y) x + (1 + (pw - 1) y) softplus(-x))}, which equals
     * {@code -w (pw y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))} but stays finite for any logit.
     *
     * @param logits any shape
     * @param target targets in [0, 1], same shape (differentiable)
     * @param weight a rescaling weight broadcast to the input, or null
     * @param posWeight the weight of positive examples, broadcast along the last (class) dimension, or null
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable bceWithLogits(
            Variable logits, Variable target, Tensor weight, Tensor posWeight, Reduction reduction) {
        noBatchMean("bceWithLogits", reduction);
        sameShape("bceWithLogits", logits, target);
        Variable sp = logits.neg().softplus(); // -log sigmoid(x), stable
        Variable l;
        if (posWeight != null) {
            sameType("bceWithLogits", "posWeight", posWeight, logits.dtype());
            Variable lw = target.mul(Variable.constant(posWeight.sub(1))).add(1);
            l = target.rsub(1).mul(logits).add(lw.mul(sp));
        } else {
            l = target.rsub(1).mul(logits).add(sp);
        }
        if (weight != null) {
            sameType("bceWithLogits", "weight", weight, logits.dtype());
            l = l.mul(Variable.constant(weight));
        }
        return reduce("bceWithLogits", l, reduction);
    }

    /**
     * Binary cross entropy of probabilities, averaged.
     *
     * @param probs probabilities in [0, 1]
     * @param target targets in [0, 1], same shape
     * @return the loss
     */
    public static Variable bce(Variable probs, Variable target) {
        return bce(probs, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy of probabilities, like {@code F.binary_cross_entropy}:
     * {@code -w (y log p + (1 - y) log(1 - p))} with each log clamped to at least -100, so p = 0 or 1
     * gives a finite loss; the gradient is PyTorch's {@code w (p - y) / max(p (1 - p), 1e-12)}, and
     * the target's {@code w (log(1 - p) - log p)}. Prefer {@link #bceWithLogits} for numerical
     * stability. Differentiable twice: while the backward pass records, the gradients are those of
     * the clamped formula above, equal to the first-order rule except where {@code p (1 - p) < 1e-12}:
     * there they are the exact derivatives of the clamped logs (a log clamped at -100 counting as a
     * constant), not the rule's denominator clamped at 1e-12.
     *
     * @param probs probabilities in [0, 1]
     * @param target targets in [0, 1], same shape
     * @param weight a rescaling weight broadcast to the input, or null
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable bce(Variable probs, Variable target, Tensor weight, Reduction reduction) {
        noBatchMean("bce", reduction);
        sameShape("bce", probs, target);
        if (weight != null) {
            sameType("bce", "weight", weight, probs.dtype());
        }
        Function f = new Function("bce") {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                Tensor p = in[0];
                Tensor y = in[1];
                double[] pv = p.contiguous().toDoubleArray();
                double min = pv.length == 0 ? 0 : Arrays.stream(pv).min().getAsDouble();
                double max = pv.length == 0 ? 0 : Arrays.stream(pv).max().getAsDouble();
                if (min < 0 || max > 1) {
                    throw new IllegalArgumentException(
                            "bce: all input elements must be between 0 and 1, got values in [" + min + ", " + max
                                    + "]");
                }
                Tensor logP = p.log().clamp(-100, Double.POSITIVE_INFINITY);
                Tensor log1mP = p.rsub(1).log().clamp(-100, Double.POSITIVE_INFINITY);
                Tensor l = y.mul(logP).add(y.rsub(1).mul(log1mP)).neg();
                return weight == null ? l : l.mul(weight);
            }

            /**
             * The same loss with variable operations, each log clamped at -100 as in the forward: where
             * the clamp is active the log is replaced by the constant -100 (computed from 1 there, so
             * p = 0 or 1 gives no NaN). Outside the clamped ends it has the fused gradients.
             */
            @Override
            protected Variable composed(Context ctx, Variable... in) {
                Variable p = in[0];
                Variable y = in[1];
                Variable logP = clampedLog(p);
                Variable log1mP = clampedLog(p.rsub(1));
                Variable l = y.mul(logP).add(y.rsub(1).mul(log1mP)).neg();
                return weight == null ? l : l.mul(Variable.constant(weight));
            }

            private Variable clampedLog(Variable v) {
                Tensor low = v.data().log().lt(-100);
                Variable minus100 = Variable.constant(Tensor.full(v.dtype(), -100, v.shape()));
                return Variable.where(low, minus100, v.maskedFill(low, 1).log());
            }

            @Override
            protected Variable[] backward(Context ctx, Variable g) {
                Tensor p = ctx.input(0).data();
                Tensor y = ctx.input(1).data();
                Tensor gw = weight == null ? g.data() : g.data().mul(weight);
                Variable[] r = new Variable[2];
                if (ctx.input(0).requiresGrad()) {
                    // PyTorch's rule: (p - y) / max(p (1 - p), 1e-12)
                    Tensor den = p.mul(p.rsub(1)).clamp(1e-12, Double.POSITIVE_INFINITY);
                    r[0] = Variable.constant(p.sub(y).div(den).mul(gw));
                }
                if (ctx.input(1).requiresGrad()) {
                    // d/dy = log(1 - p) - log(p) = -logit(p), unclamped as in PyTorch
                    r[1] = Variable.constant(p.rsub(1).log().sub(p.log()).mul(gw));
                }
                return r;
            }
        };
        return reduce("bce", f.apply(probs, target), reduction);
    }

    /**
     * Kullback-Leibler divergence, like {@code F.kl_div}: the input holds log-probabilities; the
     * pointwise loss is {@code y (log y - x)} (0 where y = 0), or with {@code logTarget}
     * {@code e^y (y - x)}. Use {@link Reduction#BATCHMEAN} for the divergence per sample;
     * {@link Reduction#MEAN} divides by the number of elements, as PyTorch.
     *
     * @param logInput log-probabilities
     * @param target probabilities (or log-probabilities with {@code logTarget}), same shape
     * @param reduction NONE, MEAN, SUM or BATCHMEAN
     * @param logTarget whether the target is given as log-probabilities
     * @return the loss
     */
    public static Variable klDiv(Variable logInput, Variable target, Reduction reduction, boolean logTarget) {
        sameShape("klDiv", logInput, target);
        Variable l;
        if (logTarget) {
            l = target.exp().mul(target.sub(logInput));
        } else {
            // xlogy(y, y): 0 where y is 0
            Tensor zero = target.data().eq(0);
            Variable ylogy = target.mul(target.maskedFill(zero, 1).log());
            l = ylogy.sub(target.mul(logInput));
        }
        if (reduction == Reduction.BATCHMEAN) {
            return logInput.dim() == 0 ? l.sum() : l.sum().div(logInput.size(0));
        }
        return reduce("klDiv", l, reduction);
    }

    /**
     * Cosine embedding loss, like {@code F.cosine_embedding_loss}: {@code 1 - cos(x1, x2)} for pairs
     * labelled 1 and {@code max(0, cos(x1, x2) - margin)} for pairs labelled -1, with
     * {@code cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12))}.
     *
     * @param x1 (N, D) or (D)
     * @param x2 same shape
     * @param y labels 1 or -1, (N) or a scalar (any type)
     * @param margin in [-1, 1], 0 by default in PyTorch
     * @param reduction how to combine the pairs
     * @return the loss
     */
    public static Variable cosineEmbedding(Variable x1, Variable x2, Tensor y, double margin, Reduction reduction) {
        noBatchMean("cosineEmbedding", reduction);
        sameShape("cosineEmbedding", x1, x2);
        if (x1.dim() != 1 && x1.dim() != 2) {
            throw new IllegalArgumentException(
                    "cosineEmbedding: expected inputs (N, D) or (D), got " + Shape.format(x1.shape()));
        }
        int[] expect = x1.dim() == 2 ? new int[] {x1.size(0)} : new int[0];
        if (!Arrays.equals(y.shape(), expect)) {
            throw new IllegalArgumentException("cosineEmbedding: expected target of shape " + Shape.format(expect)
                    + " for inputs " + Shape.format(x1.shape()) + ", got " + Shape.format(y.shape()));
        }
        int d = x1.dim() - 1;
        Variable prod = x1.mul(x2).sum(d, false);
        Variable m1 = x1.square().sum(d, false).add(1e-12);
        Variable m2 = x2.square().sum(d, false).add(1e-12);
        Variable cos = prod.div(m1.mul(m2).sqrt());
        Tensor yd = y.to(x1.dtype());
        Variable zeros = Variable.constant(Tensor.zerosLike(cos.data()));
        Variable pos = Variable.where(yd.eq(1), cos.rsub(1), zeros);
        Variable neg = Variable.where(yd.eq(-1), cos.sub(margin).clamp(0, Double.POSITIVE_INFINITY), zeros);
        return reduce("cosineEmbedding", pos.add(neg), reduction);
    }

    /**
     * Triplet margin loss, like {@code F.triplet_margin_loss}:
     * {@code max(0, margin + d(a, p) - d(a, n))} with {@code d(x, y) = ||x - y + eps||_p} over the
     * last dimension; with {@code swap}, {@code d(a, n)} is replaced by {@code min(d(a, n), d(p, n))}.
     *
     * @param anchor (N, D) or (D)
     * @param positive same shape
     * @param negative same shape
     * @param margin the margin (PyTorch's default is 1)
     * @param p the norm degree (2 by default)
     * @param eps added to the differences (1e-6 by default)
     * @param swap whether to use the distance swap
     * @param reduction how to combine the triplets
     * @return the loss
     */
    public static Variable tripletMargin(
            Variable anchor,
            Variable positive,
            Variable negative,
            double margin,
            double p,
            double eps,
            boolean swap,
            Reduction reduction) {
        noBatchMean("tripletMargin", reduction);
        sameShape("tripletMargin", anchor, positive);
        sameShape("tripletMargin", anchor, negative);
        if (anchor.dim() == 0) {
            throw new IllegalArgumentException("tripletMargin: inputs must have at least one dimension");
        }
        if (!(p > 0)) {
            throw new IllegalArgumentException("tripletMargin: the norm degree p must be positive, got " + p);
        }
        Variable dPos = pairwiseDistance(anchor, positive, p, eps);
        Variable dNeg = pairwiseDistance(anchor, negative, p, eps);
        if (swap) {
            dNeg = dNeg.minimum(pairwiseDistance(positive, negative, p, eps));
        }
        Variable l = dPos.sub(dNeg).add(margin).clamp(0, Double.POSITIVE_INFINITY);
        return reduce("tripletMargin", l, reduction);
    }

    /**
     * Contrastive loss of Hadsell, Chopra and LeCun, "Dimensionality Reduction by Learning an Invariant
     * Mapping" (CVPR 2006): with {@code D = ||x1 - x2 + eps||_2} over the last dimension, a similar pair
     * (label 1) costs {@code D^2 / 2} and a dissimilar pair (label 0) costs {@code max(0, margin - D)^2 / 2},
     * so that dissimilar pairs are pushed apart only until they are {@code margin} away. (The paper writes
     * {@code Y = 0} for similar pairs; here 1 means similar, as in most libraries.) PyTorch has no such
     * op; the tests build it from PyTorch's {@code pairwise_distance} and {@code clamp}.
     *
     * @param x1 embeddings (N, D) or (D)
     * @param x2 embeddings of the same shape
     * @param similar (N) or a scalar: 1 for a similar pair, 0 for a dissimilar one (any type)
     * @param margin the margin, positive
     * @param eps added to the differences, as {@link #tripletMargin} (1e-6 by default), so that the
     *     distance is differentiable when {@code x1 == x2}
     * @param reduction how to combine the pairs
     * @return the loss
     */
    public static Variable contrastive(
            Variable x1, Variable x2, Tensor similar, double margin, double eps, Reduction reduction) {
        noBatchMean("contrastive", reduction);
        sameShape("contrastive", x1, x2);
        if (x1.dim() != 1 && x1.dim() != 2) {
            throw new IllegalArgumentException(
                    "contrastive: expected inputs (N, D) or (D), got " + Shape.format(x1.shape()));
        }
        if (!(margin > 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("contrastive: margin must be positive and finite, got " + margin);
        }
        int[] expect = x1.dim() == 2 ? new int[] {x1.size(0)} : new int[0];
        if (similar == null || !Arrays.equals(similar.shape(), expect)) {
            throw new IllegalArgumentException("contrastive: expected labels of shape " + Shape.format(expect)
                    + " for inputs " + Shape.format(x1.shape()) + ", got "
                    + (similar == null ? "null" : Shape.format(similar.shape())));
        }
        Tensor y = similar.to(x1.dtype());
        for (double v : y.toDoubleArray()) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException(
                        "contrastive: labels must be 1 (similar) or 0 (dissimilar), got " + v);
            }
        }
        Variable d = pairwiseDistance(x1, x2, 2, eps);
        Variable pull = d.square().mul(0.5);
        Variable push =
                d.rsub(margin).clamp(0, Double.POSITIVE_INFINITY).square().mul(0.5);
        // y * pull + (1 - y) * push, with constant labels
        Variable l = pull.mul(Variable.constant(y)).add(push.mul(Variable.constant(y.rsub(1))));
        return reduce("contrastive", l, reduction);
    }

    /**
     * Knowledge-distillation loss of Hinton, Vinyals and Dean, "Distilling the Knowledge in a Neural
     * Network" (2015): {@code alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
     * + (1 - alpha) * CE(student, labels)}. The KL term is PyTorch's
     * {@code F.kl_div(F.log_softmax(student / T, 1), F.softmax(teacher / T, 1), reduction="batchmean") * T * T}:
     * summed over the classes and averaged over the batch; the factor {@code T^2} keeps the soft
     * term's gradients at the scale of the hard term's when the temperature changes. The cross
     * entropy is the batch mean. The teacher's logits are constants (no gradient flows to them).
     *
     * @param studentLogits (N, C)
     * @param teacherLogits (N, C), as a constant
     * @param labels INT32 class indices (N), or null when {@code alpha} is 1
     * @param temperature T, positive
     * @param alpha the weight of the soft (teacher) term in [0, 1]; 1 - alpha weighs the hard labels
     * @return the scalar loss
     */
    public static Variable distillation(
            Variable studentLogits, Tensor teacherLogits, Tensor labels, double temperature, double alpha) {
        if (studentLogits.dim() != 2) {
            throw new IllegalArgumentException(
                    "distillation: expected student logits (N, C), got " + Shape.format(studentLogits.shape()));
        }
        if (teacherLogits == null || !Arrays.equals(teacherLogits.shape(), studentLogits.shape())) {
            throw new IllegalArgumentException("distillation: teacher logits "
                    + (teacherLogits == null ? "null" : Shape.format(teacherLogits.shape()))
                    + " must have the student's shape " + Shape.format(studentLogits.shape()));
        }
        sameType("distillation", "teacher logits", teacherLogits, studentLogits.dtype());
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "distillation: temperature must be positive and finite, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("distillation: alpha must be in [0, 1], got " + alpha);
        }
        if (labels == null && alpha < 1) {
            throw new IllegalArgumentException(
                    "distillation: labels are null but alpha " + alpha + " < 1 gives the hard-label term a weight");
        }
        Variable logQ = studentLogits.div(temperature).logSoftmax(1);
        Variable p = Variable.constant(teacherLogits.div(temperature).softmax(1));
        Variable soft = klDiv(logQ, p, Reduction.BATCHMEAN, false).mul(temperature * temperature);
        if (alpha == 1) {
            return soft;
        }
        Variable hard = crossEntropy(studentLogits, labels);
        return alpha == 0 ? hard : soft.mul(alpha).add(hard.mul(1 - alpha));
    }

    /** {@code ||x - y + eps||_p} over the last dimension, as {@code F.pairwise_distance}. */
    static Variable pairwiseDistance(Variable x, Variable y, double p, double eps) {
        return x.sub(y).add(eps).norm(p, new int[] {x.dim() - 1}, false);
    }

    // ------------------------------------------------------------------------------------------ helpers

    static Variable reduce(String op, Variable l, Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(op + ": reduction is null");
        }
        switch (reduction) {
            case NONE:
                return l;
            case SUM:
                return l.sum();
            case MEAN:
                return l.mean();
            default:
                throw new IllegalArgumentException(op + ": reduction " + reduction + " is only supported by klDiv");
        }
    }

    private static void noBatchMean(String op, Reduction r) {
        if (r == null || r == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException(op + ": reduction " + r + " is not supported (use NONE, MEAN or SUM)");
        }
    }

    private static void sameShape(String op, Variable a, Variable b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(a.shape()) + " and target "
                    + Shape.format(b.shape()) + " must have the same shape");
        }
    }

    private static void smoothingRange(String op, double eps) {
        if (!(eps >= 0 && eps <= 1)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + eps);
        }
    }

    private static void checkWeight(String op, Tensor w, int c, DType dtype) {
        if (w.dim() != 1 || w.size(0) != c) {
            throw new IllegalArgumentException(
                    op + ": weight must have shape (" + c + ") for " + c + " classes, got " + Shape.format(w.shape()));
        }
        sameType(op, "weight", w, dtype);
    }

    private static void sameType(String op, String what, Tensor t, DType dtype) {
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(
                    op + ": " + what + " has dtype " + t.dtype() + " but the input is " + dtype);
        }
    }
}
