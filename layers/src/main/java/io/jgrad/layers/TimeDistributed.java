package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;

/**
 * Applies a module to every time step of a sequence with shared weights, like Keras's
 * {@code TimeDistributed}: an input {@code (B, T, ...)} is folded into a batch {@code (B*T, ...)}
 * (a view when the input is contiguous), run through the module once, and unfolded to
 * {@code (B, T, ...out)}. The wrapped module is the child {@code module}, so its parameters are
 * named {@code module.weight} and so on.
 *
 * <pre>{@code
 * TimeDistributed head = new TimeDistributed(new Linear(256, 65));   // (B, T, 256) -> (B, T, 65)
 * TimeDistributed frames = new TimeDistributed(new Sequential(new Conv2d(3, 8, 3), new Flatten()));
 * }</pre>
 */
public class TimeDistributed extends Module {
    private final Module module;

    /**
     * Wraps {@code module}.
     *
     * @param module the per-step module (any input rank)
     */
    public TimeDistributed(Module module) {
        this.module = registerModule("module", module);
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException(
                    "TimeDistributed: expected an input (B, T, ...) of at least 3 dimensions, got "
                            + Shape.format(x.shape()));
        }
        int b = x.size(0);
        int t = x.size(1);
        int[] folded = new int[x.dim() - 1];
        folded[0] = b * t;
        System.arraycopy(x.shape(), 2, folded, 1, x.dim() - 2);
        Variable y = module.call(x.reshape(folded));
        if (y.dim() < 1 || y.size(0) != b * t) {
            throw new IllegalArgumentException(
                    "TimeDistributed: the wrapped " + module.typeName() + " returned " + Shape.format(y.shape())
                            + " for a folded batch of " + (b * t) + "; it must keep the batch dimension");
        }
        int[] os = new int[y.dim() + 1];
        os[0] = b;
        os[1] = t;
        System.arraycopy(y.shape(), 1, os, 2, y.dim() - 1);
        return y.reshape(os);
    }

    /**
     * The wrapped module.
     *
     * @return the module applied at every step
     */
    public Module module() {
        return module;
    }
}
