package io.jgrad.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a step-based training loop between its evaluation lines: on a terminal, one line redrawn
 * at every step (step, loss, steps per second, time left); otherwise (a log file, a pipe) one line every
 * {@code every} steps, so a long run never stays silent for minutes.
 */
final class StepProgress {
    private final PrintStream out;
    private final int total;
    private final int every;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private boolean drawn;

    /**
     * @param out where to print
     * @param total the number of steps
     * @param every steps between lines when not on a terminal (at least 1)
     * @param terminal true to redraw one line at every step
     */
    StepProgress(PrintStream out, int total, int every, boolean terminal) {
        this.out = out;
        this.total = total;
        this.every = Math.max(1, every);
        this.terminal = terminal;
    }

    /** Progress on standard output, a terminal when the JVM has a console. */
    static StepProgress onStdout(PrintStream out, int total, int every) {
        return new StepProgress(out, total, every, io.jgrad.train.ProgressBar.stdoutIsTerminal());
    }

    /**
     * Reports that {@code step} (from 1) finished with training loss {@code loss}.
     *
     * @param step the step just done
     * @param loss its training loss
     */
    void step(int step, double loss) {
        if (!terminal && step % every != 0) {
            return;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = step / Math.max(secs, 1e-9);
        String line = String.format(
                Locale.ROOT,
                "  step %d/%d loss %.3f  %.2f steps/s  %s left",
                step,
                total,
                loss,
                rate,
                duration((total - step) / Math.max(rate, 1e-9)));
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Clears the redrawn line (before another line is printed); nothing when not on a terminal. */
    void clear() {
        if (terminal && drawn) {
            out.print("\r\u001b[K");
            out.flush();
            drawn = false;
        }
    }

    static String duration(double secs) {
        long s = Math.round(secs);
        return s >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
