package io.jgrad.autograd;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One recorded operation: the entry that produced a variable ({@link Variable#gradFn()}). It keeps the
 * input variables (the edges of the graph) and whatever its backward rule needs, and drops both
 * after {@code backward} unless the graph is retained.
 *
 * <p>Built-in operations define their forward and their backward side by side (see the
 * {@code *Ops} classes of this package); users define their own through {@link Function}.
 */
public abstract class Node {
    /** Save-mask bit for the output value. */
    static final int SAVE_OUT = 1 << 30;

    final long seq;
    final String name;
    Variable[] inputs;
    final int[][] inputShapes;
    private final Tensor[] savedData;
    private final int[] savedVersions;
    Variable output;
    private Tensor outputData;
    private int outputVersion;
    private final boolean saveOutput;
    private boolean released;
    final StackTraceElement site;
    List<UnaryOperator<Variable>> hooks;
    boolean retainGrad;

    Node(String name, Variable[] inputs, int saveMask) {
        this.seq = Tape.nextSeq();
        this.name = name;
        this.inputs = inputs;
        this.inputShapes = new int[inputs.length][];
        this.savedData = new Tensor[inputs.length];
        this.savedVersions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputShapes[i] = inputs[i].data().shape();
            if ((saveMask & (1 << i)) != 0) {
                savedData[i] = inputs[i].data();
                savedVersions[i] = savedData[i].version();
            }
        }
        this.saveOutput = (saveMask & SAVE_OUT) != 0;
        this.site = Tape.current().anomaly ? Graph.userSite() : null;
    }

    void setOutput(Variable out) {
        this.output = out;
        if (saveOutput) {
            outputData = out.data();
            outputVersion = outputData.version();
        }
    }

    /**
     * The backward rule: given the gradient of the loss with respect to this node's output, returns
     * the gradient with respect to each input (an entry may be null when that input gets none).
     * Written with operations on variables, so that it can itself be differentiated.
     */
    protected abstract Variable[] backward(Variable gradOutput);

    /**
     * True for the library's own backward rules, which neither keep the gradient they are given nor
     * return one that something else keeps; the engine recycles such gradients' arrays once spent.
     */
    boolean builtIn() {
        return true;
    }

    /** The operation's name, e.g. {@code "mul"}. */
    public String name() {
        return name;
    }

    /** Input {@code i} as recorded. */
    protected Variable input(int i) {
        checkLive();
        return inputs[i];
    }

    /** The output variable of this node. */
    protected Variable output() {
        checkLive();
        return output;
    }

    /** The shape of input {@code i} (kept after release). */
    protected int[] inputShape(int i) {
        return inputShapes[i].clone();
    }

    /** The number of inputs. */
    public int inputCount() {
        return inputShapes.length;
    }

    /** True after backward freed this node's saved values. */
    public boolean isReleased() {
        return released;
    }

    /** Where in user code this node was created (anomaly mode only), or null. */
    public StackTraceElement site() {
        return site;
    }

    void checkLive() {
        if (released) {
            throw new IllegalStateException("backward: trying to backward through the graph a second time: op '" + name
                    + "' already freed its saved values; call backward(..., retainGraph=true) the first time");
        }
    }

    void checkVersions() {
        checkLive();
        for (int i = 0; i < savedData.length; i++) {
            Tensor t = savedData[i];
            if (t != null && (t.version() != savedVersions[i] || inputs[i].data() != t)) {
                throw modified("input " + i, t, savedVersions[i]);
            }
        }
        if (outputData != null && (outputData.version() != outputVersion || output.data() != outputData)) {
            throw modified("its output", outputData, outputVersion);
        }
    }

    private IllegalStateException modified(String what, Tensor t, int version) {
        return new IllegalStateException("backward: a value needed for gradient computation was modified by an "
                + "in-place operation: op '" + name + "' saved " + what + " of shape " + Shape.format(t.shape())
                + " at version " + version + ", but it is now at version " + t.version()
                + " (or was replaced); use an out-of-place operation or clone() it before modifying");
    }

    void release() {
        released = true;
        inputs = null;
        output = null;
        outputData = null;
        java.util.Arrays.fill(savedData, null);
    }

    void addHook(UnaryOperator<Variable> hook) {
        if (hooks == null) {
            hooks = new ArrayList<>();
        }
        hooks.add(hook);
    }

    @Override
    public String toString() {
        return name + "Backward";
    }
}
