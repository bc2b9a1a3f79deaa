package io.jgrad.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last line every example prints: {@code result: key=value key=value ...}, with a fixed number
 * format (dot decimal separator whatever the locale) so that scripts can parse it.
 */
final class ResultLine {
    private final List<String> parts = new ArrayList<>();

    /** Adds an integer value. */
    ResultLine put(String key, long value) {
        parts.add(key + "=" + value);
        return this;
    }

    /** Adds a real value with {@code decimals} digits after the point. */
    ResultLine put(String key, double value, int decimals) {
        parts.add(key + "=" + String.format(Locale.ROOT, "%." + decimals + "f", value));
        return this;
    }

    /** Adds a word (no spaces). */
    ResultLine put(String key, String value) {
        if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "ResultLine: value of '" + key + "' must be one word, got '" + value + "'");
        }
        parts.add(key + "=" + value);
        return this;
    }

    /** Adds {@code seconds=} since {@code startNanos} (from {@link System#nanoTime()}). */
    ResultLine seconds(long startNanos) {
        return put("seconds", (System.nanoTime() - startNanos) / 1e9, 1);
    }

    @Override
    public String toString() {
        return "result: " + String.join(" ", parts);
    }

    void print(PrintStream out) {
        out.println(this);
        out.flush();
    }
}
