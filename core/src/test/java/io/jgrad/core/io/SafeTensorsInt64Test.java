package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** PyTorch writes integer tensors (e.g. {@code num_batches_tracked}) as I64: they narrow to INT32. */
class SafeTensorsInt64Test {
    static byte[] file(long... values) {
        String header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[" + values.length + "],\"data_offsets\":[0,"
                + 8 * values.length + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    @Test
    void int64InRangeLoadsAsInt32() throws Exception {
        SafeTensors st = SafeTensors.read(file(3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE), "counters.safetensors");
        assertEquals(DType.INT32, st.get("n").dtype());
        assertArrayEquals(
                new int[] {3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE},
                st.get("n").toIntArray());
    }

    @Test
    void int64OutOfRangeIsAClearError() {
        TensorFormatException e =
                assertThrows(TensorFormatException.class, () -> SafeTensors.read(file(1, 1L << 40), "big.safetensors"));
        assertTrue(
                e.getMessage().startsWith("big.safetensors")
                        && e.getMessage().contains("1099511627776")
                        && e.getMessage().contains("int32"),
                e.getMessage());
        // the stream reader reports it the same way
        TensorFormatException s = assertThrows(
                TensorFormatException.class,
                () -> SafeTensors.read(new java.io.ByteArrayInputStream(file(1L << 40)), "stream"));
        assertTrue(s.getMessage().contains("int32"), s.getMessage());
        new ByteArrayOutputStream().reset();
    }
}
