package io.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "Use" example of spark/README.md is the code below as printed, and it runs. */
class ReadmeSnippetTest {
    private static final String START = "// --- README snippet";
    private static final String END = "// --- end";

    @TempDir
    Path tmp;

    static Module snippet(JavaSparkContext jsc, Dataset<Row> df, SparkData sparkTestSet, String checkpointDir)
            throws Exception {
        // spotless:off
        // --- README snippet
        SparkTrainer trainer = SparkTrainer.builder(
                        () -> {                                        // the model: serializable, same init everywhere
                            Module m = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
                            m.resetParameters(new Generator(1));
                            return m;
                        },
                        SparkTrainer.lossOf(CrossEntropyLoss::new),    // the loss (a factory: made on each executor)
                        m -> new Adam(m.parameters(), 1e-3))           // the optimizer (runs on the driver)
                .metrics(Metric.accuracy())
                .build();
        // a DataFrame with an array<float> (or ML vector) column and a class-index column
        SparkData train = SparkData.classification(df, "features", "label", 1, 28, 28);
        History h = trainer.fit(jsc, train, new SparkFitOptions()
                .epochs(5).batchSize(64).workers(4)                   // 64 = the global batch over all workers
                .validationData(sparkTestSet)                          // a SparkData, evaluated by the executors
                                                                       // (or a local Dataset, evaluated on the driver)
                .checkpoints(checkpointDir, 100));                     // every 100 steps, e.g. to "hdfs:///tmp/ckpt"
        Module trained = trainer.model();                              // on the driver
        Map<String, Double> test = trainer.evaluate(jsc, sparkTestSet, 256);  // {loss=..., accuracy=...}
        // --- end
        // spotless:on
        assertEquals(5, h.size());
        assertTrue(test.get("accuracy") >= 0 && h.get("val_accuracy").get(4) >= 0);
        return trained;
    }

    @Test
    void readmePrintsThisCodeAndItRuns() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("spark/README.md"), StandardCharsets.UTF_8);
        int use = readme.indexOf("## Use");
        int a = readme.indexOf("```java\n", use) + "```java\n".length();
        String printed = readme.substring(a, readme.indexOf("```", a)).strip();
        String source = Files.readString(
                root.resolve("spark/src/test/java/io/jgrad/spark/ReadmeSnippetTest.java"), StandardCharsets.UTF_8);
        int s = source.indexOf(START + "\n") + START.length() + 1;
        String code = Arrays.stream(source.substring(s, source.indexOf(END, s)).split("\n"))
                .map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n"))
                .strip();
        assertEquals(code, printed);

        JavaSparkContext jsc = LocalSpark.get("local[2]");
        SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
        Generator g = new Generator(3);
        Tensor x = Tensor.rand(g, 96, 784);
        int[] y = Tensor.randint(g, 0, 10, 96).toIntArray();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            List<Float> f = new ArrayList<>();
            for (int k = 0; k < 784; k++) {
                f.add(x.getFloat(i, k));
            }
            rows.add(RowFactory.create(f, (double) y[i]));
        }
        Dataset<Row> df = spark.createDataFrame(
                rows,
                new StructType()
                        .add("features", DataTypes.createArrayType(DataTypes.FloatType))
                        .add("label", DataTypes.DoubleType));
        SparkData testSet = SparkData.fromLocal(
                jsc,
                new TensorDataset(x.narrow(0, 0, 32).reshape(32, 1, 28, 28), Tensor.of(Arrays.copyOf(y, 32), 32)),
                2);
        Module trained = snippet(jsc, df, testSet, tmp.toUri().toString());
        assertEquals(DType.FLOAT32, trained.parameters().get(0).data().dtype());
    }
}
