package io.jgrad.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A writer of the protocol buffers wire format, just what ONNX's messages need: varints, 32-bit
 * floats, length-delimited fields (strings, bytes, nested messages) and packed repeated varints and
 * floats. A message is built into its own writer and nested with {@link #message}, which writes its
 * length first.
 *
 * <p>The format (https://protobuf.dev/programming-guides/encoding/): each field is a key
 * {@code (field_number << 3) | wire_type}, written as a varint, then the value; wire type 0 is a
 * varint, 5 a little-endian 32-bit value, 2 a varint length followed by that many bytes. Varints
 * hold 7 bits per byte, least significant group first, with the high bit set on every byte but the
 * last; negative int32 and int64 values are written as their 64-bit two's complement (ten bytes).
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The bytes written so far. */
    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** The number of bytes written so far. */
    int size() {
        return out.size();
    }

    /** An int32, int64, enum or bool field (wire type 0). */
    ProtoWriter int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /** A float field (wire type 5). */
    ProtoWriter float32(int field, float value) {
        key(field, FIXED32);
        fixed32(Float.floatToIntBits(value));
        return this;
    }

    /** A string field in UTF-8 (wire type 2). */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field (wire type 2). */
    ProtoWriter bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** A nested message field (wire type 2): its length, then its bytes. */
    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated int64 (or int32) field: one length-delimited run of varints. */
    ProtoWriter packedInt64(int field, long[] values) {
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.varint(v);
        }
        return bytes(field, body.toByteArray());
    }

    /** A packed repeated float field: one length-delimited run of little-endian floats. */
    ProtoWriter packedFloat(int field, float[] values) {
        ProtoWriter body = new ProtoWriter();
        for (float v : values) {
            body.fixed32(Float.floatToIntBits(v));
        }
        return bytes(field, body.toByteArray());
    }

    private void key(int field, int wireType) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("ProtoWriter: field number " + field + " is outside [1, 2^29 - 1]");
        }
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        // unsigned shifts: a negative value takes all ten bytes, as protobuf writes int32 and int64
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void fixed32(int bits) {
        out.write(bits & 0xFF);
        out.write((bits >>> 8) & 0xFF);
        out.write((bits >>> 16) & 0xFF);
        out.write((bits >>> 24) & 0xFF);
    }
}
