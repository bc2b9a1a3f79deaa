package io.jgrad.autograd;

import io.jgrad.core.Recycling;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user-defined differentiable operation: a forward on tensors and a backward on variables, side by
 * side, like {@code torch.autograd.Function}.
 *
 * <pre>{@code
 * Function cube = new Function("cube") {
 *     protected Tensor forward(Context ctx, Tensor... in) {
 *         return in[0].pow(3);
 *     }
 *     protected Variable[] backward(Context ctx, Variable g) {
 *         Variable x = ctx.input(0);
 *         return new Variable[] {g.mul(x.square()).mul(3)};
 *     }
 * };
 * Variable y = cube.apply(x);
 * }</pre>
 *
 * <p>Writing the backward with variable operations makes it differentiable again (double backward).
 * A backward computed by a fused kernel on plain tensors is not; such a function either overrides
 * {@link #composed} with the same forward written with differentiable operations (used instead of
 * {@link #backward} whenever the backward pass records, so the fused kernel keeps the first-order path
 * fast), or declares {@link #onceDifferentiable()}, so that a second derivative through it throws an
 * error naming it instead of silently dropping terms. The forward runs with recording off. All inputs
 * are treated as saved: modifying one in place before backward is detected and reported.
 */
public abstract class Function {
    private final String name;

    /** A function with a name used in messages and in {@link Node#name()}. */
    protected Function(String name) {
        this.name = name;
    }

    /** The forward computation on plain tensors. */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /**
     * The backward rule: the gradient with respect to each input given the gradient with respect to
     * the output (null entries for inputs without a gradient).
     */
    protected abstract Variable[] backward(Context ctx, Variable gradOutput);

    /**
     * The forward written with differentiable variable operations, or null (the default) when
     * {@link #backward} is itself written with variable operations. When the backward pass records
     * (create-graph: higher-order gradients), the gradients are those of this definition, computed
     * by the autograd engine and differentiable again; otherwise {@link #backward} serves. It must
     * return the same value as {@link #forward} (up to rounding).
     *
     * @param ctx the context filled by {@link #forward}
     * @param inputs the recorded inputs
     * @return the output as a recorded variable, or null
     */
    protected Variable composed(Context ctx, Variable... inputs) {
        return null;
    }

    /**
     * True when {@link #backward} computes its result on plain tensors and there is no
     * {@link #composed} definition: while the backward pass records, its gradients are then attached to
     * a node whose own backward throws, like PyTorch's {@code once_differentiable}. Default false.
     */
    protected boolean onceDifferentiable() {
        return false;
    }

    /**
     * Called once when this application's saved values are no longer needed: when the backward pass
     * frees the graph (after the node's backward, unless the graph is retained), or right after the
     * forward when no input needs a gradient. A function that keeps private buffers in the context
     * ({@link Context#put}) may give them back to a pool here (see
     * {@link io.jgrad.core.kernel.ScratchPool}); never anything that reached the output, a gradient or
     * the caller. A graph that is dropped without a backward pass is collected without this call. The
     * default does nothing.
     *
     * @param ctx the context filled by {@link #forward}
     */
    protected void release(Context ctx) {}

    /** The name given at construction. */
    public final String name() {
        return name;
    }

    /** Applies the function, recording it when gradients are needed. */
    public final Variable apply(Variable... inputs) {
        Context ctx = new Context(inputs);
        Tensor[] ts = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            ts[i] = inputs[i].data();
        }
        Tensor out;
        try (Tape.Scope off = Autograd.noGrad()) {
            out = forward(ctx, ts);
        }
        if (Tape.current().anomaly) {
            Graph.checkFinite(name, out, "forward", Graph.userSite());
        }
        Variable res = new Variable(out, false);
        if (!Graph.needsGrad(inputs)) {
            release(ctx);
            return res;
        }
        FunctionNode n = new FunctionNode(this, ctx, inputs);
        res.attach(n);
        ctx.output = res;
        return res;
    }

    private static final class FunctionNode extends Node {
        private final Function fn;
        private Context ctx;

        FunctionNode(Function fn, Context ctx, Variable[] inputs) {
            super(fn.name, inputs, (1 << Math.min(inputs.length, 30)) - 1);
            this.fn = fn;
            this.ctx = ctx;
        }

        @Override
        boolean builtIn() {
            return Recycling.libraryCode(fn.getClass());
        }

        @Override
        protected Variable[] backward(Variable gradOutput) {
            if (Graph.recording()) {
                Variable[] ins = ctx.inputs;
                Variable out = fn.composed(ctx, ins);
                if (out != null) {
                    return Graph.composedGradient(ins, gradOutput, v -> out);
                }
                Variable[] r = fn.backward(ctx, gradOutput);
                return fn.onceDifferentiable() ? Graph.onceDifferentiable(fn.name, r, gradOutput, ins) : r;
            }
            return fn.backward(ctx, gradOutput);
        }

        @Override
        void release() {
            super.release();
            if (ctx != null) {
                Context c = ctx;
                ctx = null;
                fn.release(c);
            }
        }
    }

    /** What the forward shares with the backward: the inputs, the output and saved values. */
    public static final class Context {
        private final Variable[] inputs;
        private Variable output;
        private final List<Tensor> saved = new ArrayList<>();
        private final Map<String, Object> values = new HashMap<>();

        Context(Variable[] inputs) {
            this.inputs = inputs;
        }

        /** Input {@code i} as a variable (use it in backward for differentiable rules). */
        public Variable input(int i) {
            return inputs[i];
        }

        /** The output variable (available in backward). */
        public Variable output() {
            return output;
        }

        /** Saves tensors for backward (treated as constants). */
        public void save(Tensor... ts) {
            saved.addAll(List.of(ts));
        }

        /** Saved tensor {@code i}. */
        public Tensor saved(int i) {
            return saved.get(i);
        }

        /** Stores any other value for backward. */
        public void put(String key, Object value) {
            values.put(key, value);
        }

        /** A value stored with {@link #put}. */
        public Object get(String key) {
            return values.get(key);
        }
    }
}
