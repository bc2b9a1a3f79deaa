package io.jgrad.core;

import java.util.List;

/** Joining, splitting, padding and index-based gathering/scattering. */
final class Indexing {
    private Indexing() {
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + ": not implemented yet");
    }

    static Tensor cat(int dim, List<Tensor> tensors) {
        throw todo("cat");
    }

    static Tensor stack(int dim, List<Tensor> tensors) {
        throw todo("stack");
    }

    static List<Tensor> split(Tensor t, int splitSize, int dim) {
        throw todo("split");
    }

    static List<Tensor> split(Tensor t, int[] sizes, int dim) {
        throw todo("split");
    }

    static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        throw todo("chunk");
    }

    static Tensor pad(Tensor t, int[] pads, Tensor.PadMode mode, double value) {
        throw todo("pad");
    }

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        throw todo("indexSelect");
    }

    static Tensor gather(Tensor t, int dim, Tensor index) {
        throw todo("gather");
    }

    /** Adds src into target (in place, no version bump) at index along dim; returns target. */
    static Tensor scatterAdd(Tensor target, int dim, Tensor index, Tensor src) {
        throw todo("scatterAdd");
    }

    static Tensor oneHot(Tensor t, int numClasses) {
        throw todo("oneHot");
    }

    static Tensor repeat(Tensor t, int[] repeats) {
        throw todo("repeat");
    }

    static Tensor tile(Tensor t, int[] repeats) {
        throw todo("tile");
    }

    static Tensor flip(Tensor t, int[] dims) {
        throw todo("flip");
    }

    static Tensor triangle(Tensor t, int k, boolean lower) {
        throw todo("tril/triu");
    }
}
