package io.jgrad.train;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import java.util.Map;

/** Small models and data sets shared by the trainer tests. */
final class Fixtures {
    private Fixtures() {}

    /** Three Gaussian blobs in 4-D, 50 samples each, shuffled: x (150, 4) FLOAT32, y (150) INT32. */
    static TensorDataset blobs(long seed) {
        Generator g = new Generator(seed);
        int n = 150;
        float[][] centers = {{2, 0, 0, 1}, {0, 2, 0, -1}, {0, 0, 2, 0}};
        int[] perm = Tensor.randperm(g, n).toIntArray();
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = perm[i] % 3;
            y[i] = c;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = centers[c][j] + 0.6f * (float) g.nextGaussian();
            }
        }
        return new TensorDataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n));
    }

    /** Linear(4, 16) - ReLU - Dropout(0.2) - Linear(16, 3), initialized from {@code seed}. */
    static Sequential mlp(long seed) {
        Sequential m = new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3));
        m.resetParameters(new Generator(seed));
        return m;
    }

    /** A copy of a model's state. */
    static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            out.put(e.getKey(), e.getValue().clone());
        }
        return out;
    }

    static boolean sameState(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            if (!a.get(k).equal(b.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** A model of two inputs: {@code fc(x1) + fc2(x2)}, x1 (N, 3), x2 (N, 2), output (N, 2). */
    static final class TwoInputs extends Module {
        final Linear a = registerModule("a", new Linear(3, 2));
        final Linear b = registerModule("b", new Linear(2, 2, false));

        TwoInputs(long seed) {
            resetParameters(new Generator(seed));
        }

        @Override
        public Variable forward(Variable... inputs) {
            if (inputs.length != 2) {
                throw new IllegalArgumentException("TwoInputs: expected 2 inputs, got " + inputs.length);
            }
            return a.call(inputs[0]).add(b.call(inputs[1]));
        }
    }

    /** A linear regression problem: y = x . w + 0.5 + noise, x (n, 3), y (n, 1). */
    static TensorDataset linear(int n, long seed) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, n, 3);
        Tensor w = Tensor.of(new float[] {1.5f, -2f, 0.5f}, 3, 1);
        Tensor y = x.matmul(w).add(0.5).add(Tensor.randn(g, n, 1).mul(0.1));
        return new TensorDataset(x, y);
    }

    static Tensor scalar(double v) {
        return Tensor.scalar(DType.FLOAT64, v);
    }
}
