package io.jgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InferenceWorkloadTest {
    @Test
    void resultLineHasEveryModelsMedianAndNinetiethPercentile() {
        String line = InferenceWorkload.measure(3, 0.01, 21);
        assertTrue(line.startsWith("infer "), line);
        Matcher m = Pattern.compile("(\\w+?)(_p90)?_us=([0-9.]+)").matcher(line);
        int figures = 0;
        double median = 0;
        while (m.find()) {
            double us = Double.parseDouble(m.group(3));
            assertTrue(us > 0, line);
            if (m.group(2) == null) {
                median = us;
            } else {
                assertTrue(us >= median, "the 90th percentile is at least the median: " + line);
            }
            figures++;
        }
        assertEquals(12, figures, line);
        for (String key : new String[] {
            "mlp_us=",
            "cnn_us=",
            "lstm_step_us=",
            "lstm_step_p90_us=",
            "mlp_opt_us=",
            "cnn_opt_us=",
            "lstm_step_opt_us="
        }) {
            assertTrue(line.contains(" " + key), key + " in " + line);
        }
    }
}
