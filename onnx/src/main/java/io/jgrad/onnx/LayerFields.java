package io.jgrad.onnx;

import java.lang.reflect.Field;

/**
 * Reads a layer's configuration (kernel sizes, strides, eps, ...) that the layers keep in private
 * fields without accessors. The names are those of the layers' sources; the tests export every
 * layer, so a renamed field fails there, with the layer and field named, never silently.
 */
final class LayerFields {
    private LayerFields() {}

    /**
     * The value of field {@code name} declared by the layer's class or one of its super classes.
     *
     * @param layer the layer
     * @param name the field
     * @param type its (boxed) type
     * @return the value
     */
    static <T> T get(Object layer, String name, Class<T> type) {
        for (Class<?> c = layer.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Field f;
            try {
                f = c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                continue;
            }
            try {
                f.setAccessible(true);
                Object v = f.get(layer);
                if (v != null && !type.isInstance(v)) {
                    throw new IllegalStateException("OnnxExporter: field " + c.getName() + "." + name + " holds a "
                            + v.getClass().getName() + ", expected " + type.getName());
                }
                return type.cast(v);
            } catch (IllegalAccessException | RuntimeException e) {
                if (e instanceof IllegalStateException) {
                    throw (IllegalStateException) e;
                }
                throw new IllegalStateException("OnnxExporter: cannot read " + c.getName() + "." + name + ": " + e, e);
            }
        }
        throw new IllegalStateException("OnnxExporter: " + layer.getClass().getName() + " has no field '" + name
                + "' (the exporter and the layers are out of step)");
    }

    static int getInt(Object layer, String name) {
        return get(layer, name, Integer.class);
    }

    static double getDouble(Object layer, String name) {
        return get(layer, name, Double.class);
    }

    static boolean getBoolean(Object layer, String name) {
        return get(layer, name, Boolean.class);
    }

    static int[] getInts(Object layer, String name) {
        return get(layer, name, int[].class);
    }
}
