package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import java.util.Collection;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization",
 * ICLR 2019): the weights shrink by {@code lr * weight_decay} before the Adam step instead of an L2
 * term entering the moment estimates. Identical to {@link Adam} with
 * {@code decoupled_weight_decay = true}; the default {@code weight_decay} is 1e-2, as in PyTorch 1.13's
 * {@code torch.optim.AdamW}.
 */
public class AdamW extends Adam {

    /** AdamW with PyTorch's defaults (lr 1e-3, weight decay 1e-2). */
    public AdamW(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** AdamW with learning rate {@code lr} and the other defaults. */
    public AdamW(Collection<? extends Parameter> params, double lr) {
        this(params, new Options().lr(lr));
    }

    /** AdamW with the given hyper-parameters. */
    public AdamW(Collection<? extends Parameter> params, Options options) {
        super("AdamW", params, options, true, 1e-2);
    }
}
