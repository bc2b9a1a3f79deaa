package io.jgrad.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Shows training progress. On a terminal ({@code System.console() != null}) one line per epoch is
 * redrawn after each batch:
 *
 * <pre>
 * Epoch 3/10
 *  120/469 [=======&gt;......................] - ETA 12s - loss: 0.4321 - accuracy: 0.8812 - 2345 samples/s
 * </pre>
 *
 * and completed with the epoch's time, its training speed and its values (validation included).
 * When the output is not a terminal
 * (a log file, CI) only one plain line is printed per epoch:
 *
 * <pre>
 * Epoch 3/10 - 469 batches - 12.3s - 4878 samples/s - loss: 0.4321 - accuracy: 0.8812 - val_loss: 0.4710 - ...
 * </pre>
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long epochStart;
    private long lastDraw;
    private long samples;
    private long trainEnd;
    private int lastLength;

    /** Progress on standard output, per batch when it is a terminal. */
    public ProgressBar() {
        this(System.out, stdoutIsTerminal());
    }

    /**
     * Whether standard output is a terminal: the JVM has a console and (on Java 22 and newer, where a
     * console exists even when output is redirected) {@code Console.isTerminal()} says so.
     *
     * @return true when progress may redraw its line
     */
    @SuppressWarnings("SystemConsoleNull") // the null test is for Java 17-21; isTerminal() covers 22+
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before Java 22 a console exists only with a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * Progress on a given stream.
     *
     * @param out the stream
     * @param terminal true to redraw a bar per batch, false for one line per epoch
     */
    public ProgressBar(PrintStream out, boolean terminal) {
        if (out == null) {
            throw new IllegalArgumentException("ProgressBar: out is null");
        }
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public int order() {
        return 70;
    }

    @Override
    public void onEpochBegin(Trainer trainer, int epoch) {
        epochStart = System.nanoTime();
        trainEnd = epochStart;
        lastDraw = 0;
        samples = 0;
        lastLength = 0;
        if (terminal) {
            out.println("Epoch " + (epoch + 1) + "/" + trainer.epochs());
        }
    }

    @Override
    public void onBatchEnd(Trainer trainer, int batch, Map<String, Double> logs) {
        Double size = logs.get("size");
        samples += size == null ? 0 : size.longValue();
        long now = System.nanoTime();
        trainEnd = now;
        if (!terminal) {
            return;
        }
        int total = trainer.numBatches();
        if (now - lastDraw < REDRAW_NANOS && batch + 1 < total) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        int done = batch + 1;
        StringBuilder sb = new StringBuilder();
        String count = String.valueOf(total);
        sb.append(String.format(Locale.ROOT, "%" + count.length() + "d/%s ", done, count));
        sb.append(bar(done, total));
        double eta = done < total ? elapsed / done * (total - done) : 0;
        sb.append(" - ETA ").append(duration(eta));
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            if (!e.getKey().equals("size") && !e.getKey().equals("batch_loss")) {
                sb.append(" - ").append(e.getKey()).append(": ").append(format(e.getKey(), e.getValue()));
            }
        }
        sb.append(String.format(Locale.ROOT, " - %.0f samples/s", elapsed > 0 ? samples / elapsed : 0));
        redraw(sb.toString());
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        double elapsed = (System.nanoTime() - epochStart) / 1e9;
        // the speed of training alone, without the validation that followed it
        double training = (trainEnd - epochStart) / 1e9;
        StringBuilder sb = new StringBuilder();
        if (terminal) {
            int total = trainer.numBatches();
            sb.append(total).append('/').append(total).append(' ').append(bar(total, total));
        } else {
            sb.append("Epoch ")
                    .append(epoch + 1)
                    .append('/')
                    .append(trainer.epochs())
                    .append(" - ")
                    .append(trainer.numBatches())
                    .append(" batches");
        }
        sb.append(" - ").append(duration(elapsed));
        sb.append(String.format(Locale.ROOT, " - %.0f samples/s", training > 0 ? samples / training : 0));
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            sb.append(" - ").append(e.getKey()).append(": ").append(format(e.getKey(), e.getValue()));
        }
        if (terminal) {
            redraw(sb.toString());
            out.println();
        } else {
            out.println(sb);
        }
        out.flush();
    }

    private void redraw(String line) {
        // pad with spaces to wipe a longer previous line
        int pad = Math.max(0, lastLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    private static String bar(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled ? '=' : i == filled ? '>' : '.');
        }
        return sb.append(']').toString();
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, seconds < 10 ? "%.1fs" : "%.0fs", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600
                ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    static String format(String key, double v) {
        if (key.equals("lr") || key.endsWith("_lr")) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
