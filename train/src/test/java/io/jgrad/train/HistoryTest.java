package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
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
    void chartIsAPngOfTheRequestedSize() throws IOException {
        History h = sample(12);
        Path png = tmp.resolve("history.png");
        h.writeChart(png, 640, 480);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertEquals("\u0089PNG\r\n\u001a\n", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
        // the two panels are drawn: more than a handful of distinct colours (lines, text, grid)
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 10, colours.size() + " colours");

        Path small = tmp.resolve("loss-only.png");
        h.writeChart(small, 300, 200, List.of("loss"));
        BufferedImage s = ImageIO.read(small.toFile());
        assertEquals(300, s.getWidth());
        assertEquals(200, s.getHeight());
        assertThrows(IllegalArgumentException.class, () -> h.writeChart(small, 300, 200, List.of("f1")));
        assertThrows(IllegalArgumentException.class, () -> h.writeChart(small, 0, 200));
        if (System.getProperty("jgrad.keepChart") != null) {
            Files.copy(
                    png,
                    Path.of(System.getProperty("jgrad.keepChart")),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
