package io.jgrad.core.io;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes NumPy's {@code .npy} format (one array per file).
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, the element types float32 ({@code f4}),
 * float64 ({@code f8}), float16 ({@code f2}), int32 ({@code i4}), int64 ({@code i8}) in little- or
 * big-endian byte order and bool ({@code |b1}), each loading into the jgrad type of the same name, in
 * C and Fortran order (a Fortran-order file loads with the same logical layout as in NumPy), 0-d and
 * empty arrays. Other types (e.g. {@code <c8}, unsigned integers, structured or object arrays) are
 * rejected.
 *
 * <p>Writing produces little-endian C-order files ({@code <f4}, {@code <f8}, {@code <f2},
 * {@code <i4}, {@code <i8}, {@code |b1}), format 1.0 unless the header needs 2.0, with the header
 * padded so the data starts at a multiple of 64 bytes, as NumPy does. NumPy has no bfloat16: writing
 * a BFLOAT16 tensor throws {@link IllegalArgumentException} (convert it to FLOAT32 first).
 *
 * <p>Every problem with a file is a {@link TensorFormatException} naming the file, e.g.
 * {@code x.npy: file is truncated: the array data needs 48 bytes at offset 128 but only 40 remain}.
 * A reader checks each size against the file length before allocating.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest header accepted; NumPy's own headers are ~128 bytes (it refuses more than 10000 by default). */
    static final int MAX_HEADER = 1 << 20;

    private static final int ALIGN = 64;
    private static final String READS = "'<f4' float32, '<f8' float64, '<f2' float16, '<i4' int32 and '<i8' int64"
            + " in either byte order, and '|b1' bool";

    private Npy() {}

    /**
     * Reads the array in {@code path}. Bytes after the array data are an error.
     *
     * @param path the {@code .npy} file
     * @return a new contiguous tensor
     * @throws TensorFormatException when the file is not a valid {@code .npy} file of a supported type
     * @throws IOException when the file cannot be read
     */
    public static Tensor read(Path path) throws IOException {
        Objects.requireNonNull(path, "Npy.read: path is null");
        try (Source src = Source.of(path)) {
            return read(src, true);
        }
    }

    /**
     * Reads one array from {@code in}, consuming exactly its bytes (so arrays written one after
     * another to a stream can be read in turn). The stream is not closed.
     *
     * @param in the stream, positioned at the magic string
     * @param nameForErrors the name used in error messages, e.g. the file or entry name
     * @return a new contiguous tensor
     * @throws TensorFormatException when the bytes are not a valid {@code .npy} array of a supported type
     * @throws IOException when reading the stream fails
     */
    public static Tensor read(InputStream in, String nameForErrors) throws IOException {
        Objects.requireNonNull(in, "Npy.read: stream is null");
        return read(Source.of(in, String.valueOf(nameForErrors)), false);
    }

    /**
     * Reads the array held in {@code data}. Bytes after the array data are an error.
     *
     * @param data the complete content of a {@code .npy} file
     * @param nameForErrors the name used in error messages
     * @return a new contiguous tensor
     * @throws TensorFormatException when the bytes are not a valid {@code .npy} array of a supported type
     */
    public static Tensor read(byte[] data, String nameForErrors) throws TensorFormatException {
        Objects.requireNonNull(data, "Npy.read: data is null");
        try {
            return read(Source.of(data, String.valueOf(nameForErrors)), true);
        } catch (TensorFormatException e) {
            throw e;
        } catch (IOException e) {
            // An array source performs no I/O; keep the documented exception type regardless.
            throw new TensorFormatException(String.valueOf(nameForErrors), e.toString(), e);
        }
    }

    /**
     * Writes {@code t} to {@code path} atomically (see {@link AtomicFiles#write}); any tensor layout
     * is accepted and written in C order.
     *
     * @param path the file to create or replace
     * @param t the tensor
     * @throws IOException when writing fails; an existing file is then left untouched
     */
    public static void write(Path path, Tensor t) throws IOException {
        Objects.requireNonNull(path, "Npy.write: path is null");
        Objects.requireNonNull(t, "Npy.write: tensor is null");
        AtomicFiles.write(path, out -> write(out, t));
    }

    /**
     * Writes {@code t} in {@code .npy} format to {@code out} (not closed).
     *
     * @param out the destination
     * @param t the tensor, in any layout
     * @throws IOException when writing to {@code out} fails
     */
    public static void write(OutputStream out, Tensor t) throws IOException {
        Objects.requireNonNull(out, "Npy.write: stream is null");
        Objects.requireNonNull(t, "Npy.write: tensor is null");
        out.write(header(t));
        Elem.write(out, t, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * {@code t} as the bytes of a {@code .npy} file.
     *
     * @param t the tensor, in any layout
     * @return the file content
     */
    public static byte[] toBytes(Tensor t) {
        Objects.requireNonNull(t, "Npy.toBytes: tensor is null");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, t);
        } catch (IOException e) {
            throw new IllegalStateException("Npy.toBytes: unexpected I/O error", e);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------

    /** NumPy's type string for a tensor's dtype. */
    private static String descrOf(Tensor t) {
        switch (t.dtype()) {
            case FLOAT32:
                return "<f4";
            case FLOAT64:
                return "<f8";
            case INT32:
                return "<i4";
            case INT64:
                return "<i8";
            case BOOL:
                return "|b1";
            case FLOAT16:
                return "<f2";
            default:
                throw new IllegalArgumentException(
                        "Npy.write: NumPy has no bfloat16 type, so a bfloat16 tensor of shape "
                                + Shape.format(t.shape())
                                + " cannot be written to .npy; convert it with to(DType.FLOAT32) "
                                + "or save it as safetensors (BF16)");
        }
    }

    /** Magic, version, header length and the padded header dictionary. */
    private static byte[] header(Tensor t) {
        StringBuilder dict = new StringBuilder("{'descr': '");
        dict.append(descrOf(t));
        dict.append("', 'fortran_order': False, 'shape': ")
                .append(pythonTuple(t.shape()))
                .append(", }");
        // Version 1.0 stores the header length in 2 bytes; 2.0 in 4 bytes.
        int prefix = 10;
        int len = padded(prefix, dict.length());
        if (len > 0xffff) {
            prefix = 12;
            len = padded(prefix, dict.length());
        }
        ByteBuffer b = ByteBuffer.allocate(prefix + len).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
        if (prefix == 10) {
            b.putShort((short) len);
        } else {
            b.putInt(len);
        }
        b.put(dict.toString().getBytes(StandardCharsets.US_ASCII));
        while (b.position() < b.capacity() - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /** Header length (dictionary, spaces and newline) that makes the data start at a multiple of 64. */
    private static int padded(int prefix, int dictLength) {
        int total = prefix + dictLength + 1;
        return dictLength + 1 + (ALIGN - total % ALIGN) % ALIGN;
    }

    private static String pythonTuple(int[] shape) {
        if (shape.length == 0) {
            return "()";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            sb.append(k > 0 ? ", " : "").append(shape[k]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    // ------------------------------------------------------------------------------------------
    // Reading
    // ------------------------------------------------------------------------------------------

    private static Tensor read(Source src, boolean requireEnd) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(8);
        src.readFully(pre, "the magic string and version");
        byte[] magic = new byte[MAGIC.length];
        pre.flip();
        pre.get(magic);
        for (int k = 0; k < MAGIC.length; k++) {
            if (magic[k] != MAGIC[k]) {
                throw src.error("not a .npy file: bad magic string " + hex(magic)
                        + " (expected 93 4e 55 4d 50 59, i.e. \\x93NUMPY)");
            }
        }
        int major = pre.get() & 0xff;
        int minor = pre.get() & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw src.error("unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(lenBuf, "the header length");
        lenBuf.flip();
        long headerLen = major == 1 ? lenBuf.getShort() & 0xffff : lenBuf.getInt() & 0xffffffffL;
        if (headerLen > MAX_HEADER) {
            throw src.error("header length " + headerLen + " exceeds the limit of " + MAX_HEADER + " bytes");
        }
        src.require(headerLen, "the header");
        byte[] raw = src.readBytes((int) headerLen, "the header");
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw))
                        .toString();
            } catch (CharacterCodingException e) {
                throw src.error("header is not valid UTF-8");
            }
        } else {
            text = new String(raw, StandardCharsets.ISO_8859_1);
        }
        Header h = Header.parse(src, text);
        int numel;
        try {
            numel = Shape.numel(h.shape);
        } catch (IllegalArgumentException e) {
            throw src.error(
                    "shape " + Shape.format(h.shape) + " has too many elements (at most 2^31 - 9 are supported)");
        }
        Object data = src.readElements(
                h.elem,
                h.order,
                numel,
                "the array data of shape " + Shape.format(h.shape) + " and dtype '" + h.descr + "' (" + numel
                        + " elements)");
        if (requireEnd && !src.atEnd()) {
            throw src.error(src.remaining() + " unexpected bytes after the array data (shape " + Shape.format(h.shape)
                    + ", dtype '" + h.descr + "')");
        }
        return build(h.elem, data, h.shape, h.fortran);
    }

    private static Tensor build(Elem elem, Object data, int[] shape, boolean fortran) {
        int n = shape.length;
        if (!fortran || n < 2 || Shape.numel(shape) == 0) {
            return elem.wrap(data, shape);
        }
        // Fortran order stores the C order of the reversed shape: view it reversed, then transpose back.
        int[] reversed = new int[n];
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            reversed[k] = shape[n - 1 - k];
            perm[k] = n - 1 - k;
        }
        return elem.wrap(data, reversed).permute(perm).contiguous();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < b.length; k++) {
            sb.append(k > 0 ? " " : "").append(String.format("%02x", b[k] & 0xff));
        }
        return sb.toString();
    }

    /**
     * The header dictionary, a Python literal such as
     * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}. Parsed strictly without
     * recursion: exactly the three keys, a string descr, a boolean, a tuple of integers.
     */
    private static final class Header {
        String descr;
        Elem elem;
        ByteOrder order;
        Boolean fortran;
        int[] shape;

        private final Source src;
        private final String s;
        private int pos;

        private Header(Source src, String s) {
            this.src = src;
            this.s = s;
        }

        static Header parse(Source src, String text) throws TensorFormatException {
            Header h = new Header(src, text);
            h.dict();
            return h;
        }

        private TensorFormatException error(String what) {
            return src.error("bad header: " + what + " at character " + pos + " of " + abbreviate(s));
        }

        private static String abbreviate(String text) {
            String t = text.strip();
            return t.length() <= 120 ? "\"" + t + "\"" : "\"" + t.substring(0, 120) + "...\"";
        }

        private void dict() throws TensorFormatException {
            space();
            expect('{');
            boolean haveDescr = false;
            while (true) {
                space();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                int keyPos = pos;
                String key = string();
                space();
                expect(':');
                space();
                switch (key) {
                    case "descr":
                        if (haveDescr) {
                            pos = keyPos;
                            throw error("duplicate key 'descr'");
                        }
                        haveDescr = true;
                        descr();
                        break;
                    case "fortran_order":
                        if (fortran != null) {
                            pos = keyPos;
                            throw error("duplicate key 'fortran_order'");
                        }
                        fortran = bool();
                        break;
                    case "shape":
                        if (shape != null) {
                            pos = keyPos;
                            throw error("duplicate key 'shape'");
                        }
                        shape = tuple();
                        break;
                    default:
                        pos = keyPos;
                        throw error("unexpected key '" + key + "' (expected 'descr', 'fortran_order' and 'shape')");
                }
                space();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            space();
            if (pos != s.length()) {
                throw error("unexpected text after the dictionary");
            }
            if (!haveDescr || fortran == null || shape == null) {
                String missing = !haveDescr ? "descr" : fortran == null ? "fortran_order" : "shape";
                throw src.error("bad header: missing key '" + missing + "' in " + abbreviate(s));
            }
        }

        private void descr() throws TensorFormatException {
            if (peek() == '[') {
                throw src.error("structured dtypes (a list as 'descr') are not supported: jgrad reads " + READS);
            }
            descr = string();
            String d = descr;
            ByteOrder o = ByteOrder.nativeOrder();
            if (!d.isEmpty() && "<>=|".indexOf(d.charAt(0)) >= 0) {
                o = d.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : o;
                d = d.substring(1);
            }
            switch (d) {
                case "f4":
                    elem = Elem.F32;
                    break;
                case "f8":
                    elem = Elem.F64;
                    break;
                case "i4":
                    elem = Elem.I32;
                    break;
                case "i8":
                    elem = Elem.I64;
                    break;
                case "f2":
                    elem = Elem.F16;
                    break;
                case "b1":
                    elem = Elem.BOOL;
                    break;
                default:
                    throw src.error("dtype '" + descr + "' is not supported: jgrad reads " + READS);
            }
            order = o;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void space() {
            while (pos < s.length() && " \t\n\r".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private void expect(char c) throws TensorFormatException {
            if (peek() != c || pos >= s.length()) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** A quoted Python string without prefixes; only \\, \' and \" escapes. */
        private String string() throws TensorFormatException {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted string");
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length() || s.charAt(pos) == '\n') {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == q) {
                    return sb.toString();
                }
                if (c == '\\') {
                    char e = peek();
                    if (e != '\\' && e != '\'' && e != '"') {
                        throw error("unsupported escape in a string");
                    }
                    pos++;
                    sb.append(e);
                } else {
                    sb.append(c);
                }
            }
        }

        private boolean bool() throws TensorFormatException {
            if (s.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw error("'fortran_order' must be True or False");
        }

        /** A Python tuple of integers: {@code ()}, {@code (3,)}, {@code (3, 4)} or {@code (3, 4,)}. */
        private int[] tuple() throws TensorFormatException {
            if (peek() != '(') {
                throw error("'shape' must be a tuple of integers");
            }
            pos++;
            List<Integer> dims = new ArrayList<>();
            boolean comma = false;
            while (true) {
                space();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                dims.add(dimension());
                space();
                if (peek() == ',') {
                    pos++;
                    comma = true;
                } else if (peek() == ')') {
                    pos++;
                    break;
                } else {
                    throw error("expected ',' or ')' in 'shape'");
                }
            }
            if (dims.size() == 1 && !comma) {
                throw error("'shape' must be a tuple, not a parenthesized integer (write (n,))");
            }
            int[] out = new int[dims.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = dims.get(k);
            }
            return out;
        }

        /** A non-negative integer that fits an int; Python 2 headers may end it with {@code L}. */
        private int dimension() throws TensorFormatException {
            int start = pos;
            boolean negative = false;
            if (peek() == '-' || peek() == '+') {
                negative = peek() == '-';
                pos++;
            }
            long v = 0;
            int digits = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                if (v <= Integer.MAX_VALUE) {
                    v = v * 10 + (s.charAt(pos) - '0');
                }
                pos++;
                digits++;
            }
            if (digits == 0) {
                throw error("expected an integer in 'shape'");
            }
            if (peek() == 'L' || peek() == 'l') {
                pos++;
            }
            String text = s.substring(start, pos);
            if (negative && v != 0) {
                throw src.error("bad header: 'shape' has a negative size " + text);
            }
            if (v > Integer.MAX_VALUE) {
                throw src.error("bad header: 'shape' has a size "
                        + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + " larger than 2^31 - 1");
            }
            return (int) v;
        }
    }
}
