package io.jgrad.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One Spark context per test JVM (Spark allows only one), made again when another master is asked for. */
final class LocalSpark {
    private static JavaSparkContext sc;
    private static String master;

    private LocalSpark() {}

    static synchronized JavaSparkContext get(String wanted) {
        if (sc != null && !wanted.equals(master)) {
            stop();
        }
        if (sc == null) {
            SparkConf conf = new SparkConf()
                    .setMaster(wanted)
                    .setAppName("jgrad-spark-test")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "4")
                    .set("spark.default.parallelism", "4");
            sc = new JavaSparkContext(conf);
            sc.setLogLevel("WARN");
            master = wanted;
            Runtime.getRuntime().addShutdownHook(new Thread(LocalSpark::stop));
        }
        return sc;
    }

    static synchronized void stop() {
        if (sc != null) {
            sc.stop();
            sc = null;
            master = null;
        }
    }
}
