package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the table of {@link Module#summary(int...)}. */
final class Summary {
    private Summary() {}

    static String of(Module root, int[] inputShape) {
        if (inputShape == null || inputShape.length == 0) {
            throw new IllegalArgumentException(
                    root.label() + ".summary: give the shape of one input batch, e.g. (1, 784)");
        }
        for (int s : inputShape) {
            if (s <= 0) {
                throw new IllegalArgumentException(
                        root.label() + ".summary: invalid input shape " + Shape.format(inputShape));
            }
        }
        IdentityHashMap<Module, int[]> shapes = new IdentityHashMap<>();
        List<Module.Handle> handles = new ArrayList<>();
        Map<String, Module> mods = root.namedModules();
        var modes = root.saveModes();
        try (var off = Autograd.noGrad()) {
            root.eval();
            for (Module m : mods.values()) {
                handles.add(m.registerForwardHook((mod, in, out) -> shapes.put(mod, out.shape())));
            }
            root.call(Variable.constant(Tensor.zeros(root.floatType(), inputShape)));
        } finally {
            for (Module.Handle h : handles) {
                h.close();
            }
            Module.restoreModes(modes);
        }
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Module> e : mods.entrySet()) {
            String name = e.getKey();
            Module m = e.getValue();
            int depth = name.isEmpty() ? 0 : name.split("\\.").length;
            String local = name.isEmpty() ? "" : name.substring(name.lastIndexOf('.') + 1);
            String label = "  ".repeat(depth) + (name.isEmpty() ? m.typeName() : local + " (" + m.typeName() + ")");
            int[] s = shapes.get(m);
            rows.add(new String[] {label, s == null ? "-" : Shape.format(s), group(Module.countParameters(m, false))});
        }
        int w0 = "Layer (type)".length();
        int w1 = "Output Shape".length();
        int w2 = "Param #".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        String fmt = "%-" + (w0 + 4) + "s%-" + (w1 + 4) + "s%" + w2 + "s%n";
        int width = w0 + w1 + w2 + 8;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(width)).append(System.lineSeparator());
        for (String[] r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r[0], r[1], r[2]));
        }
        sb.append("=".repeat(width)).append(System.lineSeparator());
        long total = Module.countParameters(root, false);
        long trainable = Module.countParameters(root, true);
        sb.append("Total params: ").append(group(total)).append(System.lineSeparator());
        sb.append("Trainable params: ").append(group(trainable)).append(System.lineSeparator());
        sb.append("Non-trainable params: ").append(group(total - trainable)).append(System.lineSeparator());
        return sb.toString();
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
