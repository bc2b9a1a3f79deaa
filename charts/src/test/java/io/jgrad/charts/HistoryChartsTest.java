package io.jgrad.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.train.History;
import io.jgrad.train.HistoryPlotter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryChartsTest {
    @TempDir
    Path tmp;

    /** Falling losses and rising accuracies; {@code lr} from the second epoch on (a missing value first). */
    static History sample(int epochs) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,loss,accuracy,val_loss,val_accuracy,lr\n");
        for (int e = 0; e < epochs; e++) {
            double d = 1.0 / (e + 1);
            csv.append(e).append(',').append(d + 0.03).append(',').append(1 - d / 2);
            csv.append(',')
                    .append(1.2 * d + 0.003)
                    .append(',')
                    .append(1 - 0.6 * d)
                    .append(',');
            csv.append(e > 0 ? Double.toString(1e-3 * Math.pow(0.5, e)) : "").append('\n');
        }
        return History.parseCsv(csv.toString(), "sample");
    }

    @Test
    void theServiceLoaderFindsThePlotter() {
        assertTrue(History.chartsAvailable());
        List<HistoryPlotter> found = ServiceLoader.load(HistoryPlotter.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertEquals(1, found.size());
        assertTrue(found.get(0) instanceof HistoryCharts, found.toString());
    }

    @Test
    void chartIsAPngOfTheRequestedSize() throws IOException {
        History h = sample(12);
        Path png = tmp.resolve("history.png");
        h.writeChart(png, 640, 480);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertEquals("\u0089PNG\r\n\u001a\n", new String(head, StandardCharsets.ISO_8859_1));
        // the two panels are drawn: more than a handful of distinct colours (lines, text, grid)
        Set<Integer> colours = new HashSet<>();
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
            Files.copy(png, Path.of(System.getProperty("jgrad.keepChart")), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void chartHasOnePanelPerMetricWithTrainingAndValidationSeries() throws IOException {
        History h = sample(5);
        JFreeChart chart = HistoryCharts.chart(h, List.of("loss", "accuracy"));
        List<XYPlot> panels = ((CombinedDomainXYPlot) chart.getXYPlot()).getSubplots();
        assertEquals(2, panels.size());
        XYPlot loss = panels.get(0);
        assertEquals("loss", loss.getRangeAxis().getLabel());
        assertEquals(2, loss.getDataset().getSeriesCount());
        assertEquals("training", loss.getDataset().getSeriesKey(0));
        assertEquals("validation", loss.getDataset().getSeriesKey(1));
        // epochs counted from 1, values as recorded
        assertEquals(5, loss.getDataset().getItemCount(0));
        assertEquals(1.0, loss.getDataset().getXValue(0, 0));
        assertEquals(h.get("val_loss").get(4), loss.getDataset().getYValue(1, 4));
        // a metric with only training values has one series; a missing value (lr at epoch 0) is left out
        XYPlot lr = ((CombinedDomainXYPlot)
                        HistoryCharts.chart(h, List.of("lr")).getXYPlot())
                .getSubplots()
                .get(0);
        assertEquals(1, lr.getDataset().getSeriesCount());
        assertEquals(4, lr.getDataset().getItemCount(0));
        assertEquals(2.0, lr.getDataset().getXValue(0, 0));
        assertThrows(IllegalArgumentException.class, () -> HistoryCharts.chart(h, List.of()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HistoryCharts.chart(h, List.of("f1")));
        assertTrue(e.getMessage().contains("nothing recorded for 'f1'"), e.getMessage());
    }
}
