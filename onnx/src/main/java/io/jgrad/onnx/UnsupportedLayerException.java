package io.jgrad.onnx;

/**
 * A model cannot be exported: one of its layers has no exporter, or is configured in a way ONNX (or
 * this exporter) cannot express. The message names the layer's class and its path in the module
 * tree (dotted, as in the state dict; {@code (root)} for the model itself).
 */
public class UnsupportedLayerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String layerClass;
    private final String path;

    /**
     * An error about the layer at {@code path}.
     *
     * @param layerClass the layer's class name
     * @param path the layer's dotted path ({@code ""} for the root)
     * @param message what is wrong
     */
    public UnsupportedLayerException(String layerClass, String path, String message) {
        super("OnnxExporter: " + layerClass + " at " + describe(path) + ": " + message);
        this.layerClass = layerClass;
        this.path = path;
    }

    static String describe(String path) {
        return path.isEmpty() ? "(root)" : "'" + path + "'";
    }

    /**
     * The unsupported layer's class name.
     *
     * @return the fully qualified class name
     */
    public String layerClass() {
        return layerClass;
    }

    /**
     * The layer's path in the module tree.
     *
     * @return the dotted path, {@code ""} for the root
     */
    public String path() {
        return path;
    }
}
