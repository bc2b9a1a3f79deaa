package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addBroadcasts() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(b).toFloatArray());
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.t().add(b.unsqueeze(1)).t().toFloatArray(), 0f);
    }
}
