package io.jgrad.autograd;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/** Records operations: creates the output variable and, when gradients are needed, its node. */
final class Graph {
    private Graph() {
    }

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

    private static final String[] LIBRARY = {"io.jgrad.core.", "io.jgrad.autograd.", "io.jgrad.layers.",
        "io.jgrad.optim.", "io.jgrad.train.", "io.jgrad.data.", "java.", "jdk.", "sun."};

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
