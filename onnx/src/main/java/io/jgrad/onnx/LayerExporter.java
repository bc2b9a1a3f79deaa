package io.jgrad.onnx;

import io.jgrad.layers.Module;

/**
 * Writes the ONNX nodes of one kind of layer. The exporter keeps one per layer class (matched
 * exactly, never by super class: a subclass may compute something else) and calls it with the name
 * of the layer's input value; it returns the name of the output value.
 *
 * <pre>{@code
 * // a custom block y = x * scale, scale a parameter of shape (C, 1, 1)
 * LayerExporter<Scale> e = (layer, x, ctx) ->
 *         ctx.graph().op("Mul").input(x, ctx.parameter(layer, "scale")).output();
 * OnnxExporter exporter = OnnxExporter.builder().register(Scale.class, e).build();
 * }</pre>
 *
 * @param <M> the layer class
 */
@FunctionalInterface
public interface LayerExporter<M extends Module> {
    /**
     * Adds the layer's nodes.
     *
     * @param layer the layer (in evaluation mode)
     * @param input the name of its input value; {@link ExportContext#shape(String)} gives its shape
     * @param ctx the graph, the shapes, and the export of children
     * @return the name of the output value
     * @throws UnsupportedLayerException when the layer's configuration cannot be exported
     */
    String export(M layer, String input, ExportContext ctx);
}
