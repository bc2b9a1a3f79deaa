package io.jgrad.train.readme;

// spotless:off
// --- README: functional-model (the README prints the lines between the markers; FunctionalModelReadmeTest keeps them equal)
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.*;
import io.jgrad.optim.Adam;
import io.jgrad.train.*;
import java.util.List;

public class TwoTowers {
    /** left, right: (N, 20) features; same: (N, 1) 1 when both are of one kind; kinds: (N) the left one's kind. */
    public static History train(Tensor left, Tensor right, Tensor same, Tensor kinds) throws Exception {
        SymbolicTensor a = Input.of("left", 20), b = Input.of("right", 20);       // batches (N, 20)
        Linear encoder = new Linear(20, 32);                                        // one layer, used twice
        SymbolicTensor ea = new ReLU().call(encoder.call("encoder", a));
        SymbolicTensor eb = new ReLU().call(encoder.call(b));                       // the same weights
        SymbolicTensor isSame = new Linear(32, 1).call("same", new Multiply().call(ea, eb));
        SymbolicTensor kind = new Linear(32, 5).call("kind", ea);                   // (N, 5)
        Model model = new Model(List.of(a, b), List.of(isSame, kind));
        System.out.println(model.summary());
        Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 1e-2))
                .loss("same", new BCEWithLogitsLoss())
                .loss("kind", new CrossEntropyLoss(), 0.5)                          // loss weight
                .metrics("same", Metric.binaryAccuracy("accuracy", 0))              // logits: threshold 0
                .metrics("kind", Metric.accuracy())
                .build();
        TensorDataset data = TensorDataset.of(List.of(left, right), List.of(same, kinds), null);
        return trainer.fit(data, new FitOptions().epochs(20).batchSize(32).validationSplit(0.2));
    }
}
// --- end
// spotless:on
