package io.jgrad.autograd.fused;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;

/**
 * A function with a fused forward and first-order backward and a composed definition for every higher
 * order: {@link #composedForward} writes the same function with differentiable operations, and the
 * engine differentiates it whenever the backward pass records.
 */
public abstract class FusedFunction extends Function {
    /**
     * A function with a name used in messages.
     *
     * @param name the name
     */
    protected FusedFunction(String name) {
        super(name);
    }

    @Override
    protected final Variable composed(Context ctx, Variable... inputs) {
        return composedForward(inputs);
    }

    /**
     * The composed definition of this function, valid after a forward (it may use what the forward
     * computed, such as masks or a denominator); public so that checks can compare it with the fused one.
     *
     * @param inputs the inputs given to the forward
     * @return the output written with differentiable operations
     */
    public abstract Variable composedForward(Variable... inputs);
}
