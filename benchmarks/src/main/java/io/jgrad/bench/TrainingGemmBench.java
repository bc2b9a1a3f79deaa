package io.jgrad.bench;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of a dense layer in training, for a batch of B rows, In inputs and Out outputs
 * (shape parameter "BxInxOut", e.g. 128x784x512 of the MLP's first layer):
 * forward {@code Y = X W} (B x In times In x Out), weight gradient {@code dW = X^T dY} (transposed A),
 * input gradient {@code dX = dY W^T} (transposed B). Each through the active kernels and through EJML's
 * {@code mult}, {@code multTransA}, {@code multTransB} on the same data.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TrainingGemmBench {
    @Param({"128x784x512", "128x512x256"})
    String shape;

    int batch;
    int in;
    int out;
    Kernels kernels;
    float[] x;
    float[] w;
    float[] y;
    float[] dy;
    float[] dw;
    float[] dx;
    FMatrixRMaj ex;
    FMatrixRMaj ew;
    FMatrixRMaj ey;
    FMatrixRMaj edy;
    FMatrixRMaj edw;
    FMatrixRMaj edx;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        batch = Integer.parseInt(p[0]);
        in = Integer.parseInt(p[1]);
        out = Integer.parseInt(p[2]);
        kernels = KernelProvider.kernels();
        SplittableRandom r = new SplittableRandom(2);
        x = GemmBench.random(r, batch * in);
        w = GemmBench.random(r, in * out);
        dy = GemmBench.random(r, batch * out);
        y = new float[batch * out];
        dw = new float[in * out];
        dx = new float[batch * in];
        ex = new FMatrixRMaj(batch, in, true, x);
        ew = new FMatrixRMaj(in, out, true, w);
        edy = new FMatrixRMaj(batch, out, true, dy);
        ey = new FMatrixRMaj(batch, out);
        edw = new FMatrixRMaj(in, out);
        edx = new FMatrixRMaj(batch, in);
    }

    /** Y (B x Out) = X (B x In) W (In x Out). */
    @Benchmark
    public float[] forwardJgrad() {
        kernels.sgemm(false, false, batch, out, in, 1f, x, 0, in, w, 0, out, 0f, y, 0, out);
        return y;
    }

    /** dW (In x Out) = X^T dY, X stored B x In. */
    @Benchmark
    public float[] weightGradJgrad() {
        kernels.sgemm(true, false, in, out, batch, 1f, x, 0, in, dy, 0, out, 0f, dw, 0, out);
        return dw;
    }

    /** dX (B x In) = dY W^T, W stored In x Out. */
    @Benchmark
    public float[] inputGradJgrad() {
        kernels.sgemm(false, true, batch, in, out, 1f, dy, 0, out, w, 0, out, 0f, dx, 0, in);
        return dx;
    }

    @Benchmark
    public FMatrixRMaj forwardEjml() {
        CommonOps_FDRM.mult(ex, ew, ey);
        return ey;
    }

    @Benchmark
    public FMatrixRMaj weightGradEjml() {
        CommonOps_FDRM.multTransA(ex, edy, edw);
        return edw;
    }

    @Benchmark
    public FMatrixRMaj inputGradEjml() {
        CommonOps_FDRM.multTransB(edy, ew, edx);
        return edx;
    }
}
