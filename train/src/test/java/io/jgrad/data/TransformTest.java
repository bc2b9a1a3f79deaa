package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class TransformTest {

    @Test
    void perFeatureStatisticsFromTheTrainingDataOnly() {
        Generator g = new Generator(1);
        Tensor train = Tensor.randn(g, 50, 3)
                .mul(Tensor.of(new float[] {1, 5, 0.1f}, 3))
                .add(Tensor.of(new float[] {2, -3, 7}, 3));
        Normalize norm = Normalize.perFeature(train);
        assertArrayEquals(new int[] {1, 3}, norm.mean().shape());
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            for (int i = 0; i < 50; i++) {
                sum += train.getFloat(i, j);
            }
            double mean = sum / 50;
            double ss = 0;
            for (int i = 0; i < 50; i++) {
                ss += (train.getFloat(i, j) - mean) * (train.getFloat(i, j) - mean);
            }
            assertEquals(mean, norm.mean().getDouble(0, j), 1e-12);
            assertEquals(Math.sqrt(ss / 50), norm.std().getDouble(0, j), 1e-12);
        }
        Tensor z = norm.apply(train, g);
        // a deterministic transform needs no generator
        assertTrue(norm.apply(train).allClose(z, 0, 0));
        assertTrue(z.mean(new int[] {0}, false).allClose(Tensor.zeros(3), 0, 1e-5));
        assertTrue(z.std(new int[] {0}, 0, false).allClose(Tensor.ones(3), 0, 1e-5));
        // other data is scaled with the training statistics, not its own
        Tensor test = Tensor.full(10, 4, 3);
        Tensor zt = norm.apply(test, g);
        for (int j = 0; j < 3; j++) {
            double expected = (10 - norm.mean().getDouble(0, j)) / norm.std().getDouble(0, j);
            assertEquals(expected, zt.getFloat(3, j), 1e-4);
        }
        // FLOAT64 data gets FLOAT64 statistics
        assertEquals(DType.FLOAT64, norm.apply(test.to(DType.FLOAT64), g).dtype());
    }

    @Test
    void perChannelStatistics() {
        Generator g = new Generator(2);
        Tensor x = Tensor.rand(g, 6, 2, 3, 4);
        // a strided view exercises the non-contiguous path
        Tensor view = x.permute(0, 1, 3, 2);
        Normalize norm = Normalize.perChannel(view);
        assertArrayEquals(new int[] {1, 2, 1, 1}, norm.mean().shape());
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int i = 0; i < 6; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 4; w++) {
                        double v = x.getFloat(i, c, h, w);
                        sum += v;
                        sq += v * v;
                        n++;
                    }
                }
            }
            double mean = sum / n;
            assertEquals(mean, norm.mean().getDouble(0, c, 0, 0), 1e-12);
            assertEquals(Math.sqrt(sq / n - mean * mean), norm.std().getDouble(0, c, 0, 0), 1e-9);
        }
        // a constant feature is only centred
        Normalize constant = Normalize.perFeature(Tensor.full(3, 5, 2));
        assertTrue(constant.apply(Tensor.full(4, 1, 2), g).equal(Tensor.ones(1, 2)));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> norm.apply(Tensor.zeros(2, 3), g));
        assertTrue(e.getMessage().contains("need data of rank 4"), e.getMessage());
    }

    @Test
    void oneHot() {
        Tensor y = Tensor.of(new int[] {2, 0, 1}, 3);
        Tensor h = new OneHot(4).apply(y, null);
        assertTrue(h.equal(Tensor.of(new float[][] {{0, 0, 1, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}})));
        assertEquals(DType.FLOAT64, new OneHot(4, DType.FLOAT64).apply(y, null).dtype());
        assertThrows(IllegalArgumentException.class, () -> new OneHot(4).apply(Tensor.zeros(3), null));
    }

    @Test
    void horizontalFlipFollowsTheGeneratorDraws() {
        Generator g = new Generator(3);
        Tensor x = Tensor.rand(g, 16, 2, 3, 5);
        Generator draws = new Generator(99);
        Tensor out = new RandomHorizontalFlip(0.5).apply(x, draws);
        Generator replay = new Generator(99);
        int flipped = 0;
        for (int i = 0; i < 16; i++) {
            boolean flip = replay.nextDouble() < 0.5;
            flipped += flip ? 1 : 0;
            for (int c = 0; c < 2; c++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 5; w++) {
                        assertEquals(x.getFloat(i, c, h, flip ? 4 - w : w), out.getFloat(i, c, h, w));
                    }
                }
            }
        }
        assertTrue(flipped > 0 && flipped < 16);
        assertSame(x, new RandomHorizontalFlip(0).apply(x, g), "nothing flipped: the input itself");
    }

    @Test
    void randomCropWithPadding() {
        Generator g = new Generator(4);
        Tensor x = Tensor.rand(g, 10, 1, 6, 7);
        int pad = 2;
        Tensor out = new RandomCrop(6, 7, pad).apply(x, new Generator(5));
        assertArrayEquals(new int[] {10, 1, 6, 7}, out.shape());
        Generator replay = new Generator(5);
        boolean moved = false;
        for (int i = 0; i < 10; i++) {
            int top = replay.nextInt(6 + 2 * pad - 6 + 1);
            int left = replay.nextInt(7 + 2 * pad - 7 + 1);
            moved |= top != pad || left != pad;
            for (int h = 0; h < 6; h++) {
                for (int w = 0; w < 7; w++) {
                    int sh = top + h - pad;
                    int sw = left + w - pad;
                    float expected = sh >= 0 && sh < 6 && sw >= 0 && sw < 7 ? x.getFloat(i, 0, sh, sw) : 0f;
                    assertEquals(expected, out.getFloat(i, 0, h, w));
                }
            }
        }
        assertTrue(moved);
        // (N, H, W) batches and smaller crops
        assertArrayEquals(
                new int[] {10, 4, 4},
                new RandomCrop(4, 0).apply(x.squeeze(1), g).shape());
        assertTrue(new RandomCrop(6, 7, 0).apply(x, g).equal(x), "no padding, full size: identity");
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(12, 1).apply(x, g));
    }

    @Test
    void noiseAndMasking() {
        Tensor x = Tensor.full(3, 100, 100);
        Tensor noisy = new GaussianNoise(0.5).apply(x, new Generator(6));
        // x + 0.5 * randn from the same generator state (up to float rounding of the sum)
        assertTrue(
                noisy.sub(x).allClose(Tensor.randn(new Generator(6), 100, 100).mul(0.5), 0, 1e-6));
        assertEquals(3, noisy.mean().item(), 0.02);
        assertEquals(0.5, noisy.std().item(), 0.02);
        assertTrue(x.equal(Tensor.full(3, 100, 100)), "the input is unchanged");

        Tensor masked = new RandomMasking(0.3).apply(x, new Generator(7));
        int zeros = 0;
        for (float v : masked.toFloatArray()) {
            assertTrue(v == 0f || v == 3f);
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(3000, zeros, 200);
        Tensor m2 = new RandomMasking(0.3, -1).apply(x, new Generator(7));
        assertTrue(m2.eq(-1).equal(masked.eq(0)), "same draws, other fill value");
    }

    @Test
    void compositionIsSeeded() {
        Transform t = Transform.compose(new RandomHorizontalFlip(), new GaussianNoise(0.1), new RandomMasking(0.2));
        Tensor x = Tensor.rand(new Generator(8), 4, 1, 5, 5);
        assertTrue(t.apply(x, new Generator(1)).equal(t.apply(x, new Generator(1))));
        assertTrue(!t.apply(x, new Generator(1)).equal(t.apply(x, new Generator(2))));
        Transform chained =
                new RandomHorizontalFlip().andThen(new GaussianNoise(0.1)).andThen(new RandomMasking(0.2));
        assertTrue(chained.apply(x, new Generator(1)).equal(t.apply(x, new Generator(1))));
        assertSame(x, Transform.identity().apply(x, null));
    }
}
