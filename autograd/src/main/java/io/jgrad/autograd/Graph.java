package io.jgrad.autograd;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/** Records operations: creates the output variable and, when gradients are needed, its node. */
final class Graph {
    private Graph() {}

    /** A backward rule as a lambda over the node (which gives access to inputs and output). */
    @FunctionalInterface
    interface Backward {
        Variable[] apply(Node n, Variable grad);
    }

    static final class LambdaNode extends Node {
        private final Backward rule;

        LambdaNode(String name, Variable[] inputs, int saveMask, Backward rule) {
            super(name, inputs, saveMask);
            this.rule = rule;
        }

        @Override
        protected Variable[] backward(Variable gradOutput) {
            return rule.apply(this, gradOutput);
        }
    }

    /**
     * True while operations are recorded. Inside a backward rule this means the backward pass records
     * (create-graph): the rule must then build its result from recorded ops, and a fused kernel may
     * serve only when this is false.
     */
    static boolean recording() {
        return Tape.current().gradEnabled;
    }

    /**
     * The gradients of {@code composed(inputs)} with respect to {@code inputs}, given the gradient
     * {@code g} of its output, as recorded (differentiable) variables: the second-order path of a
     * fused op. {@code composed} must compute the op's forward from differentiable primitives;
     * the walk stops at the inputs, so their own history is not visited. An input listed twice gets
     * its whole gradient at its first position. Entries are null for inputs that do not require
     * gradients.
     */
    static Variable[] composedGradient(
            Variable[] inputs, Variable g, java.util.function.Function<Variable[], Variable> composed) {
        Variable out = composed.apply(inputs);
        if (!java.util.Arrays.equals(out.data().shape(), g.data().shape())) {
            throw new IllegalStateException("composed definition returned shape "
                    + Shape.format(out.data().shape()) + " for an op whose output gradient has shape "
                    + Shape.format(g.data().shape()));
        }
        java.util.List<Variable> need = new java.util.ArrayList<>();
        for (Variable v : inputs) {
            if (v != null && v.requiresGrad()) {
                need.add(v);
            }
        }
        Variable[] res = new Variable[inputs.length];
        if (need.isEmpty() || !out.requiresGrad()) {
            return res;
        }
        Variable[] gs = Engine.run(java.util.List.of(out), java.util.List.of(g), true, true, need, true);
        java.util.IdentityHashMap<Variable, Variable> byInput = new java.util.IdentityHashMap<>();
        for (int i = 0; i < need.size(); i++) {
            byInput.putIfAbsent(need.get(i), gs[i]);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].requiresGrad()) {
                Variable gi = byInput.remove(inputs[i]);
                res[i] = gi != null ? gi : new Variable(Tensor.zerosLike(inputs[i].data()));
            }
        }
        return res;
    }

    /**
     * The results of a backward rule that cannot be differentiated again (PyTorch's
     * {@code once_differentiable}): returned as they are when the backward pass does not record;
     * otherwise each one that something differentiable flowed into is attached to a node whose backward
     * throws, naming the op, so that a second derivative through it fails loudly instead of silently
     * dropping terms.
     */
    static Variable[] onceDifferentiable(String op, Variable[] grads, Variable g, Variable... inputs) {
        if (!recording()) {
            return grads;
        }
        Variable[] deps = concat(g, inputs);
        if (!needsGrad(deps)) {
            return grads;
        }
        Variable[] out = grads.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] != null && !out[i].requiresGrad()) {
                int[] shape = out[i].data().shape();
                out[i] = record(
                        op + "Backward",
                        out[i].data(),
                        0,
                        (n, gg) -> {
                            throw new UnsupportedOperationException(
                                    "op '" + op + "' cannot be differentiated twice: its "
                                            + "backward (gradient of shape " + Shape.format(shape)
                                            + ") is computed by a fused kernel "
                                            + "that is not recorded");
                        },
                        deps);
            }
        }
        return out;
    }

    private static Variable[] concat(Variable g, Variable[] rest) {
        java.util.List<Variable> l = new java.util.ArrayList<>();
        l.add(g);
        for (Variable v : rest) {
            if (v != null) {
                l.add(v);
            }
        }
        return l.toArray(new Variable[0]);
    }

    static boolean needsGrad(Variable... inputs) {
        if (!Tape.current().gradEnabled) {
            return false;
        }
        for (Variable v : inputs) {
            if (v.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The result of an operation: a variable holding {@code out}, with a node recording {@code rule}
     * when grad mode is on and an input requires gradients. {@code saveMask} has bit i set when the
     * rule reads input i's value, and {@link Node#SAVE_OUT} when it reads the output's.
     */
    static Variable record(String name, Tensor out, int saveMask, Backward rule, Variable... inputs) {
        Tape tape = Tape.current();
        if (tape.anomaly && !tape.inBackward) {
            checkFinite(name, out, "forward", userSite());
        }
        Variable res = new Variable(out, false);
        if (!needsGrad(inputs)) {
            return res;
        }
        Node n = new LambdaNode(name, inputs, saveMask, rule);
        res.attach(n);
        return res;
    }

    static void checkFinite(String name, Tensor t, String phase, StackTraceElement site) {
        if (!t.dtype().isFloatingPoint()) {
            return;
        }
        double[] d = t.toDoubleArray();
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) {
                throw new AnomalyException("anomaly: op '" + name + "' produced " + (Double.isNaN(d[k]) ? "NaN" : "Inf")
                        + " in its " + phase + " output of shape " + Shape.format(t.shape()) + " (element " + k + ")"
                        + (site == null ? "" : "; the op was created at " + site));
            }
        }
    }

    private static final String[] LIBRARY = {
        "io.jgrad.core.",
        "io.jgrad.autograd.",
        "io.jgrad.layers.",
        "io.jgrad.optim.",
        "io.jgrad.train.",
        "io.jgrad.data.",
        "java.",
        "jdk.",
        "sun."
    };

    /** The first stack frame outside the library (the user's code that created the operation). */
    static StackTraceElement userSite() {
        StackTraceElement[] st = new Throwable().getStackTrace();
        for (StackTraceElement e : st) {
            if (!isLibrary(e.getClassName())) {
                return e;
            }
        }
        return st.length > 0 ? st[st.length - 1] : null;
    }

    private static boolean isLibrary(String cls) {
        String outer = cls.contains("$") ? cls.substring(0, cls.indexOf('$')) : cls;
        if (outer.endsWith("Test") || outer.endsWith("Tests")) {
            return false; // the library's own tests count as user code
        }
        for (String p : LIBRARY) {
            if (cls.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
