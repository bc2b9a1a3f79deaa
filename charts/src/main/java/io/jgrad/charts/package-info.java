/**
 * Charts of training runs, drawn with JFreeChart: the optional part of {@code jgrad-train}.
 *
 * <p>With this module ({@code io.jgrad:jgrad-charts}) on the class path,
 * {@link io.jgrad.train.History#writeChart} writes PNGs through {@link io.jgrad.charts.HistoryCharts},
 * found by {@link java.util.ServiceLoader}; without it, training works the same and only the chart is
 * unavailable. {@link io.jgrad.charts.HistoryCharts#chart} gives the chart for display or styling.
 */
package io.jgrad.charts;
