/**
 * The {@code spark-fashion-mnist} example, run from {@code spark/target/jgrad-spark-example.jar}
 * (Spark inside) or with {@code spark-submit}.
 */
package io.jgrad.spark.example;
