package io.jgrad.layers;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * The functional API in one place, like PyTorch's {@code torch.nn.functional}: every stateless
 * layer function, loss and activation as a static method. Import it once and write
 * {@code F.crossEntropy(F.relu(F.linear(x, w, b)), y)}.
 *
 * <p>Each method delegates to the class that implements it ({@link NN} for the primitives the tape
 * records, {@link Functional}, {@link Losses}, {@link Attention}); those stay public for existing code,
 * and a test keeps this class complete: a new public function there without its twin here fails the
 * build.
 */
public final class F {
    private F() {}

    // ------------------------------------------------------------------------------------------ layers and primitives
    // (autograd.NN)

    /**
     * {@code x @ weight^T + bias}: x (..., in), weight (out, in), bias (out) or null.
     * <p>Same as {@link NN#linear}.
     */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return NN.linear(x, weight, bias);
    }

    /**
     * Looks up rows of {@code weight} (num, dim) for the INT32 {@code indices} of any shape; the result
     * has shape {@code indices.shape + (dim,)}. The gradient is accumulated into the looked-up rows only.
     * <p>Same as {@link NN#embedding}.
     */
    public static Variable embedding(Tensor indices, Variable weight) {
        return NN.embedding(indices, weight);
    }

    /**
     * Inverted dropout: zeroes each element with probability {@code p} and scales the rest by
     * {@code 1 / (1 - p)}; identity when not training or when p is 0.
     * <p>Same as {@link NN#dropout}.
     */
    public static Variable dropout(Variable x, double p, boolean training, Generator g) {
        return NN.dropout(x, p, training, g);
    }

    /**
     * The fused element-wise part of an LSTM cell (PyTorch gate order i, f, g, o): from the gate
     * pre-activations (B, 4H) and the cell state c (B, H), returns {@code {h', c'}} where
     * {@code c' = sigmoid(f) c + sigmoid(i) tanh(g)} and {@code h' = sigmoid(o) tanh(c')}.
     * <p>Same as {@link NN#lstmCell}.
     */
    public static Variable[] lstmCell(Variable gates, Variable c) {
        return NN.lstmCell(gates, c);
    }

    /**
     * The fused element-wise part of a GRU cell (PyTorch gate order r, z, n): from the input gates
     * {@code x W_ih^T + b_ih} (B, 3H), the hidden gates {@code h W_hh^T + b_hh} (B, 3H) and h (B, H),
     * returns {@code h' = (1 - z) n + z h} with {@code n = tanh(x_n + r * h_n)}.
     * <p>Same as {@link NN#gruCell}.
     */
    public static Variable gruCell(Variable inputGates, Variable hiddenGates, Variable h) {
        return NN.gruCell(inputGates, hiddenGates, h);
    }

    /**
     * 1-D convolution: x (N, Cin, L), weight (Cout, Cin/groups, K), bias (Cout) or null.
     * <p>Same as {@link NN#conv1d}.
     */
    public static Variable conv1d(
            Variable x, Variable weight, Variable bias, int stride, int padding, int dilation, int groups) {
        return NN.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * 2-D convolution: x (N, Cin, H, W), weight (Cout, Cin/groups, kh, kw), bias (Cout) or null;
     * {@code stride}, {@code padding} and {@code dilation} hold (h, w) or one value for both.
     * <p>Same as {@link NN#conv2d}.
     */
    public static Variable conv2d(
            Variable x, Variable weight, Variable bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return NN.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * Transposed 2-D convolution: x (N, Cin, H, W), weight (Cin, Cout/groups, kh, kw), as PyTorch.
     * <p>Same as {@link NN#convTranspose2d}.
     */
    public static Variable convTranspose2d(
            Variable x,
            Variable weight,
            Variable bias,
            int[] stride,
            int[] padding,
            int[] outputPadding,
            int[] dilation,
            int groups) {
        return NN.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /**
     * 2-D max pooling (the gradient goes to the first maximum of each window).
     * <p>Same as {@link NN#maxPool2d}.
     */
    public static Variable maxPool2d(
            Variable x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return NN.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * 1-D max pooling on (N, C, L).
     * <p>Same as {@link NN#maxPool1d}.
     */
    public static Variable maxPool1d(Variable x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return NN.maxPool1d(x, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * 2-D average pooling.
     * <p>Same as {@link NN#avgPool2d}.
     */
    public static Variable avgPool2d(
            Variable x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return NN.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /**
     * 1-D average pooling on (N, C, L).
     * <p>Same as {@link NN#avgPool1d}.
     */
    public static Variable avgPool1d(
            Variable x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return NN.avgPool1d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /**
     * Adaptive average pooling to (outH, outW).
     * <p>Same as {@link NN#adaptiveAvgPool2d}.
     */
    public static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        return NN.adaptiveAvgPool2d(x, outH, outW);
    }

    /**
     * Adaptive average pooling of (N, C, L) to length outL.
     * <p>Same as {@link NN#adaptiveAvgPool1d}.
     */
    public static Variable adaptiveAvgPool1d(Variable x, int outL) {
        return NN.adaptiveAvgPool1d(x, outL);
    }

    // ------------------------------------------------------------------------------------------ normalization,
    // resampling and pooling

    /**
     * Layer normalization of the trailing {@code normalizedShape} of {@code x}:
     * {@code (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance of each sample.
     *
     * <p>Same as {@link Functional#layerNorm}.
     * @param x the input {@code (..., *normalizedShape)}
     * @param normalizedShape the trailing shape to normalize over
     * @param weight the scale of shape {@code normalizedShape}, or null
     * @param bias the shift of shape {@code normalizedShape}, or null
     * @param eps added to the variance
     * @return the normalized input
     */
    public static Variable layerNorm(Variable x, int[] normalizedShape, Variable weight, Variable bias, double eps) {
        return Functional.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /**
     * Batch normalization of {@code x (N, C, ...)} per channel, like {@code F.batch_norm}. In training
     * (or without running statistics) the batch's mean and biased variance are used and, when given,
     * the running statistics are updated in place with {@code momentum} (the running variance with
     * the unbiased batch variance); otherwise the running statistics are used.
     *
     * <p>Same as {@link Functional#batchNorm}.
     * @param x the input (N, C, ...)
     * @param runningMean (C), updated in training; or null
     * @param runningVar (C), updated in training; or null (null exactly when runningMean is)
     * @param weight the scale (C), or null
     * @param bias the shift (C), or null
     * @param training whether to use (and record) batch statistics
     * @param momentum the weight of the batch statistics in the running ones
     * @param eps added to the variance
     * @return the normalized input
     */
    public static Variable batchNorm(
            Variable x,
            Tensor runningMean,
            Tensor runningVar,
            Variable weight,
            Variable bias,
            boolean training,
            double momentum,
            double eps) {
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * Group normalization of {@code x (N, C, ...)}: each of {@code numGroups} groups of channels is
     * normalized per sample, then scaled and shifted per channel.
     *
     * <p>Same as {@link Functional#groupNorm}.
     * @param x the input (N, C, ...)
     * @param numGroups G, dividing C
     * @param weight the scale (C), or null
     * @param bias the shift (C), or null
     * @param eps added to the variance
     * @return the normalized input
     */
    public static Variable groupNorm(Variable x, int numGroups, Variable weight, Variable bias, double eps) {
        return Functional.groupNorm(x, numGroups, weight, bias, eps);
    }

    /**
     * Resizes {@code x} to an output size, like {@code F.interpolate(x, size=size, mode=...,
     * align_corners=...)}: nearest ({@code "nearest"}, {@code "nearest-exact"}) on (N, C, L) or
     * (N, C, H, W); linear on (N, C, L); bilinear on (N, C, H, W). Each output position
     * {@code dst} reads the source position {@code dst * (in - 1) / (out - 1)} with
     * {@code alignCorners}, else {@code (dst + 0.5) * in / out - 0.5} (clamped at 0) for the linear
     * modes and {@code floor(dst * in / out)} for nearest, exactly as PyTorch's CPU kernels.
     *
     * <p>Same as {@link Functional#interpolate}.
     * @param x the input (N, C, L) or (N, C, H, W)
     * @param size the output size: one value for every spatial dimension, or one per dimension
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels of input and output are aligned
     * @return the resized input
     */
    public static Variable interpolate(Variable x, int[] size, InterpolationMode mode, boolean alignCorners) {
        return Functional.interpolate(x, size, mode, alignCorners);
    }

    /**
     * Resizes {@code x} by a scale factor, like {@code F.interpolate(x, scale_factor=scaleFactor,
     * mode=..., align_corners=...)}: the output size is {@code floor(in * scaleFactor)} and, as in
     * PyTorch, the source positions use {@code 1 / scaleFactor} as the scale (not
     * {@code in / out}).
     *
     * <p>Same as {@link Functional#interpolate}.
     * @param x the input (N, C, L) or (N, C, H, W)
     * @param scaleFactor one factor for every spatial dimension, or one per dimension
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels are aligned (then the
     *     scale is {@code (in - 1) / (out - 1)} whatever the factor)
     * @return the resized input
     */
    public static Variable interpolate(Variable x, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        return Functional.interpolate(x, scaleFactor, mode, alignCorners);
    }

    /**
     * The general form of {@code F.interpolate}: exactly one of {@code size} and {@code scaleFactor}
     * non-null; with {@code recomputeScaleFactor} the scale factor only determines the output size
     * and the source positions use {@code in / out}.
     *
     * <p>Same as {@link Functional#interpolate}.
     * @param x the input (N, C, L) or (N, C, H, W)
     * @param size the output size, or null
     * @param scaleFactor the scale factor, or null
     * @param mode the interpolation
     * @param alignCorners for the linear modes: whether the corner pixels are aligned
     * @param recomputeScaleFactor PyTorch's {@code recompute_scale_factor}
     * @return the resized input
     */
    public static Variable interpolate(
            Variable x,
            int[] size,
            double[] scaleFactor,
            InterpolationMode mode,
            boolean alignCorners,
            boolean recomputeScaleFactor) {
        return Functional.interpolate(x, size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    /**
     * Adaptive max pooling of (N, C, H, W) to (N, C, outH, outW), like {@code F.adaptive_max_pool2d}:
     * output cell {@code (i, j)} is the maximum of rows {@code floor(i H / outH)} to
     * {@code ceil((i + 1) H / outH) - 1} and the same rule for columns. The gradient goes to the
     * first maximum of each window (in row-major order), as in PyTorch.
     *
     * <p>Same as {@link Functional#adaptiveMaxPool2d}.
     * @param x the input (N, C, H, W)
     * @param outH the output height
     * @param outW the output width
     * @return the pooled input
     */
    public static Variable adaptiveMaxPool2d(Variable x, int outH, int outW) {
        return Functional.adaptiveMaxPool2d(x, outH, outW);
    }

    /**
     * Adaptive max pooling of (N, C, L) to (N, C, outL), like {@code F.adaptive_max_pool1d}.
     *
     * <p>Same as {@link Functional#adaptiveMaxPool1d}.
     * @param x the input (N, C, L)
     * @param outL the output length
     * @return the pooled input
     */
    public static Variable adaptiveMaxPool1d(Variable x, int outL) {
        return Functional.adaptiveMaxPool1d(x, outL);
    }

    /**
     * Rearranges (N, C r^2, H, W) into (N, C, H r, W r), like {@code F.pixel_shuffle}: output pixel
     * {@code (c, h r + i, w r + j)} is input {@code (c r^2 + i r + j, h, w)}.
     *
     * <p>Same as {@link Functional#pixelShuffle}.
     * @param x the input (N, C r^2, H, W)
     * @param upscaleFactor r
     * @return the rearranged input
     */
    public static Variable pixelShuffle(Variable x, int upscaleFactor) {
        return Functional.pixelShuffle(x, upscaleFactor);
    }

    /**
     * The inverse of {@link #pixelShuffle}: (N, C, H r, W r) into (N, C r^2, H, W), like
     * {@code F.pixel_unshuffle}.
     *
     * <p>Same as {@link Functional#pixelUnshuffle}.
     * @param x the input (N, C, H r, W r)
     * @param downscaleFactor r
     * @return the rearranged input
     */
    public static Variable pixelUnshuffle(Variable x, int downscaleFactor) {
        return Functional.pixelUnshuffle(x, downscaleFactor);
    }

    // ------------------------------------------------------------------------------------------ losses

    /**
     * Mean squared error {@code (x - y)^2}, averaged.
     *
     * <p>Same as {@link Losses#mse}.
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable mse(Variable input, Variable target) {
        return Losses.mse(input, target);
    }

    /**
     * Squared error {@code (x - y)^2} with a reduction.
     *
     * <p>Same as {@link Losses#mse}.
     * @param input the prediction
     * @param target the target, same shape
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable mse(Variable input, Variable target, Reduction reduction) {
        return Losses.mse(input, target, reduction);
    }

    /**
     * Mean absolute error {@code |x - y|}.
     *
     * <p>Same as {@link Losses#l1}.
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable l1(Variable input, Variable target) {
        return Losses.l1(input, target);
    }

    /**
     * Absolute error {@code |x - y|} with a reduction (gradient 0 where x = y).
     *
     * <p>Same as {@link Losses#l1}.
     * @param input the prediction
     * @param target the target, same shape
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable l1(Variable input, Variable target, Reduction reduction) {
        return Losses.l1(input, target, reduction);
    }

    /**
     * Huber loss with delta 1, averaged.
     *
     * <p>Same as {@link Losses#huber}.
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable huber(Variable input, Variable target) {
        return Losses.huber(input, target);
    }

    /**
     * Huber loss: {@code 0.5 d^2} where {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)},
     * with {@code d = x - y} (PyTorch's {@code huber_loss}).
     *
     * <p>Same as {@link Losses#huber}.
     * @param input the prediction
     * @param target the target, same shape
     * @param delta the threshold between the quadratic and linear parts (positive)
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable huber(Variable input, Variable target, double delta, Reduction reduction) {
        return Losses.huber(input, target, delta, reduction);
    }

    /**
     * Smooth L1 loss with beta 1, averaged.
     *
     * <p>Same as {@link Losses#smoothL1}.
     * @param input the prediction
     * @param target the target, same shape
     * @return the loss
     */
    public static Variable smoothL1(Variable input, Variable target) {
        return Losses.smoothL1(input, target);
    }

    /**
     * Smooth L1 loss: {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}
     * (PyTorch's {@code smooth_l1_loss}; beta 0 is the L1 loss). Equals Huber divided by beta.
     *
     * <p>Same as {@link Losses#smoothL1}.
     * @param input the prediction
     * @param target the target, same shape
     * @param beta the threshold (non-negative)
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable smoothL1(Variable input, Variable target, double beta, Reduction reduction) {
        return Losses.smoothL1(input, target, beta, reduction);
    }

    /**
     * Cross entropy of logits against class indices, averaged.
     *
     * <p>Same as {@link Losses#crossEntropy}.
     * @param logits (N, C) or (N, C, d1, ...) unnormalized scores
     * @param target INT32 class indices (N) or (N, d1, ...)
     * @return the loss
     */
    public static Variable crossEntropy(Variable logits, Tensor target) {
        return Losses.crossEntropy(logits, target);
    }

    /**
     * Cross entropy of logits against class indices, like {@code F.cross_entropy}: log-softmax and
     * negative log-likelihood fused into one pass. The loss of a sample with target t is
     * {@code -(1 - eps) w_t log p_t - eps / C * sum_c w_c log p_c}; samples whose target is
     * {@code ignoreIndex} count nothing; the mean is weighted, dividing by the sum of {@code w_t}
     * over the samples not ignored (so with all samples ignored it is NaN, as in PyTorch).
     *
     * <p>Same as {@link Losses#crossEntropy}.
     * @param logits (N, C) or (N, C, d1, ...) unnormalized scores
     * @param target INT32 class indices (N) or (N, d1, ...)
     * @param weight per-class weights (C), or null
     * @param ignoreIndex a target value to skip ({@link Losses#IGNORE_INDEX} by default)
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
        return Losses.crossEntropy(logits, target, weight, ignoreIndex, labelSmoothing, reduction);
    }

    /**
     * Cross entropy of logits against class probabilities (soft targets), averaged.
     *
     * <p>Same as {@link Losses#crossEntropySoft}.
     * @param logits (N, C) or (N, C, d1, ...)
     * @param target probabilities of the same shape
     * @return the loss
     */
    public static Variable crossEntropySoft(Variable logits, Variable target) {
        return Losses.crossEntropySoft(logits, target);
    }

    /**
     * Cross entropy of logits against class probabilities, like {@code F.cross_entropy} with a
     * floating target: {@code -sum_c w_c q_c log p_c} per sample, with {@code q = (1 - eps) target
     * + eps / C}; the mean divides by the number of samples (not by the weights, as in PyTorch).
     * Differentiable in the target too.
     *
     * <p>Same as {@link Losses#crossEntropySoft}.
     * @param logits (N, C) or (N, C, d1, ...)
     * @param target probabilities of the same shape
     * @param weight per-class weights (C), or null
     * @param labelSmoothing eps in [0, 1]
     * @param reduction how to combine the samples
     * @return the loss
     */
    public static Variable crossEntropySoft(
            Variable logits, Variable target, Tensor weight, double labelSmoothing, Reduction reduction) {
        return Losses.crossEntropySoft(logits, target, weight, labelSmoothing, reduction);
    }

    /**
     * Negative log-likelihood of log-probabilities against class indices, averaged.
     *
     * <p>Same as {@link Losses#nll}.
     * @param logProbs (N, C) or (N, C, d1, ...) log-probabilities (e.g. from log-softmax)
     * @param target INT32 class indices
     * @return the loss
     */
    public static Variable nll(Variable logProbs, Tensor target) {
        return Losses.nll(logProbs, target);
    }

    /**
     * Negative log-likelihood, like {@code F.nll_loss}: {@code -w_t logProbs[t]} per sample; the mean
     * divides by the sum of {@code w_t} over the samples not ignored.
     *
     * <p>Same as {@link Losses#nll}.
     * @param logProbs (N, C) or (N, C, d1, ...) log-probabilities
     * @param target INT32 class indices (N) or (N, d1, ...)
     * @param weight per-class weights (C), or null
     * @param ignoreIndex a target value to skip
     * @param reduction how to combine the samples
     * @return the loss
     */
    public static Variable nll(Variable logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return Losses.nll(logProbs, target, weight, ignoreIndex, reduction);
    }

    /**
     * Binary cross entropy with logits, averaged.
     *
     * <p>Same as {@link Losses#bceWithLogits}.
     * @param logits any shape
     * @param target targets in [0, 1], same shape
     * @return the loss
     */
    public static Variable bceWithLogits(Variable logits, Variable target) {
        return Losses.bceWithLogits(logits, target);
    }

    /**
     * Binary cross entropy with logits, like {@code F.binary_cross_entropy_with_logits}:
     * {@code w * ((1 - y) x + (1 + (pw - 1) y) softplus(-x))}, which equals
     * {@code -w (pw y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))} but stays finite for any logit.
     *
     * <p>Same as {@link Losses#bceWithLogits}.
     * @param logits any shape
     * @param target targets in [0, 1], same shape (differentiable)
     * @param weight a rescaling weight broadcast to the input, or null
     * @param posWeight the weight of positive examples, broadcast along the last (class) dimension, or null
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable bceWithLogits(
            Variable logits, Variable target, Tensor weight, Tensor posWeight, Reduction reduction) {
        return Losses.bceWithLogits(logits, target, weight, posWeight, reduction);
    }

    /**
     * Binary cross entropy of probabilities, averaged.
     *
     * <p>Same as {@link Losses#bce}.
     * @param probs probabilities in [0, 1]
     * @param target targets in [0, 1], same shape
     * @return the loss
     */
    public static Variable bce(Variable probs, Variable target) {
        return Losses.bce(probs, target);
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
     * <p>Same as {@link Losses#bce}.
     * @param probs probabilities in [0, 1]
     * @param target targets in [0, 1], same shape
     * @param weight a rescaling weight broadcast to the input, or null
     * @param reduction how to combine the elements
     * @return the loss
     */
    public static Variable bce(Variable probs, Variable target, Tensor weight, Reduction reduction) {
        return Losses.bce(probs, target, weight, reduction);
    }

    /**
     * Kullback-Leibler divergence, like {@code F.kl_div}: the input holds log-probabilities; the
     * pointwise loss is {@code y (log y - x)} (0 where y = 0), or with {@code logTarget}
     * {@code e^y (y - x)}. Use {@link Reduction#BATCHMEAN} for the divergence per sample;
     * {@link Reduction#MEAN} divides by the number of elements, as PyTorch.
     *
     * <p>Same as {@link Losses#klDiv}.
     * @param logInput log-probabilities
     * @param target probabilities (or log-probabilities with {@code logTarget}), same shape
     * @param reduction NONE, MEAN, SUM or BATCHMEAN
     * @param logTarget whether the target is given as log-probabilities
     * @return the loss
     */
    public static Variable klDiv(Variable logInput, Variable target, Reduction reduction, boolean logTarget) {
        return Losses.klDiv(logInput, target, reduction, logTarget);
    }

    /**
     * Cosine embedding loss, like {@code F.cosine_embedding_loss}: {@code 1 - cos(x1, x2)} for pairs
     * labelled 1 and {@code max(0, cos(x1, x2) - margin)} for pairs labelled -1, with
     * {@code cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12))}.
     *
     * <p>Same as {@link Losses#cosineEmbedding}.
     * @param x1 (N, D) or (D)
     * @param x2 same shape
     * @param y labels 1 or -1, (N) or a scalar (any type)
     * @param margin in [-1, 1], 0 by default in PyTorch
     * @param reduction how to combine the pairs
     * @return the loss
     */
    public static Variable cosineEmbedding(Variable x1, Variable x2, Tensor y, double margin, Reduction reduction) {
        return Losses.cosineEmbedding(x1, x2, y, margin, reduction);
    }

    /**
     * Triplet margin loss, like {@code F.triplet_margin_loss}:
     * {@code max(0, margin + d(a, p) - d(a, n))} with {@code d(x, y) = ||x - y + eps||_p} over the
     * last dimension; with {@code swap}, {@code d(a, n)} is replaced by {@code min(d(a, n), d(p, n))}.
     *
     * <p>Same as {@link Losses#tripletMargin}.
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
        return Losses.tripletMargin(anchor, positive, negative, margin, p, eps, swap, reduction);
    }

    /**
     * Contrastive loss of Hadsell, Chopra and LeCun, "Dimensionality Reduction by Learning an Invariant
     * Mapping" (CVPR 2006): with {@code D = ||x1 - x2 + eps||_2} over the last dimension, a similar pair
     * (label 1) costs {@code D^2 / 2} and a dissimilar pair (label 0) costs {@code max(0, margin - D)^2 / 2},
     * so that dissimilar pairs are pushed apart only until they are {@code margin} away. (The paper writes
     * {@code Y = 0} for similar pairs; here 1 means similar, as in most libraries.) PyTorch has no such
     * op; the tests build it from PyTorch's {@code pairwise_distance} and {@code clamp}.
     *
     * <p>Same as {@link Losses#contrastive}.
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
        return Losses.contrastive(x1, x2, similar, margin, eps, reduction);
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
     * <p>Same as {@link Losses#distillation}.
     * @param studentLogits (N, C)
     * @param teacherLogits (N, C), as a constant
     * @param labels INT32 class indices (N), or null when {@code alpha} is 1
     * @param temperature T, positive
     * @param alpha the weight of the soft (teacher) term in [0, 1]; 1 - alpha weighs the hard labels
     * @return the scalar loss
     */
    public static Variable distillation(
            Variable studentLogits, Tensor teacherLogits, Tensor labels, double temperature, double alpha) {
        return Losses.distillation(studentLogits, teacherLogits, labels, temperature, alpha);
    }

    // ------------------------------------------------------------------------------------------ attention

    /**
     * Unmasked attention.
     *
     * <p>Same as {@link Attention#scaledDotProduct}.
     * @param q queries {@code (..., Lq, d)}
     * @param k keys {@code (..., Lk, d)}
     * @param v values {@code (..., Lk, dv)}
     * @return {@code (..., Lq, dv)}
     */
    public static Variable scaledDotProduct(Variable q, Variable k, Variable v) {
        return Attention.scaledDotProduct(q, k, v);
    }

    /**
     * Attention with an optional mask and causal masking.
     *
     * <p>Same as {@link Attention#scaledDotProduct}.
     * @param q queries {@code (..., Lq, d)}
     * @param k keys {@code (..., Lk, d)}
     * @param v values {@code (..., Lk, dv)}
     * @param attnMask boolean (BOOL, INT32) or additive mask broadcastable to {@code (..., Lq, Lk)}, or null
     * @param causal whether query i may only attend keys {@code j <= i}
     * @return {@code (..., Lq, dv)}
     */
    public static Variable scaledDotProduct(Variable q, Variable k, Variable v, Tensor attnMask, boolean causal) {
        return Attention.scaledDotProduct(q, k, v, attnMask, causal);
    }

    /**
     * Attention with every option; returns the weights too.
     *
     * <p>Same as {@link Attention#scaledDotProduct}.
     * @param q queries {@code (..., Lq, d)}
     * @param k keys {@code (..., Lk, d)}
     * @param v values {@code (..., Lk, dv)}
     * @param attnMask boolean (BOOL, INT32) or additive mask broadcastable to {@code (..., Lq, Lk)}, or null
     * @param keyPaddingMask boolean (BOOL or INT32, true = padding) or additive {@code (B, Lk)}, or null
     * @param causal whether query i may only attend keys {@code j <= i}
     * @param dropout probability of dropping a weight (inverted dropout), 0 for none
     * @param g the generator of the dropout mask (null: {@link Generator#global()})
     * @return the output {@code (..., Lq, dv)} and the weights {@code (..., Lq, Lk)} after dropout
     */
    public static AttentionResult scaledDotProduct(
            Variable q,
            Variable k,
            Variable v,
            Tensor attnMask,
            Tensor keyPaddingMask,
            boolean causal,
            double dropout,
            Generator g) {
        return Attention.scaledDotProduct(q, k, v, attnMask, keyPaddingMask, causal, dropout, g);
    }

    // ------------------------------------------------------------------------------------------ activations

    /**
     * {@link Variable#relu} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable relu(Variable x) {
        return x.relu();
    }

    /**
     * {@link Variable#leakyRelu} as a function.
     *
     * @param x the input
     * @param slope see {@link Variable#leakyRelu}
     * @return the result, same shape
     */
    public static Variable leakyRelu(Variable x, double slope) {
        return x.leakyRelu(slope);
    }

    /**
     * {@link Variable#elu} as a function.
     *
     * @param x the input
     * @param alpha see {@link Variable#elu}
     * @return the result, same shape
     */
    public static Variable elu(Variable x, double alpha) {
        return x.elu(alpha);
    }

    /**
     * {@link Variable#selu} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable selu(Variable x) {
        return x.selu();
    }

    /**
     * {@link Variable#gelu} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable gelu(Variable x) {
        return x.gelu();
    }

    /**
     * {@link Variable#geluTanh} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable geluTanh(Variable x) {
        return x.geluTanh();
    }

    /**
     * {@link Variable#silu} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable silu(Variable x) {
        return x.silu();
    }

    /**
     * {@link Variable#mish} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable mish(Variable x) {
        return x.mish();
    }

    /**
     * {@link Variable#sigmoid} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable sigmoid(Variable x) {
        return x.sigmoid();
    }

    /**
     * {@link Variable#tanh} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable tanh(Variable x) {
        return x.tanh();
    }

    /**
     * {@link Variable#softplus} as a function.
     *
     * @param x the input
     * @return the result, same shape
     */
    public static Variable softplus(Variable x) {
        return x.softplus();
    }

    /**
     * {@link Variable#softmax} as a function.
     *
     * @param x the input
     * @param dim see {@link Variable#softmax}
     * @return the result, same shape
     */
    public static Variable softmax(Variable x, int dim) {
        return x.softmax(dim);
    }

    /**
     * {@link Variable#logSoftmax} as a function.
     *
     * @param x the input
     * @param dim see {@link Variable#logSoftmax}
     * @return the result, same shape
     */
    public static Variable logSoftmax(Variable x, int dim) {
        return x.logSoftmax(dim);
    }
}
