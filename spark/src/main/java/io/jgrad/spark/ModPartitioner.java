package io.jgrad.spark;

import org.apache.spark.Partitioner;

/** Sends the sample with index {@code i} (a {@code Long} key) to partition {@code i % n}. */
final class ModPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int n;

    ModPartitioner(int n) {
        this.n = n;
    }

    @Override
    public int numPartitions() {
        return n;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.floorMod((Long) key, (long) n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModPartitioner m && m.n == n;
    }

    @Override
    public int hashCode() {
        return n;
    }
}
