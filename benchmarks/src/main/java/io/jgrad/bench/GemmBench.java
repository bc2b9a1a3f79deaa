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
 * Square sgemm, C = A B with n x n matrices, through the active kernels and through EJML's
 * {@code CommonOps_FDRM.mult} on the same data. GFLOPS = 2 n^3 / (time per operation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBench {
    @Param({"256", "512", "1024"})
    int n;

    Kernels kernels;
    float[] a;
    float[] b;
    float[] c;
    FMatrixRMaj ea;
    FMatrixRMaj eb;
    FMatrixRMaj ec;

    @Setup
    public void setup() {
        kernels = KernelProvider.kernels();
        SplittableRandom r = new SplittableRandom(1);
        a = random(r, n * n);
        b = random(r, n * n);
        c = new float[n * n];
        ea = new FMatrixRMaj(n, n, true, a);
        eb = new FMatrixRMaj(n, n, true, b);
        ec = new FMatrixRMaj(n, n);
    }

    static float[] random(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }

    @Benchmark
    public float[] jgrad() {
        kernels.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(ea, eb, ec);
        return ec;
    }
}
