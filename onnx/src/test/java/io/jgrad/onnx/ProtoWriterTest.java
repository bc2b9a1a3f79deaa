package io.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The wire format against encodings worked out by hand from the protobuf encoding guide. */
class ProtoWriterTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void varints() {
        // the guide's example: field 1 = 150 is 08 96 01
        assertArrayEquals(
                bytes(0x08, 0x96, 0x01), new ProtoWriter().int64(1, 150).toByteArray());
        assertArrayEquals(bytes(0x10, 0x00), new ProtoWriter().int64(2, 0).toByteArray());
        assertArrayEquals(bytes(0x18, 0x7F), new ProtoWriter().int64(3, 127).toByteArray());
        assertArrayEquals(
                bytes(0x18, 0x80, 0x01), new ProtoWriter().int64(3, 128).toByteArray());
        // negative values take ten bytes (64-bit two's complement)
        assertArrayEquals(
                bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().int64(1, -1).toByteArray());
        // a field number above 15 takes a two-byte key: (20 << 3) | 0 = 160
        assertArrayEquals(
                bytes(0xA0, 0x01, 0x07), new ProtoWriter().int64(20, 7).toByteArray());
    }

    @Test
    void stringsBytesAndMessages() {
        // the guide's example: field 2 = "testing" is 12 07 74 65 73 74 69 6e 67
        assertArrayEquals(
                bytes(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67),
                new ProtoWriter().string(2, "testing").toByteArray());
        // the guide's nested example: field 3 = {field 1 = 150} is 1a 03 08 96 01
        assertArrayEquals(
                bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
                new ProtoWriter().message(3, new ProtoWriter().int64(1, 150)).toByteArray());
        assertArrayEquals(bytes(0x0A, 0x00), new ProtoWriter().string(1, "").toByteArray());
        // UTF-8: "é" is c3 a9
        assertArrayEquals(
                bytes(0x0A, 0x02, 0xC3, 0xA9),
                new ProtoWriter().string(1, "\u00e9").toByteArray());
    }

    @Test
    void floatsAndPackedFields() {
        // 1.0f is 0x3F800000, little-endian; key (2 << 3) | 5 = 0x15
        assertArrayEquals(
                bytes(0x15, 0x00, 0x00, 0x80, 0x3F),
                new ProtoWriter().float32(2, 1f).toByteArray());
        // the guide's packed example: field 4 = [3, 270, 86942] is 22 06 03 8e 02 9e a7 05
        assertArrayEquals(
                bytes(0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05),
                new ProtoWriter().packedInt64(4, new long[] {3, 270, 86942}).toByteArray());
        assertArrayEquals(
                bytes(0x3A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0),
                new ProtoWriter().packedFloat(7, new float[] {1f, -2f}).toByteArray());
    }

    @Test
    void invalidFieldNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(1 << 29, 1));
    }
}
