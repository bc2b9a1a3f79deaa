package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Generator;
import io.jgrad.core.Jgrad;
import io.jgrad.core.Tensor;
import io.jgrad.data.RandomHorizontalFlip;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One seed fixes weight initialization, dropout, shuffling and augmentation. */
class ManualSeedTest {
    @AfterEach
    void restore() {
        Jgrad.clearManualSeed();
    }

    /** Builds a model with dropout after the seed, trains 2 epochs with shuffling and flips, returns the weights. */
    private static List<float[]> run(long seed, boolean fixedInit) throws Exception {
        Jgrad.manualSeed(seed);
        Generator data = new Generator(99); // the data itself is fixed
        Tensor x = Tensor.rand(data, 64, 1, 4, 4);
        int[] y = new int[64];
        for (int i = 0; i < 64; i++) {
            y[i] = i % 3;
        }
        Sequential model =
                new Sequential(new Flatten(), new Linear(16, 8), new ReLU(), new Dropout(0.5), new Linear(8, 3));
        if (fixedInit) {
            model.resetParameters(new Generator(7)); // only dropout, shuffling and flips can differ
        }
        Trainer t = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.01))
                .build();
        TensorDataset ds = new TensorDataset(x, Tensor.wrap(y, 64));
        // shuffling and flips from a loader without an explicit seed; dropout from the trainer's generator
        try (io.jgrad.data.DataLoader loader = io.jgrad.data.DataLoader.builder(ds)
                .batchSize(8)
                .shuffle(true)
                .prefetch(0)
                .inputTransform(new RandomHorizontalFlip(0.5))
                .build()) {
            t.fit(loader, new FitOptions().epochs(2).verbose(false));
        }
        List<float[]> w = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            w.add(p.data().toFloatArray());
        }
        return w;
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherBits() throws Exception {
        for (boolean fixedInit : new boolean[] {false, true}) {
            List<float[]> a = run(42, fixedInit);
            List<float[]> b = run(42, fixedInit);
            List<float[]> c = run(43, fixedInit);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), 0f, "parameter " + i);
            }
            boolean same = true;
            for (int i = 0; i < a.size(); i++) {
                same &= java.util.Arrays.equals(a.get(i), c.get(i));
            }
            assertFalse(same, "another seed gave the same weights (fixed initialization: " + fixedInit + ")");
        }
        assertNotEquals(Jgrad.defaultSeed(1), Jgrad.defaultSeed(2));
    }
}
