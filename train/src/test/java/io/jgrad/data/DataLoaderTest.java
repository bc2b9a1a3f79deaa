package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** Sample i has input [i, 2i] and target i, so a batch's targets tell which samples it holds. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 2 * i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.wrap(x, n, 2), Tensor.wrap(y, n));
    }

    private static List<Integer> epochOrder(DataLoader loader) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader) {
            for (int v : b.target().toIntArray()) {
                seen.add(v);
            }
        }
        return seen;
    }

    @AfterEach
    void noLoaderThreadLeft() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("jgrad-DataLoader") && t.isAlive()) {
                // a finished epoch stops its thread before handing out the last batch's successor
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                assertFalse(t.isAlive(), "a DataLoader thread is still running after the test");
            }
        }
    }

    @Test
    void everySampleOncePerEpochInSeededOrder() {
        int n = 103;
        DataLoader loader = DataLoader.builder(numbered(n))
                .batchSize(10)
                .shuffle(true)
                .seed(7)
                .build();
        assertEquals(11, loader.numBatches());
        Generator reference = new Generator(7);
        List<List<Integer>> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<Integer> order = epochOrder(loader);
            // the documented schedule: a permutation from the generator, then one seed for the transforms
            int[] expected = Tensor.randperm(reference, n).toIntArray();
            reference.nextLong();
            assertEquals(Arrays.stream(expected).boxed().toList(), order, "epoch " + e);
            int[] sorted = order.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sorted, "each sample exactly once in epoch " + e);
            epochs.add(order);
        }
        assertNotEquals(epochs.get(0), epochs.get(1), "a new order each epoch");

        DataLoader same = DataLoader.builder(numbered(n))
                .batchSize(10)
                .shuffle(true)
                .seed(7)
                .build();
        for (int e = 0; e < 3; e++) {
            assertEquals(epochs.get(e), epochOrder(same), "same seed, same order, epoch " + e);
        }
        DataLoader other = DataLoader.builder(numbered(n))
                .batchSize(10)
                .shuffle(true)
                .seed(8)
                .build();
        assertNotEquals(epochs.get(0), epochOrder(other));
    }

    @Test
    void withoutShuffleKeepsTheDatasetOrder() {
        DataLoader loader = DataLoader.builder(numbered(25)).batchSize(4).build();
        List<Integer> order = epochOrder(loader);
        for (int i = 0; i < 25; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @Test
    void batchSizesAndDropLast() {
        DataLoader keep = DataLoader.builder(numbered(23))
                .batchSize(5)
                .shuffle(true)
                .seed(1)
                .build();
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : keep) {
            sizes.add(b.size());
            assertArrayEquals(new int[] {b.size(), 2}, b.input().shape());
        }
        assertEquals(List.of(5, 5, 5, 5, 3), sizes);
        assertEquals(23, keep.numSamples());

        DataLoader drop = DataLoader.builder(numbered(23))
                .batchSize(5)
                .shuffle(true)
                .seed(1)
                .dropLast(true)
                .build();
        assertEquals(4, drop.numBatches());
        assertEquals(20, drop.numSamples());
        List<Integer> seen = epochOrder(drop);
        assertEquals(20, seen.size());
        assertEquals(20, seen.stream().distinct().count());

        DataLoader exact =
                DataLoader.builder(numbered(20)).batchSize(5).dropLast(true).build();
        assertEquals(20, epochOrder(exact).size());
        DataLoader tooSmall =
                DataLoader.builder(numbered(3)).batchSize(5).dropLast(true).build();
        assertFalse(tooSmall.iterator().hasNext());
    }

    @Test
    void batchesHoldTheRightRows() {
        DataLoader loader = DataLoader.builder(numbered(17))
                .batchSize(6)
                .shuffle(true)
                .seed(3)
                .build();
        for (Batch b : loader) {
            int[] ids = b.target().toIntArray();
            for (int k = 0; k < ids.length; k++) {
                assertEquals(ids[k], b.input().getFloat(k, 0));
                assertEquals(2 * ids[k], b.input().getFloat(k, 1));
            }
        }
    }

    @Test
    void backgroundAndCallerThreadGiveIdenticalBatches() {
        Transform noise = new GaussianNoise(0.5).andThen(new RandomMasking(0.3));
        for (int prefetch : new int[] {1, 2}) {
            DataLoader bg = DataLoader.builder(numbered(50))
                    .batchSize(8)
                    .shuffle(true)
                    .seed(11)
                    .prefetch(prefetch)
                    .inputTransform(noise)
                    .build();
            DataLoader fg = DataLoader.builder(numbered(50))
                    .batchSize(8)
                    .shuffle(true)
                    .seed(11)
                    .prefetch(0)
                    .inputTransform(noise)
                    .build();
            for (int e = 0; e < 2; e++) {
                var a = bg.iterator();
                var b = fg.iterator();
                while (a.hasNext()) {
                    Batch x = a.next();
                    Batch y = b.next();
                    assertTrue(x.input().equal(y.input()));
                    assertTrue(x.target().equal(y.target()));
                }
                assertFalse(b.hasNext());
            }
        }
    }

    /** A dataset that fails on one sample. */
    private static final class Failing implements Dataset {
        final int bad;

        Failing(int bad) {
            this.bad = bad;
        }

        @Override
        public int size() {
            return 40;
        }

        @Override
        public Sample get(int index) {
            if (index == bad) {
                throw new IllegalStateException("sample " + index + " is corrupt");
            }
            return new Sample(Tensor.full(index, 3), Tensor.scalar(DType.INT32, index));
        }
    }

    @Test
    void backgroundErrorsReachTheCaller() {
        for (int prefetch : new int[] {0, 1, 2}) {
            DataLoader loader = DataLoader.builder(new Failing(25))
                    .batchSize(10)
                    .prefetch(prefetch)
                    .build();
            var it = loader.iterator();
            assertTrue(it.next()
                    .input()
                    .equal(Tensor.stack(
                            0,
                            Tensor.full(0, 3),
                            Tensor.full(1, 3),
                            Tensor.full(2, 3),
                            Tensor.full(3, 3),
                            Tensor.full(4, 3),
                            Tensor.full(5, 3),
                            Tensor.full(6, 3),
                            Tensor.full(7, 3),
                            Tensor.full(8, 3),
                            Tensor.full(9, 3))));
            it.next();
            DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
            assertTrue(e.getCause() instanceof IllegalStateException, "cause is the original exception");
            assertEquals("sample 25 is corrupt", e.getCause().getMessage());
            assertTrue(e.getMessage().contains("batch 2 of 4"), e.getMessage());
            assertFalse(it.hasNext(), "the epoch ends after an error");
        }
    }

    @Test
    void transformErrorsReachTheCaller() {
        DataLoader loader = DataLoader.builder(numbered(10))
                .batchSize(5)
                .targetTransform(new GaussianNoise(1))
                .build();
        DataLoaderException e =
                assertThrows(DataLoaderException.class, () -> loader.iterator().next());
        assertTrue(
                e.getCause().getMessage().contains("GaussianNoise: expected floating point data, got int32"),
                e.getCause().getMessage());
    }

    /** Counts batches made, to check that the background thread stays a bounded distance ahead. */
    private static final class Counting implements Dataset {
        final TensorDataset base = numbered(200);
        final AtomicInteger made = new AtomicInteger();

        @Override
        public int size() {
            return base.size();
        }

        @Override
        public Sample get(int index) {
            return base.get(index);
        }

        @Override
        public Batch getBatch(int[] indices) {
            made.incrementAndGet();
            return base.getBatch(indices);
        }
    }

    @Test
    void prefetchIsBoundedAndEarlyCloseStopsTheThread() {
        for (int prefetch : new int[] {1, 2}) {
            Counting data = new Counting();
            DataLoader loader =
                    DataLoader.builder(data).batchSize(2).prefetch(prefetch).build();
            int consumed = 0;
            try (DataLoader.Epoch it = loader.iterator()) {
                for (int k = 0; k < 30; k++) {
                    it.next();
                    consumed++;
                    // at most `prefetch` batches wait in the queue and one more is being made
                    assertTrue(
                            data.made.get() <= consumed + prefetch + 1,
                            data.made.get() + " made, " + consumed + " consumed");
                }
            }
            int madeAtClose = data.made.get();
            assertTrue(madeAtClose < loader.numBatches());
            // a new epoch after the early stop works and starts over
            assertEquals(200, epochOrder(loader).size());
        }
    }

    @Test
    void newEpochClosesTheOldOne() {
        DataLoader loader = DataLoader.builder(numbered(100)).batchSize(3).build();
        var first = loader.iterator();
        first.next();
        var second = loader.iterator();
        assertFalse(first.hasNext());
        assertEquals(0, first.remaining());
        assertEquals(0, second.next().target().getInt(0));
        loader.close();
        assertFalse(second.hasNext());
    }

    @Test
    void fastPathEqualsSampleBySample() {
        Generator g = new Generator(5);
        Tensor a = Tensor.randn(g, 12, 3, 2);
        Tensor b = Tensor.randn(g, DType.FLOAT64, 12, 4);
        Tensor y = Tensor.randint(g, 0, 5, 12);
        Tensor w = Tensor.rand(g, 12);
        TensorDataset ds = new TensorDataset(List.of(a, b), y, w);
        int[] idx = {4, 0, 11, 4, 7};
        Batch fast = ds.getBatch(idx);
        List<Sample> samples = new ArrayList<>();
        for (int i : idx) {
            samples.add(ds.get(i));
        }
        Batch slow = Batch.collate(samples);
        assertEquals(2, fast.inputs().size());
        for (int k = 0; k < 2; k++) {
            assertTrue(fast.inputs().get(k).equal(slow.inputs().get(k)));
        }
        assertTrue(fast.target().equal(slow.target()));
        assertTrue(fast.weight().equal(slow.weight()));
        assertArrayEquals(new int[] {5, 3, 2}, fast.inputs().get(0).shape());
        for (int k = 0; k < idx.length; k++) {
            assertEquals(b.getDouble(idx[k], 3), fast.inputs().get(1).getDouble(k, 3));
            assertEquals(w.getFloat(idx[k]), fast.weight().getFloat(k));
        }
        // the default getBatch of a plain Dataset collates get()
        Dataset plain = new Dataset() {
            @Override
            public int size() {
                return ds.size();
            }

            @Override
            public Sample get(int index) {
                return ds.get(index);
            }
        };
        assertTrue(plain.getBatch(idx).inputs().get(1).equal(fast.inputs().get(1)));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.getBatch(new int[] {12}));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(-1));
    }

    @Test
    void tensorDatasetChecksSizes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(DType.INT32, 5)));
        assertEquals("TensorDataset: target has shape (5,) but input 0 has 4 samples", e.getMessage());
    }

    @Test
    void subsetsAndSplits() {
        TensorDataset ds = numbered(30);
        List<Subset> parts = Datasets.randomSplit(ds, new int[] {20, 7, 3}, 42);
        List<Integer> all = new ArrayList<>();
        for (Subset s : parts) {
            for (int i = 0; i < s.size(); i++) {
                all.add(s.get(i).target().getInt());
            }
        }
        assertEquals(30, all.size());
        assertEquals(30, all.stream().distinct().count());
        int[] perm = Tensor.randperm(new Generator(42), 30).toIntArray();
        assertArrayEquals(Arrays.copyOfRange(perm, 20, 27), parts.get(1).indices());
        assertArrayEquals(
                Datasets.randomSplit(ds, new int[] {20, 7, 3}, 42).get(0).indices(),
                parts.get(0).indices());

        List<Subset> tv = Datasets.trainValidationSplit(ds, 0.2, 1);
        assertEquals(24, tv.get(0).size());
        assertEquals(6, tv.get(1).size());

        List<Subset> tail = Datasets.tailSplit(ds, 0.1);
        assertEquals(27, tail.get(0).size());
        assertEquals(27, tail.get(1).get(0).target().getInt());
        // a subset batch goes through the base's fast path, indices mapped
        Batch b = tail.get(1).getBatch(new int[] {2, 0});
        assertArrayEquals(new int[] {29, 27}, b.target().toIntArray());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(ds, new int[] {10, 10}, 0));
        assertThrows(IllegalArgumentException.class, () -> Datasets.tailSplit(ds, 1.0));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(ds, new int[] {30}));
    }

    @Test
    void targetAndBatchTransforms() {
        DataLoader loader = DataLoader.builder(numbered(6))
                .batchSize(6)
                .targetTransform(new OneHot(6))
                .batchTransform(
                        (b, g) -> b.withInputs(List.of(b.input(), b.input().mul(10))))
                .build();
        Batch b = loader.iterator().next();
        assertTrue(b.target().equal(Tensor.eye(6)));
        assertEquals(2, b.inputs().size());
        assertEquals(50f, b.inputs().get(1).getFloat(5, 0));
        assertSame(loader.generator(), loader.generator());
    }

    @Test
    void closingFromAnotherThreadWakesAWaitingConsumer() throws InterruptedException {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Dataset stuck = new Dataset() {
            @Override
            public int size() {
                return 10;
            }

            @Override
            public Sample get(int index) {
                if (index >= 5) {
                    try {
                        never.await(); // the second batch never comes, until interrupted
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                return new Sample(Tensor.full(index, 2), Tensor.scalar(DType.INT32, index));
            }
        };
        DataLoader loader = DataLoader.builder(stuck).batchSize(5).prefetch(1).build();
        DataLoader.Epoch it = loader.iterator();
        java.util.concurrent.CountDownLatch gotFirst = new java.util.concurrent.CountDownLatch(1);
        List<Throwable> ended = new ArrayList<>();
        Thread consumer = new Thread(() -> {
            it.next();
            gotFirst.countDown();
            try {
                it.next();
            } catch (RuntimeException e) {
                ended.add(e);
            }
        });
        consumer.start();
        gotFirst.await();
        loader.close();
        consumer.join(10_000);
        assertFalse(consumer.isAlive(), "the consumer is still blocked after close()");
        assertEquals(1, ended.size());
        assertTrue(
                ended.get(0) instanceof DataLoaderException || ended.get(0) instanceof java.util.NoSuchElementException,
                ended.get(0).toString());
    }
}
