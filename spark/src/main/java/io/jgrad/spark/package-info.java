/**
 * Synchronous data-parallel training on Apache Spark whose results equal single-machine training:
 * {@link io.jgrad.spark.SparkTrainer} with data in a {@link io.jgrad.spark.SparkData}. Spark is a
 * {@code provided} dependency: the cluster brings it.
 */
package io.jgrad.spark;
