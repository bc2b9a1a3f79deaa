package io.jgrad.train.readme;

// spotless:off
// --- README: csv-classifier (the README prints the lines between the markers; ReadmeExampleTest keeps them equal)
import io.jgrad.data.*;
import io.jgrad.layers.*;
import io.jgrad.optim.Adam;
import io.jgrad.train.*;
import java.nio.file.Path;
import java.util.*;

public class CsvClassifier {
    public static void main(String[] args) throws Exception {
        Csv.Data data = Csv.read(Path.of(args[0]), Csv.options().header(true).labelColumn(-1));
        List<Subset> parts = Datasets.trainValidationSplit(data.dataset(), 0.2, 42);   // 80% train, 20% test
        Subset train = parts.get(0), test = parts.get(1);
        int features = data.dataset().input().size(1), classes = data.classNames().size();
        Normalization norm = new Normalization(features).adapt(train.all().input());        // training statistics
        Sequential model = new Sequential(norm, new Linear(features, 32), new ReLU(), new Linear(32, classes));
        Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 1e-2))
                .metrics(Metric.accuracy()).build();
        trainer.fit(train, new FitOptions().epochs(50).batchSize(16).validationData(test));
        System.out.println("test accuracy: " + trainer.evaluate(test).get("accuracy"));
        model.save(Path.of("classifier.safetensors"));                               // weights and statistics
    }
}
// --- end
// spotless:on
