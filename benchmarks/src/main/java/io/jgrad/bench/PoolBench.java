package io.jgrad.bench;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * 2 x 2 max pooling at stride 2 ({@link Kernels#maxPool2x2}) on one thread, through the active kernels
 * and the plain-Java ones in the same run, on one image's planes of the {@code cnn} workload: 32 planes
 * of 28 x 28 (after the first convolution) and 64 of 14 x 14 (after the second). The inputs are ReLU
 * outputs (a quarter zeros), so ties occur as in training.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class PoolBench {
    /** planes x height x width. */
    @Param({"32x28x28", "64x14x14"})
    String shape;

    Kernels active;
    Kernels plain;
    int planes;
    int h;
    int w;
    float[] x;
    float[] out;
    int[] ind;

    @Setup
    public void setup() {
        active = KernelProvider.kernels();
        plain = KernelProvider.plain();
        String[] d = shape.split("x");
        planes = Integer.parseInt(d[0]);
        h = Integer.parseInt(d[1]);
        w = Integer.parseInt(d[2]);
        SplittableRandom r = new SplittableRandom(5);
        x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.max(0, r.nextDouble() * 4 - 1);
        }
        out = new float[planes * (h / 2) * (w / 2)];
        ind = new int[out.length];
    }

    @Benchmark
    public int[] maxPool() {
        active.maxPool2x2(x, 0, h, w, h / 2, w / 2, out, ind, 0, planes);
        return ind;
    }

    @Benchmark
    public int[] maxPoolPlain() {
        plain.maxPool2x2(x, 0, h, w, h / 2, w / 2, out, ind, 0, planes);
        return ind;
    }
}
