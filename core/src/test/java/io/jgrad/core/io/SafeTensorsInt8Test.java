package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INT32 tensors written as I8 on request: one byte each, read back exactly; values out of range refused. */
class SafeTensorsInt8Test {
    @TempDir
    Path tmp;

    @Test
    void int8TensorsTakeOneBytePerValueAndReadBackExactly() throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new int[] {-128, -1, 0, 1, 127, 5}, 2, 3));
        m.put("scale", Tensor.of(new float[] {0.5f, 0.25f}, 2));
        m.put("count", Tensor.of(new int[] {300}, 1));
        Path f = tmp.resolve("q.safetensors");
        SafeTensors.write(f, m, Map.of("format", "pt"), Set.of("w"));
        byte[] bytes = Files.readAllBytes(f);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"w\":{\"dtype\":\"I8\",\"shape\":[2,3]"), header);
        assertTrue(header.contains("\"count\":{\"dtype\":\"I32\""), header);
        // buffer: 2 floats + 1 int32 + 6 bytes
        assertEquals(8 + headerLength + 8 + 4 + 6, bytes.length);
        SafeTensors back = SafeTensors.read(f);
        assertEquals(DType.INT32, back.get("w").dtype());
        assertArrayEquals(new int[] {-128, -1, 0, 1, 127, 5}, back.get("w").toIntArray());
        assertArrayEquals(new int[] {2, 3}, back.get("w").shape());
        assertArrayEquals(new float[] {0.5f, 0.25f}, back.get("scale").toFloatArray());
        assertArrayEquals(new int[] {300}, back.get("count").toIntArray());
    }

    @Test
    void valuesOutOfRangeOrOtherTypesAreRefused() {
        Path f = tmp.resolve("bad.safetensors");
        Map<String, Tensor> big = Map.of("w", Tensor.of(new int[] {1, 128}, 2));
        String msg = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, big, null, Set.of("w")))
                .getMessage();
        assertTrue(msg.contains("'w' holds 128, outside the I8 range [-128, 127]"), msg);
        Map<String, Tensor> floats = Map.of("w", Tensor.of(new float[] {1}, 1));
        msg = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, floats, null, Set.of("w")))
                .getMessage();
        assertTrue(msg.contains("'w' is to be stored as I8 but is a float32 tensor (expected INT32)"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, floats, null, Set.of("v")))
                .getMessage();
        assertTrue(msg.contains("'v' is to be stored as I8 but is not among the tensors"), msg);
        assertTrue(Files.notExists(f));
    }
}
