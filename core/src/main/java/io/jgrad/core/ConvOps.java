package io.jgrad.core;

/**
 * The dtype-specific inner loops of convolution: im2col/col2im on row tiles, the GEMM call, the direct
 * depthwise loops and a few helpers. {@code A} is {@code float[]} ({@link FloatConvOps}) or
 * {@code double[]} ({@link DoubleConvOps}); {@link ConvEngine} drives them without knowing which.
 *
 * <p>All arrays are row-major and contiguous; offsets point at the first element of the plane or
 * group in question. The loops trust their arguments (the public entry points validate shapes).
 */
abstract class ConvOps<A> {

    /** The primitive array behind {@code t}. */
    abstract A data(Tensor t);

    /** A new zeroed array of {@code len} elements. */
    abstract A alloc(int len);

    /**
     * A scratch array of at least {@code len} elements, reused by the calling thread across calls (its
     * contents are arbitrary). Callers must not hold it across another call on the same thread.
     */
    abstract A scratch(int len);

    /** Element size in bytes (for tile sizing). */
    abstract int bytes();

    /** {@code C = op(A) op(B) (+ C when accumulate)}, BLAS row-major semantics as in the Kernels GEMM. */
    abstract void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            A a,
            int aOff,
            int lda,
            A b,
            int bOff,
            int ldb,
            boolean accumulate,
            A c,
            int cOff,
            int ldc);

    /**
     * Writes the im2col matrix of one group for output rows {@code [r0, r1)}: {@code col} is
     * (cinG * kh * kw) x ((r1 - r0) * ow), row {@code (c * kh + i) * kw + j} holding the input value each
     * output position reads through kernel tap (i, j) of channel c, or 0 in the padding.
     * {@code xOff} points at channel 0 of the group in one image.
     */
    abstract void im2col(ConvGeometry g, A x, int xOff, int r0, int r1, A col);

    /** The adjoint of {@link #im2col}: adds every entry of {@code col} into the input position it came from. */
    abstract void col2im(ConvGeometry g, A col, int r0, int r1, A x, int xOff);

    /** {@code out[oOff + c * len + q] += bias[bOff + c]} for c in [0, planes), q in [0, len). */
    abstract void addBias(A out, int oOff, int planes, int len, A bias, int bOff);

    /**
     * Packs one group's filters, w (coutG x k, row-major at wOff), as the B operand (w^T) of the forward
     * product taken the other way round, {@code out^T = col^T w^T} (see {@code ConvEngine.filtersAsB}).
     */
    abstract Object packFilters(A w, int wOff, int coutG, int k);

    /** Gives a packing of {@link #packFilters} back to the scratch pool once the convolution is done with it. */
    abstract void releasePacked(Object packed);

    /**
     * {@code ct = col^T w^T} with the filters packed by {@link #packFilters}: col is k x t at colOff with row
     * stride ldCol (the GEMM reads it in place, as op(A) = col^T), ct is t x coutG at ctOff.
     */
    abstract void gemmFilters(int t, A col, int colOff, int ldCol, Object packed, A ct, int ctOff);

    /**
     * Writes the transpose of the rows x cols matrix at {@code src[sOff]} into rows of stride ld at
     * {@code dst[dOff]}: {@code dst[dOff + c * ld + r] = src[sOff + r * cols + c]}.
     */
    abstract void transposeTo(A src, int sOff, int rows, int cols, A dst, int dOff, int ld);

    /** {@code dst[dOff + q] += src[sOff + q]} for q in [0, len). */
    abstract void addTo(A src, int sOff, A dst, int dOff, int len);

    /** {@code a[off + q] = 0} for q in [0, len). */
    abstract void zero(A a, int off, int len);

    /**
     * Adds the transpose of the rows x cols matrix at {@code src[sOff]} to the cols x rows matrix at
     * {@code dst[dOff]}: {@code dst[dOff + c * rows + r] += src[sOff + r * cols + c]}.
     */
    abstract void addTransposed(A src, int sOff, int rows, int cols, A dst, int dOff);

    /** Adds to {@code out[oOff + c]} the sum of plane c of {@code g} (planes of {@code len} at gOff). */
    abstract void sumPlanes(A g, int gOff, int planes, int len, A out, int oOff);

    /**
     * Direct convolution of one input plane with one kh x kw filter, accumulated into one output plane
     * (oh x ow). Used when every output channel reads one input channel (depthwise).
     */
    abstract void depthwiseForward(ConvGeometry g, A x, int xOff, A w, int wOff, A out, int oOff);

    /** The adjoint of {@link #depthwiseForward} in the input: accumulates into one input plane. */
    abstract void depthwiseBackwardInput(ConvGeometry g, A gout, int gOff, A w, int wOff, A gin, int giOff);

    /** The adjoint of {@link #depthwiseForward} in the filter: accumulates into one kh x kw filter. */
    abstract void depthwiseBackwardWeight(ConvGeometry g, A gout, int gOff, A x, int xOff, A gw, int gwOff);

    /** The implementation for a floating point tensor's dtype. */
    @SuppressWarnings("unchecked")
    static <A> ConvOps<A> of(DType dtype) {
        return (ConvOps<A>) (dtype == DType.FLOAT64 ? DoubleConvOps.INSTANCE : FloatConvOps.INSTANCE);
    }
}
