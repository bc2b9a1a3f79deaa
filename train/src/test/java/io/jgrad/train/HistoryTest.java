package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path tmp;

    static History sample(int epochs) {
        History h = new History();
        for (int e = 0; e < epochs; e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", 1.0 / (e + 1) + 0.1 / 3);
            logs.put("accuracy", 1 - 0.5 / (e + 1));
            logs.put("val_loss", 1.2 / (e + 1) + Math.PI * 1e-3);
            logs.put("val_accuracy", 1 - 0.6 / (e + 1));
            if (e > 0) {
                logs.put("lr", 1e-3 * Math.pow(0.5, e));
            }
            h.append(e, logs);
        }
        return h;
    }

    @Test
    void csvRoundTripIsExact() throws IOException {
        History h = sample(7);
        Path csv = tmp.resolve("history.csv");
        h.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr", lines.get(0));
        assertEquals(8, lines.size());
        assertTrue(lines.get(1).startsWith("0,") && lines.get(1).endsWith(","), "epoch 0 has no lr: " + lines.get(1));
        History back = History.readCsv(csv);
        assertEquals(h.keys(), back.keys());
        assertEquals(h.epochs(), back.epochs());
        for (String k : h.keys()) {
            assertEquals(h.get(k), back.get(k), k);
        }
        assertTrue(Double.isNaN(back.get("lr").get(0)));
        assertEquals(h.toCsv(), back.toCsv());
        IOException e = assertThrows(IOException.class, () -> History.parseCsv("loss\n1\n", "x.csv"));
        assertTrue(e.getMessage().contains("x.csv: not a history CSV"), e.getMessage());
        e = assertThrows(IOException.class, () -> History.parseCsv("epoch,loss\n0,1,2\n", "x.csv"));
        assertTrue(e.getMessage().contains("line 2 has 3 fields"), e.getMessage());
    }

    @Test
    void truncateDropsLaterEpochs() {
        History h = sample(5);
        h.truncate(3);
        assertEquals(List.of(0, 1, 2), h.epochs());
        assertEquals(3, h.get("loss").size());
    }

    @Test
    void askingForAChartWithoutTheChartsModuleNamesTheArtifact() {
        // train's class path has no chart library: the chart is refused with a message saying what to add,
        // after the arguments are checked, and no file is left behind
        assertFalse(History.chartsAvailable());
        History h = sample(3);
        Path png = tmp.resolve("history.png");
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, () -> h.writeChart(png, 640, 480));
        assertTrue(e.getMessage().contains("io.jgrad:jgrad-charts"), e.getMessage());
        assertTrue(e.getMessage().contains("no chart library on the class path"), e.getMessage());
        assertTrue(e.getMessage().contains(png.toString()), e.getMessage());
        assertFalse(Files.exists(png));
        assertThrows(IllegalArgumentException.class, () -> h.writeChart(png, 300, 200, List.of("f1")));
        assertThrows(IllegalArgumentException.class, () -> h.writeChart(png, 300, 200, List.of()));
        assertThrows(IllegalArgumentException.class, () -> h.writeChart(png, 0, 200));
    }
}
