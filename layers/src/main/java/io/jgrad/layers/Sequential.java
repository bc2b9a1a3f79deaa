package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import java.util.Iterator;
import java.util.List;

/**
 * Modules applied one after the other, each to the previous one's output, like
 * {@code torch.nn.Sequential}. Children are named {@code "0"}, {@code "1"}, ... in the order added,
 * so the state dict uses PyTorch's names ({@code 0.weight}, {@code 2.bias}, ...).
 *
 * <pre>{@code
 * Sequential mlp = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 10));
 * Variable logits = mlp.forward(x);   // x is (N, 784), logits (N, 10)
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    private int size;

    /**
     * A sequence of the given modules.
     *
     * @param modules the layers, in order
     */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /**
     * Appends a module, named by its position.
     *
     * @param m the module
     * @return this sequence
     */
    public Sequential add(Module m) {
        return add(String.valueOf(size), m);
    }

    /**
     * Appends a module under an explicit name (like an {@code OrderedDict} in PyTorch).
     *
     * @param name the child's name (no dots)
     * @param m the module
     * @return this sequence
     */
    public Sequential add(String name, Module m) {
        registerModule(name, m);
        size++;
        return this;
    }

    /**
     * The module at {@code index}; negative indices count from the end.
     *
     * @param index the position
     * @return the module
     */
    public Module get(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(
                    "Sequential.get: index " + index + " is out of range for " + size + " modules");
        }
        return children().get(i);
    }

    /**
     * The number of modules.
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(children()).iterator();
    }

    /** Applies each module in turn; an empty sequence is the identity. */
    @Override
    public Variable forward(Variable x) {
        for (Module m : namedChildren().values()) {
            x = m.call(x);
        }
        return x;
    }
}
