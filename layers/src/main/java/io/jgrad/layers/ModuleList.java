package io.jgrad.layers;

import java.util.Iterator;
import java.util.List;

/**
 * A list of modules registered as children {@code "0"}, {@code "1"}, ..., like
 * {@code torch.nn.ModuleList}: it holds layers for a parent that uses them in its own forward, and
 * has no forward of its own.
 */
public class ModuleList extends Module implements Iterable<Module> {
    private int size;

    /**
     * A list of the given modules.
     *
     * @param modules the modules
     */
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /**
     * Appends a module.
     *
     * @param m the module
     * @return this list
     */
    public ModuleList add(Module m) {
        registerModule(String.valueOf(size), m);
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
                    "ModuleList.get: index " + index + " is out of range for " + size + " modules");
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
}
