package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PyTorch writes integer tensors (e.g. {@code num_batches_tracked}) as I64: they load as INT64, exactly. */
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
    void int64LoadsAsInt64() throws Exception {
        long[] v = {3, -7, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE};
        SafeTensors st = SafeTensors.read(file(v), "counters.safetensors");
        assertEquals(DType.INT64, st.get("n").dtype());
        assertArrayEquals(v, st.get("n").toLongArray());
        // the stream reader agrees
        SafeTensors s = SafeTensors.read(new ByteArrayInputStream(file(v)), "stream");
        assertArrayEquals(v, s.get("n").toLongArray());
    }

    @Test
    void int64IsWrittenAsI64AndReadBack() throws Exception {
        long[] v = {Long.MIN_VALUE, 0, (1L << 53) + 1};
        byte[] bytes = SafeTensors.toBytes(Map.of("n", Tensor.of(v)), Map.of());
        assertEquals(0, bytes.length % 8, "header padded to 8 bytes");
        String header = new String(
                bytes,
                8,
                (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                StandardCharsets.UTF_8);
        assertTrue(header.contains("\"dtype\":\"I64\""), header);
        assertArrayEquals(v, SafeTensors.read(bytes, "n").get("n").toLongArray());
    }
}
