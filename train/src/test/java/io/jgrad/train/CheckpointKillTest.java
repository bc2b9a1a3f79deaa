package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.core.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while it saves checkpoints in a loop never leaves a broken or missing
 * checkpoint: the file always reads back whole, with every tensor from one save. The kill lands
 * inside a save, found by watching the writer's temporary file: as soon as it appears, and once
 * it holds half of the data.
 */
class CheckpointKillTest {
    @TempDir
    Path tmp;

    private static final long HALF = 4_000_000;

    @Test
    void killDuringSavesLeavesAWholeCheckpoint() throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int midWrite = 0;
        for (long threshold : new long[] {0, HALF, 1, HALF}) {
            Path dir = Files.createDirectory(tmp.resolve("round-" + threshold + "-" + System.nanoTime()));
            Path file = dir.resolve("ckpt.safetensors");
            Path log = tmp.resolve(dir.getFileName() + ".log");
            Process p = new ProcessBuilder(
                            javaBin,
                            "-cp",
                            System.getProperty("java.class.path"),
                            CheckpointWriterMain.class.getName(),
                            file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                waitForTemporaryFile(p, dir, threshold, log);
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int lastSaved = lines.stream()
                    .filter(l -> l.startsWith("saved "))
                    .mapToInt(l -> Integer.parseInt(l.substring(6)))
                    .max()
                    .orElse(0);
            boolean leftover;
            try (Stream<Path> s = Files.list(dir)) {
                leftover = s.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
            }
            midWrite += leftover ? 1 : 0;
            if (!Files.exists(file)) {
                // killed during the very first save: no checkpoint was ever complete, none may appear broken
                assertEquals(0, lastSaved);
                continue;
            }
            Checkpoint cp = Checkpoint.read(file);
            Map<String, Tensor> w = cp.modelState();
            assertNotNull(w.get("weight"));
            int stamp = (int) w.get("weight").getDouble(0, 0);
            assertTrue(
                    stamp >= lastSaved,
                    "the checkpoint is from save " + stamp + ", the last reported was " + lastSaved);
            for (Tensor t : w.values()) {
                assertEquals(t.numel(), (long) t.eq(stamp).sum().item(), "every tensor from save " + stamp);
            }
            assertEquals(2_002_000, w.get("weight").numel() + w.get("bias").numel());
        }
        assertTrue(midWrite > 0, "no kill landed inside a save (no temporary file was left behind)");
    }

    /**
     * Returns once the writer's temporary file exists with at least {@code minBytes}, after at
     * least one complete save (so there is a checkpoint to protect).
     */
    private static void waitForTemporaryFile(Process p, Path dir, long minBytes, Path log) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            if (!p.isAlive()) {
                fail("the writer exited:\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                fail("no temporary file of " + minBytes + " bytes appeared in 60 s:\n" + Files.readString(log));
            }
            if (!Files.exists(dir.resolve("ckpt.safetensors"))) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    if (f.getFileName().toString().endsWith(".tmp")) {
                        try {
                            if (Files.size(f) >= minBytes) {
                                return;
                            }
                        } catch (java.nio.file.NoSuchFileException renamed) {
                            // the save completed between the listing and now: look again
                        }
                    }
                }
            }
        }
    }
}
