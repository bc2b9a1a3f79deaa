package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jgrad-train works with no chart library on the class path: charts are optional (jgrad-charts). */
class TrainingWithoutChartsTest {
    @TempDir
    Path tmp;

    @Test
    void theClassPathHasNoChartLibrary() {
        // the premise of the tests here: neither JFreeChart nor jgrad-charts is reachable from train
        ClassLoader loader = History.class.getClassLoader();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.jfree.chart.JFreeChart", false, loader));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.jgrad.charts.HistoryCharts", false, loader));
        assertFalse(History.chartsAvailable());
    }

    @Test
    void fitRecordsHistoryLogsCsvAndCheckpointsWithoutCharts() throws IOException {
        TensorDataset data = Fixtures.blobs(5);
        Sequential model = Fixtures.mlp(6);
        Path csv = tmp.resolve("log.csv");
        Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.02))
                .metrics(Metric.accuracy())
                .seed(7)
                .build();
        History h = trainer.fit(
                data,
                new FitOptions()
                        .epochs(4)
                        .batchSize(16)
                        .validationSplit(0.2)
                        .verbose(false)
                        .callbacks(new CSVLogger(csv)));
        assertEquals(4, h.size());
        assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy", "lr"), h.keys());
        assertTrue(h.get("loss").get(3) < h.get("loss").get(0), "loss falls: " + h.get("loss"));
        assertEquals(h.toCsv(), History.readCsv(csv).toCsv());
        // the chart alone is unavailable, with a message naming the artifact to add
        Path png = tmp.resolve("history.png");
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, () -> h.writeChart(png, 800, 600));
        assertTrue(e.getMessage().contains("add the dependency io.jgrad:jgrad-charts"), e.getMessage());
        assertFalse(Files.exists(png));
    }
}
