/**
 * Optimizers, Backstitch, learning-rate schedules, gradient clipping and weight constraints.
 *
 * <h2>Optimizers</h2>
 * Every optimizer extends {@link io.jgrad.optim.Optimizer}: parameter groups with their own
 * hyper-parameters ({@link io.jgrad.optim.ParamGroup}), per-parameter state created at the first
 * update ({@link io.jgrad.optim.ParamState}), {@code zeroGrad()}, {@code step()},
 * {@code step(closure)}, and {@code stateDict()} / {@code loadStateDict()} as named tensors that can be
 * written to a safetensors file. Each update reproduces PyTorch 1.13's, step for step:
 * {@link io.jgrad.optim.SGD} (momentum, dampening, Nesterov, weight decay),
 * {@link io.jgrad.optim.Adagrad}, {@link io.jgrad.optim.Adadelta}, {@link io.jgrad.optim.RMSprop}
 * (centered, momentum), {@link io.jgrad.optim.Adam} (AMSGrad, decoupled weight decay),
 * {@link io.jgrad.optim.AdamW}, {@link io.jgrad.optim.Nadam} and {@link io.jgrad.optim.Adamax}.
 * Hyper-parameters are set with each optimizer's {@code Options}:
 *
 * <pre>{@code
 * Adam opt = new Adam(weights, Adam.options().lr(1e-3).weightDecay(1e-4));
 * opt.addParamGroup(biases, Adam.options().weightDecay(0));
 * }</pre>
 *
 * <h2>Backstitch</h2>
 * {@link io.jgrad.optim.Backstitch} wraps an optimizer: on selected mini-batches it steps up the
 * gradient by {@code alpha * lr}, recomputes the gradient on the same mini-batch, and steps down by
 * {@code (1 + alpha) * lr}. Layers with running statistics read
 * {@link io.jgrad.optim.Backstitch#isFinalPass()}.
 *
 * <h2>Schedules</h2>
 * {@link io.jgrad.optim.StepLR}, {@link io.jgrad.optim.MultiStepLR},
 * {@link io.jgrad.optim.ExponentialLR}, {@link io.jgrad.optim.CosineAnnealingLR},
 * {@link io.jgrad.optim.CosineAnnealingWarmRestarts}, {@link io.jgrad.optim.LinearLR} (warm-up),
 * {@link io.jgrad.optim.LambdaLR}, {@link io.jgrad.optim.SequentialLR} (warm-up then another
 * schedule), {@link io.jgrad.optim.OneCycleLR} and {@link io.jgrad.optim.ReduceLROnPlateau}, each
 * producing PyTorch 1.13's sequence of learning rates.
 *
 * <h2>Clipping and constraints</h2>
 * {@link io.jgrad.optim.ClipGrad} clips gradients by global norm or by value;
 * {@link io.jgrad.optim.MaxNorm} is Keras' max-norm {@link io.jgrad.optim.Constraint}.
 */
package io.jgrad.optim;
