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
 * Element-wise kernels and the Adam update on n floats, through the active kernels and through the
 * plain-Java ones (the fallback without the Vector API) in the same run. 65536 floats (256 KB per
 * array) stay in L2; 1M floats stream from memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ElementwiseBench {
    @Param({"65536", "1048576"})
    int n;

    Kernels active;
    Kernels plain;
    float[] a;
    float[] b;
    float[] out;
    float[] p;
    float[] g;
    float[] m;
    float[] v;

    @Setup
    public void setup() {
        active = KernelProvider.kernels();
        plain = KernelProvider.plain();
        SplittableRandom r = new SplittableRandom(3);
        a = new float[n];
        b = new float[n];
        out = new float[n];
        p = new float[n];
        g = new float[n];
        m = new float[n];
        v = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 20 - 10);
            b[i] = (float) (r.nextDouble() * 2 - 1);
            p[i] = (float) r.nextDouble();
            g[i] = (float) (r.nextDouble() - 0.5);
        }
    }

    @Benchmark
    public float[] add() {
        active.add(a, 0, b, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] addPlain() {
        plain.add(a, 0, b, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] exp() {
        active.exp(a, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] expPlain() {
        plain.exp(a, 0, out, 0, n);
        return out;
    }

    /** Exact GELU (erf polynomials) on a, uniform in [-10, 10]. */
    @Benchmark
    public float[] gelu() {
        active.gelu(a, 0, out, 0, n);
        return out;
    }

    @Benchmark
    public float[] geluPlain() {
        plain.gelu(a, 0, out, 0, n);
        return out;
    }

    /** One Adam step (lr 1e-3, betas 0.9/0.999, step 10) in place on p, m, v. */
    @Benchmark
    public float[] adam() {
        active.adamStep(p, 0, g, 0, m, 0, v, 0, n, 0.9f, 0.999f, 0.1f, 0.001f, 1e-3f / 0.6513f, 0.0998f, 1e-8f);
        return p;
    }

    @Benchmark
    public float[] adamPlain() {
        plain.adamStep(p, 0, g, 0, m, 0, v, 0, n, 0.9f, 0.999f, 0.1f, 0.001f, 1e-3f / 0.6513f, 0.0998f, 1e-8f);
        return p;
    }
}
