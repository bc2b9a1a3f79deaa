package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Pruning;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradual pruning inside Trainer.fit: the sparsity follows the schedule to its target and is logged. */
class PruningCallbackTest {
    @Test
    void fitPrunesOnScheduleAndLogsTheSparsity() throws Exception {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 60, 8);
        Tensor y = x.narrow(1, 0, 1).gt(0).reshape(60).to(io.jgrad.core.DType.INT32);
        Sequential model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 2));
        model.resetParameters(g);
        // 6 batches an epoch; events at steps 2, 4, ..., 12: the target is reached in epoch 2
        Pruning.Scheduled pruner = new Pruning.Scheduled(model, new Pruning.Schedule(0.1, 0.75, 2, 5, 2), false);
        Trainer t = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.01))
                .seed(1)
                .build();
        History h = t.fit(
                new TensorDataset(x, y),
                new FitOptions().epochs(3).batchSize(10).callbacks(new PruningCallback(pruner)));
        List<Double> s = h.get("sparsity");
        assertEquals(3, s.size());
        assertTrue(s.get(0) > 0.1 && s.get(0) < 0.75, "epoch 1 sparsity " + s.get(0));
        assertEquals(0.75, s.get(1), 1e-12);
        assertEquals(0.75, s.get(2), 1e-12);
        assertEquals(0.75, Pruning.sparsity(model).get("0.weight"), 1e-12);
        assertEquals(0.75, Pruning.sparsity(model).get("2.weight"), 1e-12);
        assertEquals(18, pruner.steps());
        assertThrows(IllegalArgumentException.class, () -> new PruningCallback(null));
    }
}
