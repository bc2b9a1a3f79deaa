package io.jgrad.spark;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.BatchNorm1d;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.Tanh;
import io.jgrad.optim.Adam;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.SGD;
import io.jgrad.train.FitOptions;
import io.jgrad.train.LossFunction;
import io.jgrad.train.Trainer;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/** Data, models and comparisons shared by the tests. */
final class SparkFixtures {
    private SparkFixtures() {}

    /** {@code n} samples of {@code f} Gaussian features; the class is the arg-max of a fixed linear map (3 classes). */
    static TensorDataset blobs(int n, int f, long seed, DType dtype) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, n, f).to(DType.FLOAT64);
        Tensor w = Tensor.randn(new Generator(99), f, 3).to(DType.FLOAT64);
        Tensor s = x.matmul(w);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                if (s.getDouble(i, c) > s.getDouble(i, best)) {
                    best = c;
                }
            }
            y[i] = best;
        }
        return new TensorDataset(x.to(dtype), Tensor.of(y, n));
    }

    /** A small MLP, initialised from a fixed seed. */
    static SerializableSupplier<Module> mlp(int in, DType dtype, boolean batchNorm) {
        return () -> {
            Module m = batchNorm
                    ? new Sequential(new Linear(in, 16), new BatchNorm1d(16), new Tanh(), new Linear(16, 3))
                    : new Sequential(new Linear(in, 16), new Tanh(), new Linear(16, 3));
            m.resetParameters(new Generator(7));
            return m.to(dtype);
        };
    }

    static SerializableSupplier<LossFunction> crossEntropy() {
        return SparkTrainer.lossOf(CrossEntropyLoss::new);
    }

    static SerializableFunction<Module, Optimizer> adam() {
        return m -> new Adam(m.parameters(), 0.01);
    }

    static SerializableFunction<Module, Optimizer> sgdMomentum() {
        return m -> new SGD(m.parameters(), SGD.options().lr(0.05).momentum(0.9));
    }

    /** Single-machine training with the Trainer and the same settings. */
    static Module single(
            SerializableSupplier<Module> factory,
            Function<Module, Optimizer> opt,
            TensorDataset data,
            int epochs,
            int batch,
            long seed)
            throws IOException {
        Module m = factory.get();
        Trainer t = Trainer.builder(m, new CrossEntropyLoss(), opt.apply(m)).build();
        t.fit(
                data,
                new FitOptions()
                        .epochs(epochs)
                        .batchSize(batch)
                        .seed(seed)
                        .prefetch(0)
                        .verbose(false));
        return m;
    }

    /** The largest |a - b| over all parameters and buffers, relative to the largest |b|. */
    static double maxRelDiff(Module a, Module b) {
        double diff = 0;
        double scale = 0;
        Map<String, Tensor> sa = a.stateDict();
        for (Map.Entry<String, Tensor> e : b.stateDict().entrySet()) {
            double[] x = sa.get(e.getKey()).to(DType.FLOAT64).toDoubleArray();
            double[] y = e.getValue().to(DType.FLOAT64).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
                scale = Math.max(scale, Math.abs(y[i]));
            }
        }
        return diff / scale;
    }

    /** Whether every parameter and buffer is bit for bit the same. */
    static boolean identical(Module a, Module b) {
        Map<String, Tensor> sa = a.stateDict();
        for (Map.Entry<String, Tensor> e : b.stateDict().entrySet()) {
            if (!sa.get(e.getKey()).allClose(e.getValue(), 0, 0)) {
                return false;
            }
        }
        return true;
    }

    static double paramNorm(Module m) {
        double s = 0;
        for (Parameter p : m.parameters()) {
            for (double v : p.data().to(DType.FLOAT64).toDoubleArray()) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }
}
