package io.jgrad.spark;

import static io.jgrad.spark.SparkFixtures.adam;
import static io.jgrad.spark.SparkFixtures.blobs;
import static io.jgrad.spark.SparkFixtures.crossEntropy;
import static io.jgrad.spark.SparkFixtures.mlp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MSELoss;
import io.jgrad.layers.Module;
import io.jgrad.optim.SGD;
import io.jgrad.train.FitOptions;
import io.jgrad.train.Trainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Data from DataFrames and RDDs: the same samples in the same order give the same training; bad data is reported. */
class SparkDataTest {
    private static Dataset<Row> frame(SparkSession spark, TensorDataset data, boolean doubleLabels) {
        int n = data.size();
        double[] x = data.input().to(DType.FLOAT64).toDoubleArray();
        int[] y = data.target().toIntArray();
        int f = x.length / n;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Double> feats = new ArrayList<>();
            for (int k = 0; k < f; k++) {
                feats.add(x[i * f + k]);
            }
            rows.add(RowFactory.create(feats, doubleLabels ? (Object) (double) y[i] : (Object) y[i]));
        }
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", doubleLabels ? DataTypes.DoubleType : DataTypes.IntegerType);
        return spark.createDataFrame(rows, schema).repartition(1);
    }

    @Test
    void dataFrameTrainsLikeTheSameDataFromAnRdd() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        TensorDataset data = blobs(64, 5, 51, DType.FLOAT64);
        SparkFitOptions o =
                new SparkFitOptions().epochs(2).batchSize(16).seed(3).workers(2);
        SparkTrainer fromRdd = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                .build();
        fromRdd.fit(sc, SparkData.fromLocal(sc, data, 2), o);
        for (boolean doubleLabels : new boolean[] {false, true}) {
            SparkData df = SparkData.classification(frame(spark, data, doubleLabels), "features", "label", 5);
            TensorDataset back = df.toLocal(DType.FLOAT64);
            assertTrue(back.input().allClose(data.input(), 0, 0));
            assertArrayEquals(data.target().toIntArray(), back.target().toIntArray());
            SparkTrainer t = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                    .build();
            t.fit(sc, df, o);
            assertTrue(SparkFixtures.identical(t.model(), fromRdd.model()), "double labels: " + doubleLabels);
        }
    }

    @Test
    void regressionTargetsEqualSingleMachine() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = SparkFixtures.blobs(50, 3, 52, DType.FLOAT64);
        // y = x0 - 2 x2, shape (N, 1)
        io.jgrad.core.Tensor x = data.input();
        io.jgrad.core.Tensor y = x.narrow(1, 0, 1).sub(x.narrow(1, 2, 1).mul(2.0));
        TensorDataset reg = new TensorDataset(x, y.contiguous());
        SerializableSupplier<Module> lin = () -> {
            Linear l = new Linear(3, 1);
            l.resetParameters(new io.jgrad.core.Generator(4));
            return l.to(DType.FLOAT64);
        };
        Module single = lin.get();
        Trainer.builder(single, new MSELoss(), new SGD(single.parameters(), 0.1))
                .build()
                .fit(
                        reg,
                        new FitOptions()
                                .epochs(3)
                                .batchSize(8)
                                .seed(9)
                                .prefetch(0)
                                .verbose(false));
        SparkTrainer t = SparkTrainer.builder(lin, SparkTrainer.lossOf(MSELoss::new), m -> new SGD(m.parameters(), 0.1))
                .build();
        SparkData sd = SparkData.fromLocal(sc, reg, 2);
        assertTrue(!sd.isClassification());
        assertArrayEquals(new int[] {1}, sd.targetShape());
        t.fit(sc, sd, new SparkFitOptions().epochs(3).batchSize(8).seed(9).workers(3));
        double d = SparkFixtures.maxRelDiff(t.model(), single);
        assertTrue(d <= 1e-10, "relative difference " + d);
    }

    @Test
    void badDataIsReported() {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        TensorDataset data = blobs(8, 5, 53, DType.FLOAT64);
        Dataset<Row> df = frame(spark, data, false);
        IllegalArgumentException col =
                assertThrows(IllegalArgumentException.class, () -> SparkData.classification(df, "pixels", "label", 5));
        assertTrue(col.getMessage().contains("no column 'pixels'"), col.getMessage());
        Dataset<Row> strings = df.withColumn("label", df.col("label").cast("string"));
        IllegalArgumentException lt = assertThrows(
                IllegalArgumentException.class, () -> SparkData.classification(strings, "features", "label", 5));
        assertTrue(
                lt.getMessage().contains("must hold class indices")
                        && lt.getMessage().contains("string"),
                lt.getMessage());
        // the declared shape does not fit the features: reported when the data is read
        SparkData wrong = SparkData.classification(df, "features", "label", 6);
        SparkException shape = assertThrows(
                SparkException.class,
                () -> SparkTrainer.builder(mlp(6, DType.FLOAT64, false), crossEntropy(), adam())
                        .build()
                        .fit(sc, wrong, new SparkFitOptions()));
        assertTrue(
                shape.getMessage().contains("has 5 features, but the sample shape (6,) needs 6"), shape.getMessage());
        Dataset<Row> half =
                df.withColumn("label", df.col("label").cast("double").plus(0.5));
        SparkException frac = assertThrows(
                SparkException.class,
                () -> SparkData.classification(half, "features", "label", 5).toLocal(DType.FLOAT64));
        assertTrue(frac.getMessage().contains("is not a class index"), frac.getMessage());
        IllegalArgumentException neg =
                assertThrows(IllegalArgumentException.class, () -> LabeledSample.of(new float[2], -1));
        assertTrue(neg.getMessage().contains("class index must be >= 0, got -1"));
        assertThrows(IllegalArgumentException.class, () -> new SparkFitOptions().workers(0));
        assertThrows(IllegalArgumentException.class, () -> new SparkFitOptions().checkpoints("file:///tmp/x", 0));
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class,
                () -> SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                        .build()
                        .fit(
                                sc,
                                SparkData.fromLocal(sc, data, 1),
                                new SparkFitOptions().batchSize(16).dropLast(true)));
        assertTrue(
                none.getMessage().contains("gives no batch (8 samples, batch size 16, dropLast)"), none.getMessage());
        assertEquals(8, data.size());
    }
}
