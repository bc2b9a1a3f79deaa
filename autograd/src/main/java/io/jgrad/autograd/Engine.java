package io.jgrad.autograd;

import io.jgrad.core.Recycling;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.UnaryOperator;

/**
 * Reverse-mode execution: visits the nodes reachable from the roots in decreasing sequence number
 * (reverse order of recording, a valid topological order), sums the gradient flowing into each node
 * before running its backward rule, and accumulates leaf gradients once at the end.
 */
final class Engine {
    private Engine() {}

    /**
     * Runs backward. With {@code capture == null} leaf gradients accumulate into {@code .grad};
     * otherwise gradients for the variables in {@code capture} are returned in the same order (null
     * where none flowed) and no {@code .grad} is touched.
     */
    static Variable[] run(
            List<Variable> roots,
            List<Variable> rootGrads,
            boolean retainGraph,
            boolean createGraph,
            List<Variable> capture) {
        return run(roots, rootGrads, retainGraph, createGraph, capture, false);
    }

    /**
     * As {@link #run(List, List, boolean, boolean, List)}; with {@code bounded} the captured variables are
     * treated as leaves: the walk stops at them (their own history is not visited) and their hooks are
     * not applied. Used to differentiate a composed definition with respect to an op's inputs.
     */
    static Variable[] run(
            List<Variable> roots,
            List<Variable> rootGrads,
            boolean retainGraph,
            boolean createGraph,
            List<Variable> capture,
            boolean bounded) {
        IdentityHashMap<Node, Variable> buffer = new IdentityHashMap<>();
        IdentityHashMap<Variable, Variable> leafGrads = new IdentityHashMap<>();
        List<Variable> leafOrder = new ArrayList<>();
        IdentityHashMap<Variable, Integer> captureIndex = new IdentityHashMap<>();
        Variable[] captured = capture == null ? null : new Variable[capture.size()];
        if (capture != null) {
            for (int i = 0; i < capture.size(); i++) {
                captureIndex.putIfAbsent(capture.get(i), i);
            }
        }
        IdentityHashMap<Variable, Integer> boundary = bounded ? captureIndex : new IdentityHashMap<>();
        Recycling.Run run = createGraph ? null : Recycling.begin();
        Refs refs = new Refs(run);
        try (Tape.Scope scope = new Tape.Scope(createGraph, Tape.current().anomaly)) {
            for (int r = 0; r < roots.size(); r++) {
                Variable root = roots.get(r);
                Variable g = rootGrads.get(r);
                if (root.gradFn() == null || boundary.containsKey(root)) {
                    addLeaf(leafGrads, leafOrder, root, g, refs);
                } else {
                    refs.merge(buffer, root.gradFn(), g);
                }
            }
            PriorityQueue<Node> queue = new PriorityQueue<>((a, b) -> Long.compare(b.seq, a.seq));
            IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
            ArrayDeque<Node> stack = new ArrayDeque<>();
            for (Variable root : roots) {
                Node n = boundary.containsKey(root) ? null : root.gradFn();
                if (n != null && seen.put(n, Boolean.TRUE) == null) {
                    n.checkLive();
                    stack.push(n);
                }
            }
            while (!stack.isEmpty()) {
                Node n = stack.pop();
                queue.add(n);
                for (Variable in : n.inputs) {
                    Node p = boundary.containsKey(in) ? null : in.gradFn();
                    if (p != null && seen.put(p, Boolean.TRUE) == null) {
                        p.checkLive();
                        stack.push(p);
                    }
                }
            }
            while (!queue.isEmpty()) {
                Node n = queue.poll();
                Variable g = buffer.remove(n);
                if (g == null) {
                    if (!retainGraph) {
                        n.release();
                    }
                    continue;
                }
                Variable received = g;
                if (n.hooks != null) {
                    refs.pin(g); // a hook may keep what it is given, and what it returns
                    g = applyHooks(n.hooks, g);
                    refs.pin(g);
                }
                if (n.retainGrad && n.output != null) {
                    refs.pin(g);
                    n.output.setGradInternal(createGraph ? g : g.detach());
                }
                if (capture != null && n.output != null) {
                    Integer ci = captureIndex.get(n.output);
                    if (ci != null) {
                        refs.pin(g);
                        captured[ci] = captured[ci] == null ? g : sum(captured[ci], g);
                    }
                }
                boolean trusted = n.builtIn();
                if (!trusted) {
                    refs.pin(g); // a user-defined backward may keep its gradient
                }
                n.checkVersions();
                Tape tape = Tape.current();
                boolean wasIn = tape.inBackward;
                tape.inBackward = true;
                Variable[] grads;
                try {
                    grads = n.backward(g);
                } finally {
                    tape.inBackward = wasIn;
                }
                Variable[] ins = n.inputs;
                for (int i = 0; i < ins.length; i++) {
                    Variable gi = i < grads.length ? grads[i] : null;
                    Variable in = ins[i];
                    if (gi == null) {
                        continue;
                    }
                    if (!trusted) {
                        refs.pin(gi); // and may keep what it returns
                    }
                    if (!in.requiresGrad()) {
                        refs.dropUnheld(gi);
                        continue;
                    }
                    if (!Arrays.equals(gi.data().shape(), n.inputShapes[i])) {
                        throw new IllegalStateException("backward: op '" + n.name + "' returned a gradient of shape "
                                + Shape.format(gi.data().shape()) + " for input " + i + " of shape "
                                + Shape.format(n.inputShapes[i]));
                    }
                    if (createGraph && !gi.requiresGrad() && g.requiresGrad()) {
                        // a rule that used g's value instead of recorded ops: its result cannot be
                        // differentiated again, and returning it would silently drop second-order terms
                        throw new IllegalStateException("backward: op '" + n.name + "' returned a gradient for input "
                                + i + " (shape " + Shape.format(n.inputShapes[i]) + ") that is not recorded while the "
                                + "backward pass records (createGraph): its backward cannot be differentiated twice");
                    }
                    if (Tape.current().anomaly) {
                        Graph.checkFinite(n.name, gi.data(), "backward", n.site);
                    }
                    if (in.gradFn() != null && !boundary.containsKey(in)) {
                        refs.merge(buffer, in.gradFn(), gi);
                    } else {
                        addLeaf(leafGrads, leafOrder, in, gi, refs);
                    }
                }
                refs.drop(received);
                if (g != received) {
                    refs.drop(g);
                }
                if (!retainGraph) {
                    n.release();
                }
            }
            // Gradients stored in .grad must not share storage with each other or with the caller's
            // seed, because optimizers and clipping may modify them in place.
            List<Tensor> handed = new ArrayList<>();
            for (Variable rg : rootGrads) {
                handed.add(rg.data());
            }
            for (Variable leaf : leafOrder) {
                Variable g = leafGrads.get(leaf);
                if (leaf.hooks != null && !boundary.containsKey(leaf)) {
                    refs.pin(g);
                    g = applyHooks(leaf.hooks, g);
                    refs.pin(g);
                }
                if (capture != null) {
                    Integer ci = captureIndex.get(leaf);
                    if (ci != null) {
                        refs.pin(g);
                        captured[ci] = captured[ci] == null ? g : sum(captured[ci], g);
                    }
                } else {
                    Tensor t = g.data();
                    for (Tensor h : handed) {
                        if (h.sharesStorage(t)) {
                            g.sharedGrad = true;
                            break;
                        }
                    }
                    handed.add(t);
                    leaf.accumulateGrad(g, createGraph);
                    if (!leaf.holdsGrad(t)) {
                        refs.drop(g); // copied or added: this gradient is spent
                    }
                }
            }
        } finally {
            if (run != null) {
                run.close();
            }
        }
        return captured;
    }

    private static void addLeaf(
            Map<Variable, Variable> leafGrads, List<Variable> order, Variable leaf, Variable g, Refs refs) {
        if (!leaf.requiresGrad()) {
            refs.dropUnheld(g);
            return;
        }
        Variable prev = leafGrads.get(leaf);
        if (prev == null) {
            order.add(leaf);
            leafGrads.put(leaf, g);
            refs.hold(g);
        } else {
            leafGrads.put(leaf, refs.add(prev, g));
        }
    }

    /**
     * The engine's references to the gradients born in this pass, counted by storage: when the last
     * one goes and the storage was never pinned, its array is recycled ({@link Recycling}). Without a
     * pass (recycling off, or a recording backward) every method does nothing but the sum.
     */
    static final class Refs {
        private final Recycling.Run run;
        private final IdentityHashMap<Object, int[]> counts = new IdentityHashMap<>();

        Refs(Recycling.Run run) {
            this.run = run;
        }

        /** One more reference to g (a pending gradient slot now holds it). */
        void hold(Variable g) {
            Tensor t = g.data();
            if (Recycling.bornIn(t, run)) {
                counts.computeIfAbsent(Recycling.storageOf(t), k -> new int[1])[0]++;
            }
        }

        /** A slot let go of g: recycles its storage when no slot holds it any more. */
        void drop(Variable g) {
            Tensor t = g.data();
            if (!Recycling.bornIn(t, run)) {
                return;
            }
            Object key = Recycling.storageOf(t);
            int[] c = counts.get(key);
            if (c == null) {
                return;
            }
            if (--c[0] == 0) {
                counts.remove(key);
                Recycling.giveBack(t);
            }
        }

        /** A fresh gradient that no slot took (its input needs none): recycled unless a slot shares it. */
        void dropUnheld(Variable g) {
            Tensor t = g.data();
            if (Recycling.bornIn(t, run) && !counts.containsKey(Recycling.storageOf(t))) {
                Recycling.giveBack(t);
            }
        }

        /** Never recycle g's storage (someone outside the engine may keep it). */
        void pin(Variable g) {
            if (run != null && g != null) {
                Recycling.pin(g.data());
            }
        }

        /** buffer[node] += g. */
        void merge(Map<Node, Variable> buffer, Node node, Variable g) {
            Variable prev = buffer.get(node);
            if (prev == null) {
                buffer.put(node, g);
                hold(g);
            } else {
                buffer.put(node, add(prev, g));
            }
        }

        /**
         * prev + g for a slot that holds prev: in place when the slot is prev's only holder and g does
         * not overlap it, else a new sum; the spent operands are dropped.
         */
        Variable add(Variable prev, Variable g) {
            Tensor p = prev.data();
            Tensor t = g.data();
            if (Recycling.bornIn(p, run)
                    && Recycling.addableInPlace(p, t)
                    && counts.get(Recycling.storageOf(p))[0] == 1) {
                p.add_(t);
                dropUnheld(g);
                return prev;
            }
            Variable s = sum(prev, g);
            hold(s);
            drop(prev);
            dropUnheld(g);
            return s;
        }
    }

    private static Variable applyHooks(List<UnaryOperator<Variable>> hooks, Variable g) {
        for (UnaryOperator<Variable> h : hooks) {
            Variable r = h.apply(g);
            if (r != null) {
                if (!Arrays.equals(r.data().shape(), g.data().shape())) {
                    throw new IllegalStateException("gradient hook returned shape "
                            + Shape.format(r.data().shape()) + " for a gradient of shape "
                            + Shape.format(g.data().shape()));
                }
                g = r;
            }
        }
        return g;
    }

    /** a + b: differentiable when recording (create_graph), a fresh tensor otherwise. */
    static Variable sum(Variable a, Variable b) {
        return a.add(b);
    }

    static Tensor seedGradient(Variable root, Tensor gradient) {
        if (gradient == null) {
            if (root.data().numel() != 1) {
                throw new IllegalArgumentException(
                        "backward: a gradient can be created implicitly only for scalar outputs, "
                                + "but the output has shape "
                                + Shape.format(root.data().shape())
                                + "; pass the gradient of the loss with respect to it");
            }
            return Tensor.onesLike(root.data());
        }
        if (!Arrays.equals(gradient.shape(), root.data().shape())) {
            throw new IllegalArgumentException("backward: gradient of shape " + Shape.format(gradient.shape())
                    + " does not match the output's shape "
                    + Shape.format(root.data().shape()));
        }
        if (gradient.dtype() != root.data().dtype()) {
            throw new IllegalArgumentException("backward: gradient dtype " + gradient.dtype()
                    + " does not match the output's dtype " + root.data().dtype());
        }
        return gradient;
    }
}
