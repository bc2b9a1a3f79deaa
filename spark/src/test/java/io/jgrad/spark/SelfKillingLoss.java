package io.jgrad.spark;

import io.jgrad.autograd.Variable;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.train.LossFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;

/**
 * Cross entropy that, on an executor, sends SIGKILL to its own JVM when that JVM computes its
 * {@code killAt}-th loss, once per run: the first JVM to create the marker file dies (the file then
 * holds its process id), the others and any executor started later go on. It lets a test kill an
 * executor at an exact step of a barrier stage, which the driver cannot observe while the stage runs.
 */
final class SelfKillingLoss implements LossFunction {
    private static final AtomicInteger CALLS = new AtomicInteger();

    private final LossFunction loss = LossFunction.of(new CrossEntropyLoss());
    private final String marker;
    private final int killAt;

    SelfKillingLoss(String marker, int killAt) {
        this.marker = marker;
        this.killAt = killAt;
    }

    static SerializableSupplier<LossFunction> factory(Path marker, int killAt) {
        String path = marker.toString();
        return () -> new SelfKillingLoss(path, killAt);
    }

    @Override
    public Variable compute(Variable output, Variable target) {
        SparkEnv env = SparkEnv.get();
        boolean executor = env != null && !"driver".equals(env.executorId());
        if (executor && CALLS.incrementAndGet() == killAt) {
            long pid = ProcessHandle.current().pid();
            try {
                Files.writeString(
                        Path.of(marker), Long.toString(pid), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                Thread.sleep(60_000); // SIGKILL ends the JVM before this returns
            } catch (FileAlreadyExistsException another) {
                // another executor was killed already: go on
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return loss.compute(output, target);
    }
}
