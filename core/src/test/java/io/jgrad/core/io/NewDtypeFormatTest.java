package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INT64, BOOL, FLOAT16 and BFLOAT16 in both formats: the bytes written, and headers whose sizes lie. */
class NewDtypeFormatTest {
    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static byte[] npy(String dict, int dataBytes) {
        String padded = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + padded.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    @Test
    void writesPyTorchsDtypeNamesAndNumPysDescrs() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("l", Tensor.of(new long[] {1}));
        m.put("b", Tensor.of(new boolean[] {true}));
        m.put("h", Tensor.ones(DType.FLOAT16, 1));
        m.put("bh", Tensor.ones(DType.BFLOAT16, 1));
        String all = new String(SafeTensors.toBytes(m, Map.of()), StandardCharsets.ISO_8859_1);
        for (String d : new String[] {"\"I64\"", "\"BOOL\"", "\"F16\"", "\"BF16\""}) {
            assertTrue(all.contains("\"dtype\":" + d), d + " in " + all);
        }
        assertTrue(new String(Npy.toBytes(m.get("l")), StandardCharsets.ISO_8859_1).contains("'descr': '<i8'"));
        assertTrue(new String(Npy.toBytes(m.get("b")), StandardCharsets.ISO_8859_1).contains("'descr': '|b1'"));
        assertTrue(new String(Npy.toBytes(m.get("h")), StandardCharsets.ISO_8859_1).contains("'descr': '<f2'"));
        // the data bytes are little-endian: 1.0 in float16 is 0x3c00, in bfloat16 0x3f80
        byte[] h = Npy.toBytes(m.get("h"));
        assertArrayEquals(new byte[] {0x00, 0x3c}, java.util.Arrays.copyOfRange(h, h.length - 2, h.length));
    }

    @Test
    void boolBytesOtherThanZeroAndOneLoadAsTrue() throws Exception {
        byte[] f = safetensors("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", 3);
        f[f.length - 3] = 2;
        f[f.length - 1] = (byte) 0xff;
        Tensor t = SafeTensors.read(f, "m").get("m");
        assertArrayEquals(new byte[] {1, 0, 1}, t.boolData());
        assertEquals(1, t.sum().itemLong() - 1);
    }

    @Test
    void oversizedHeadersAreFormatErrorsNotAllocations() {
        String[] lies = {
            // sizes whose byte count overflows a long
            "{\"x\":{\"dtype\":\"I64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}",
            // more elements than a Java array holds
            "{\"x\":{\"dtype\":\"BOOL\",\"shape\":[2147483647,2],\"data_offsets\":[0,4294967294]}}",
            // a plausible size, but the file is short
            "{\"x\":{\"dtype\":\"F16\",\"shape\":[1000000000],\"data_offsets\":[0,2000000000]}}",
            "{\"x\":{\"dtype\":\"BF16\",\"shape\":[-1],\"data_offsets\":[0,2]}}",
            "{\"x\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[0,16]}}",
        };
        for (String header : lies) {
            byte[] f = safetensors(header, 16);
            assertThrows(TensorFormatException.class, () -> SafeTensors.read(f, "lie"), header);
            assertThrows(
                    TensorFormatException.class, () -> SafeTensors.read(new ByteArrayInputStream(f), "lie"), header);
        }
        String[] npyLies = {
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2147483647, 2147483647), }",
            "{'descr': '|b1', 'fortran_order': False, 'shape': (2147483647, 3), }",
            "{'descr': '<f2', 'fortran_order': False, 'shape': (1000000000,), }",
            "{'descr': '>i8', 'fortran_order': True, 'shape': (4, 4), }",
        };
        for (String dict : npyLies) {
            byte[] f = npy(dict, 16);
            assertThrows(TensorFormatException.class, () -> Npy.read(f, "lie.npy"), dict);
            assertThrows(TensorFormatException.class, () -> Npy.read(new ByteArrayInputStream(f), "lie.npy"), dict);
        }
    }
}
