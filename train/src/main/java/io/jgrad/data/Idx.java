package io.jgrad.data;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files, the format of MNIST and Fashion-MNIST ({@code *-idx1-ubyte} labels,
 * {@code *-idx3-ubyte} images), plain or gzip-compressed (recognized by content, not by name).
 *
 * <p>Layout: two zero bytes, a type code ({@code 0x08} unsigned byte, {@code 0x09} signed byte,
 * {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E} double), the number of
 * dimensions, then each dimension as a big-endian 32-bit integer, then the elements, big-endian, in
 * row-major order.
 *
 * <p>The header is checked before any large allocation: the element count must fit a tensor (the
 * dimensions are multiplied with overflow checks, and with a dimension of 0 the others must still fit),
 * and the data it announces must match the file's length exactly (a plain file) or be within what the
 * compressed length can hold (a gzip file, whose content is then read in growing chunks and checked for
 * truncation and trailing bytes). Every error is a {@link MalformedDataException} that names the file
 * and what is wrong.
 */
public final class Idx {
    /** Deflate cannot expand data more than about 1032 to 1; beyond that a gzip file cannot hold the data. */
    private static final long MAX_GZIP_RATIO = 1100;

    private static final int MAX_DIMS = 16;

    private Idx() {}

    /** The element types of the format. */
    public enum Type {
        /** Unsigned byte, code 0x08. */
        UBYTE(0x08, 1),
        /** Signed byte, code 0x09. */
        BYTE(0x09, 1),
        /** Big-endian 16-bit integer, code 0x0B. */
        SHORT(0x0B, 2),
        /** Big-endian 32-bit integer, code 0x0C. */
        INT(0x0C, 4),
        /** Big-endian 32-bit float, code 0x0D. */
        FLOAT(0x0D, 4),
        /** Big-endian 64-bit float, code 0x0E. */
        DOUBLE(0x0E, 8);

        final int code;
        final int bytes;

        Type(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * The header of an IDX file.
     *
     * @param type the element type
     * @param dims the dimensions
     */
    public record Header(Type type, int[] dims) {
        /**
         * The number of elements.
         *
         * @return the product of the dimensions
         */
        public long numel() {
            for (int d : dims) {
                if (d == 0) {
                    return 0; // even when the other dimensions multiply past 2^63
                }
            }
            return extent();
        }

        /**
         * The product of the dimensions with 0 counted as 1, which bounds the strides a tensor of
         * these dimensions needs; {@link Long#MAX_VALUE} when it overflows a long.
         */
        long extent() {
            long n = 1;
            for (int d : dims) {
                try {
                    n = Math.multiplyExact(n, (long) Math.max(d, 1));
                } catch (ArithmeticException e) {
                    return Long.MAX_VALUE; // more than any file or array can hold
                }
            }
            return n;
        }

        /**
         * The header's length in bytes.
         *
         * @return {@code 4 + 4 * dims}
         */
        public int length() {
            return 4 + 4 * dims.length;
        }
    }

    /**
     * Reads only the header of a file.
     *
     * @param path the file, plain or gzip
     * @return the header
     * @throws MalformedDataException when the header is invalid
     * @throws IOException when reading fails
     */
    public static Header readHeader(Path path) throws IOException {
        try (InputStream in = open(path)) {
            return header(path, new DataInputStream(in));
        } catch (EOFException e) {
            throw new MalformedDataException(path, "truncated: unexpected end of file (" + e.getMessage() + ")", e);
        } catch (java.util.zip.ZipException e) {
            throw new MalformedDataException(path, "invalid gzip data: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a whole file into a tensor: INT32 for the integer types (unsigned bytes become 0..255),
     * FLOAT32 for floats and FLOAT64 for doubles, with the file's dimensions.
     *
     * @param path the file, plain or gzip
     * @return the tensor
     * @throws MalformedDataException when the file is not a valid IDX file
     * @throws IOException when reading fails
     */
    public static Tensor read(Path path) throws IOException {
        Raw raw = readRaw(path);
        Header h = raw.header;
        int n = (int) h.numel();
        ByteBuffer bb = ByteBuffer.wrap(raw.data).order(ByteOrder.BIG_ENDIAN);
        switch (h.type) {
            case UBYTE: {
                int[] a = new int[n];
                for (int k = 0; k < n; k++) {
                    a[k] = raw.data[k] & 0xFF;
                }
                return Tensor.wrap(a, h.dims);
            }
            case BYTE: {
                int[] a = new int[n];
                for (int k = 0; k < n; k++) {
                    a[k] = raw.data[k];
                }
                return Tensor.wrap(a, h.dims);
            }
            case SHORT: {
                int[] a = new int[n];
                for (int k = 0; k < n; k++) {
                    a[k] = bb.getShort();
                }
                return Tensor.wrap(a, h.dims);
            }
            case INT: {
                int[] a = new int[n];
                bb.asIntBuffer().get(a);
                return Tensor.wrap(a, h.dims);
            }
            case FLOAT: {
                float[] a = new float[n];
                bb.asFloatBuffer().get(a);
                return Tensor.wrap(a, h.dims);
            }
            default: {
                double[] a = new double[n];
                bb.asDoubleBuffer().get(a);
                return Tensor.wrap(a, h.dims);
            }
        }
    }

    /**
     * Reads an unsigned-byte file as FLOAT32 multiplied by {@code scale}, without an intermediate
     * integer tensor: {@code readScaled(images, 1 / 255.0)} gives pixels in {@code [0, 1]}.
     *
     * @param path the file, plain or gzip, of type unsigned byte
     * @param scale the factor applied to each value
     * @return a FLOAT32 tensor with the file's dimensions
     * @throws MalformedDataException when the file is invalid or not of unsigned bytes
     * @throws IOException when reading fails
     */
    public static Tensor readScaled(Path path, double scale) throws IOException {
        Raw raw = readRaw(path);
        if (raw.header.type != Type.UBYTE) {
            throw new MalformedDataException(path, "expected unsigned bytes (type 0x08), got " + raw.header.type);
        }
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (float) (v * scale);
        }
        byte[] d = raw.data;
        float[] a = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            a[k] = lut[d[k] & 0xFF];
        }
        return Tensor.wrap(a, raw.header.dims);
    }

    /**
     * Reads the data of an unsigned-byte file as it is stored (row-major, one byte per value); the
     * dimensions are those of {@link #readHeader}.
     *
     * @param path the file, plain or gzip, of type unsigned byte
     * @return the bytes, {@code product(dims)} of them
     * @throws MalformedDataException when the file is invalid or not of unsigned bytes
     * @throws IOException when reading fails
     */
    public static byte[] readUnsignedBytes(Path path) throws IOException {
        Raw raw = readRaw(path);
        if (raw.header.type != Type.UBYTE) {
            throw new MalformedDataException(path, "expected unsigned bytes (type 0x08), got " + raw.header.type);
        }
        return raw.data;
    }

    private record Raw(Header header, byte[] data) {}

    /**
     * Up to {@code max} bytes of {@code in}, in a buffer of {@code first} bytes that doubles as data
     * arrives.
     */
    private static byte[] readGrowing(InputStream in, int max, int first) throws IOException {
        byte[] buf = new byte[Math.min(max, first)];
        int n = 0;
        while (n < max) {
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(max, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
    }

    private static Raw readRaw(Path path) throws IOException {
        boolean gz = isGzip(path);
        long fileLength = Files.size(path);
        try (InputStream in = open(path)) {
            DataInputStream din = new DataInputStream(in);
            Header h = header(path, din);
            long numel = h.numel();
            if (numel > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(
                        path,
                        "the header announces " + Shape.format(h.dims) + " = "
                                + (numel == Long.MAX_VALUE ? "more than 2^63" : Long.toString(numel))
                                + " elements, more than a tensor can hold");
            }
            if (h.extent() > Integer.MAX_VALUE - 8) {
                // no element, but a tensor of these dimensions could not index its rows
                throw new MalformedDataException(
                        path,
                        "the header announces " + Shape.format(h.dims) + ": no element, but its non-zero dimensions"
                                + " multiply to more than a tensor can hold");
            }
            long needed = numel * h.type.bytes;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(
                        path,
                        "the header announces " + Shape.format(h.dims) + " of " + h.type + " = " + needed
                                + " bytes of data, more than one array can hold");
            }
            if (!gz) {
                long available = fileLength - h.length();
                if (available < needed) {
                    throw new MalformedDataException(
                            path,
                            "truncated or wrong header: dimensions " + Shape.format(h.dims) + " of " + h.type + " need "
                                    + needed + " bytes of data but the file holds " + available);
                }
                if (available > needed) {
                    throw new MalformedDataException(
                            path,
                            "dimensions " + Shape.format(h.dims) + " of " + h.type + " need "
                                    + needed + " bytes of data but the file holds " + available + " ("
                                    + (available - needed)
                                    + " trailing bytes)");
                }
            } else if (needed > fileLength * MAX_GZIP_RATIO + 1024) {
                throw new MalformedDataException(
                        path,
                        "wrong header: dimensions " + Shape.format(h.dims) + " of " + h.type + " need " + needed
                                + " bytes of data, more than a gzip file of " + fileLength + " bytes can hold");
            }
            // gzip data is read as it arrives, into a buffer of at most four times the file's size (or 1 MB)
            // that grows with it, so a header that lies about its size fails at the end of the stream
            // instead of allocating the announced size up front. Images compress 2-5 to 1, so a real file
            // fills its first buffer exactly: growing from 1 MB, Fashion-MNIST's training images (47 MB)
            // had passed through 63 MB of smaller buffers, all garbage.
            int first = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1L << 20, 4 * fileLength));
            byte[] data = gz ? readGrowing(in, (int) needed, first) : new byte[(int) needed];
            int got = gz ? data.length : in.readNBytes(data, 0, data.length);
            if (got < needed) {
                throw new MalformedDataException(
                        path,
                        "truncated: dimensions " + Shape.format(h.dims) + " of " + h.type + " need " + needed
                                + " bytes of data but the file holds " + got);
            }
            if (in.read() != -1) {
                throw new MalformedDataException(
                        path,
                        "dimensions " + Shape.format(h.dims) + " of " + h.type + " need " + needed
                                + " bytes of data but the file holds more (trailing bytes)");
            }
            return new Raw(h, data);
        } catch (EOFException e) {
            throw new MalformedDataException(path, "truncated: unexpected end of file (" + e.getMessage() + ")", e);
        } catch (java.util.zip.ZipException e) {
            throw new MalformedDataException(path, "invalid gzip data: " + e.getMessage(), e);
        }
    }

    private static Header header(Path path, DataInputStream in) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new MalformedDataException(
                    path, "not an IDX file: " + got + " bytes, shorter than the 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new MalformedDataException(
                    path,
                    String.format(
                            "not an IDX file: bad magic number 0x%02X%02X%02X%02X"
                                    + " (an IDX file starts with two zero bytes, a type code and the number of dimensions)",
                            magic[0], magic[1], magic[2], magic[3]));
        }
        Type type = Type.of(magic[2] & 0xFF);
        if (type == null) {
            throw new MalformedDataException(
                    path,
                    String.format(
                            "bad magic number 0x%02X%02X%02X%02X: unknown type code 0x%02X"
                                    + " (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)",
                            magic[0], magic[1], magic[2], magic[3], magic[2]));
        }
        int nd = magic[3] & 0xFF;
        if (nd < 1 || nd > MAX_DIMS) {
            throw new MalformedDataException(
                    path, "bad magic number: " + nd + " dimensions (expected 1 to " + MAX_DIMS + ")");
        }
        int[] dims = new int[nd];
        for (int d = 0; d < nd; d++) {
            try {
                dims[d] = in.readInt();
            } catch (EOFException e) {
                throw new MalformedDataException(
                        path, "truncated header: " + nd + " dimensions announced, file ends after " + d, e);
            }
            if (dims[d] < 0) {
                throw new MalformedDataException(path, "dimension " + d + " is negative (" + dims[d] + ")");
            }
        }
        return new Header(type, dims);
    }

    private static boolean isGzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Opens a file, through a gzip decoder when it starts with the gzip magic bytes. */
    static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        if (!gz) {
            return raw;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        } catch (IOException e) {
            raw.close();
            throw new MalformedDataException(path, "invalid gzip data: " + e.getMessage(), e);
        }
    }
}
