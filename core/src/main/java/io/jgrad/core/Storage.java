package io.jgrad.core;

/**
 * The primitive array behind one or more tensor views, with a version counter that every in-place
 * operation increments (autograd uses it to detect saved values modified before backward).
 */
final class Storage {
    final DType dtype;
    final float[] f;
    final double[] d;
    final int[] i;
    private int version;

    Storage(float[] f) {
        this.dtype = DType.FLOAT32;
        this.f = f;
        this.d = null;
        this.i = null;
    }

    Storage(double[] d) {
        this.dtype = DType.FLOAT64;
        this.f = null;
        this.d = d;
        this.i = null;
    }

    Storage(int[] i) {
        this.dtype = DType.INT32;
        this.f = null;
        this.d = null;
        this.i = i;
    }

    static Storage allocate(DType dtype, int n) {
        switch (dtype) {
            case FLOAT32:
                return new Storage(new float[n]);
            case FLOAT64:
                return new Storage(new double[n]);
            default:
                return new Storage(new int[n]);
        }
    }

    int length() {
        switch (dtype) {
            case FLOAT32:
                return f.length;
            case FLOAT64:
                return d.length;
            default:
                return i.length;
        }
    }

    double get(int idx) {
        switch (dtype) {
            case FLOAT32:
                return f[idx];
            case FLOAT64:
                return d[idx];
            default:
                return i[idx];
        }
    }

    void set(int idx, double v) {
        switch (dtype) {
            case FLOAT32:
                f[idx] = (float) v;
                break;
            case FLOAT64:
                d[idx] = v;
                break;
            default:
                i[idx] = (int) v;
        }
    }

    int version() {
        return version;
    }

    void bump() {
        version++;
    }
}
