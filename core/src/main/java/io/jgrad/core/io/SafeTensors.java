package io.jgrad.core.io;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The safetensors format: a named, ordered map of tensors plus optional string metadata.
 *
 * <p>A file is an 8-byte little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON mapping
 * each tensor name to its {@code dtype}, {@code shape} and {@code data_offsets [begin, end)} in the
 * data buffer (plus an optional {@code "__metadata__"} object of strings), then the buffer: each
 * tensor's elements in C order, little-endian, with no gaps or overlaps.
 *
 * <p>Reading loads {@code F32}, {@code F64}, {@code F16}, {@code BF16}, {@code I32}, {@code I64} and
 * {@code BOOL} into the jgrad type of the same name (FLOAT32, FLOAT64, FLOAT16, BFLOAT16, INT32,
 * INT64, BOOL) and widens {@code I8}, {@code U8}, {@code I16}, {@code U16} to INT32 (exactly). Loading
 * into a model converts to the types of its parameters and buffers (e.g. a PyTorch {@code I64}
 * {@code num_batches_tracked} into an INT32 buffer, F16 weights into FLOAT32 parameters). Other types
 * ({@code U32}, {@code U64}, the 8-bit floats, ...) are rejected with a clear error; to load the other
 * tensors of such a file,
 * select them with {@link #read(Path, Predicate)}. The header is validated completely before any
 * data is read: a header length beyond the file or beyond {@value #MAX_HEADER} bytes, invalid JSON,
 * shapes whose size overflows, offsets that do not match the dtype and shape, or that leave gaps,
 * overlap or miss the end of the buffer all raise a {@link TensorFormatException} naming the file and
 * the problem.
 *
 * <p>Writing stores each type as its own ({@code F32}, {@code F64}, {@code F16}, {@code BF16},
 * {@code I32}, {@code I64}, {@code BOOL}), and INT32 tensors named by the caller as {@code I8} ({@link #write(Path, Map, Map, Set)}). The
 * header keeps the map's order; in the buffer the 8-byte types come first so every tensor is aligned
 * to its element size, and the header is padded with spaces to a multiple of 8 bytes, as the
 * reference implementation does.
 */
public final class SafeTensors {
    /** Largest header accepted (and written), in bytes. */
    public static final long MAX_HEADER = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final String SUPPORTED = "F32, F64, F16, BF16, I32, I64, BOOL, I8, U8, I16, U16";

    private final String name;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(String name, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.name = name;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * The tensors in the order of the file's header (unmodifiable).
     *
     * @return name to tensor
     */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * The {@code __metadata__} entries in file order; empty when the file has none (unmodifiable).
     *
     * @return key to value
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor called {@code tensorName}.
     *
     * @param tensorName the name in the file
     * @return the tensor
     * @throws IllegalArgumentException when there is no such tensor; the message lists the names present
     */
    public Tensor get(String tensorName) {
        Tensor t = tensors.get(tensorName);
        if (t == null) {
            List<String> names = new ArrayList<>(tensors.keySet());
            String list = names.size() <= 20
                    ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
            throw new IllegalArgumentException(name + ": no tensor named '" + tensorName + "' (tensors: " + list + ")");
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------
    // Reading
    // ------------------------------------------------------------------------------------------

    /**
     * Reads every tensor and the metadata of a file.
     *
     * @param path the {@code .safetensors} file
     * @return the tensors and metadata
     * @throws TensorFormatException when the file is invalid or holds a tensor of an unsupported dtype
     * @throws IOException when the file cannot be read
     */
    public static SafeTensors read(Path path) throws IOException {
        return read(path, n -> true);
    }

    /**
     * Reads the tensors whose names {@code include} accepts, and the metadata. The whole header is
     * still validated; unselected tensors are skipped and may have any dtype of the format.
     *
     * @param path the {@code .safetensors} file
     * @param include selects tensors by name
     * @return the selected tensors, in file order, and the metadata
     * @throws TensorFormatException when the file is invalid or a selected tensor has an unsupported dtype
     * @throws IOException when the file cannot be read
     */
    public static SafeTensors read(Path path, Predicate<String> include) throws IOException {
        Objects.requireNonNull(path, "SafeTensors.read: path is null");
        Objects.requireNonNull(include, "SafeTensors.read: include is null");
        try (Source src = Source.of(path)) {
            return read(src, include);
        }
    }

    /**
     * Reads a safetensors file from a stream, to its end (which must follow the last tensor's data).
     * The stream is not closed.
     *
     * @param in the stream, at the start of the file
     * @param nameForErrors the name used in error messages
     * @return the tensors and metadata
     * @throws TensorFormatException when the content is invalid or holds an unsupported dtype
     * @throws IOException when reading the stream fails
     */
    public static SafeTensors read(InputStream in, String nameForErrors) throws IOException {
        Objects.requireNonNull(in, "SafeTensors.read: stream is null");
        return read(Source.of(in, String.valueOf(nameForErrors)), n -> true);
    }

    /**
     * Reads a safetensors file held in memory.
     *
     * @param data the complete file content
     * @param nameForErrors the name used in error messages
     * @return the tensors and metadata
     * @throws TensorFormatException when the content is invalid or holds an unsupported dtype
     */
    public static SafeTensors read(byte[] data, String nameForErrors) throws TensorFormatException {
        Objects.requireNonNull(data, "SafeTensors.read: data is null");
        try {
            return read(Source.of(data, String.valueOf(nameForErrors)), n -> true);
        } catch (TensorFormatException e) {
            throw e;
        } catch (IOException e) {
            // An array source performs no I/O; keep the documented exception type regardless.
            throw new TensorFormatException(String.valueOf(nameForErrors), e.toString(), e);
        }
    }

    /** One header entry, validated. */
    private static final class Entry {
        final String name;
        final Elem elem;
        final int[] shape;
        final long begin;
        final long end;
        Tensor tensor;

        Entry(String name, Elem elem, int[] shape, long begin, long end) {
            this.name = name;
            this.elem = elem;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }

        String offsets() {
            return "[" + begin + ", " + end + ")";
        }
    }

    private static SafeTensors read(Source src, Predicate<String> include) throws IOException {
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(lenBuf, "the 8-byte header length");
        lenBuf.flip();
        long n = lenBuf.getLong();
        if (n < 0 || n > MAX_HEADER) {
            throw src.error(
                    "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER + " bytes");
        }
        long fileLen = src.length();
        if (fileLen >= 0 && n > fileLen - 8) {
            throw src.error("header length " + n + " is larger than the file allows (" + fileLen
                    + " bytes in all, so at most " + (fileLen - 8) + " bytes of header)");
        }
        byte[] raw = src.readBytes((int) n, "the header");
        String text;
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
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.JsonException e) {
            throw src.error("header is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw src.error("header must be a JSON object, found " + jsonType(root));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) root;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                parseMetadata(src, e.getValue(), metadata);
            } else {
                entries.add(parseEntry(src, e.getKey(), e.getValue(), include.test(e.getKey())));
            }
        }

        // The buffer must be covered exactly: sorted by offsets, each tensor starts where the last ended.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Entry x) -> x.begin).thenComparingLong(x -> x.end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin > covered) {
                throw src.error("bytes [" + covered + ", " + e.begin
                        + ") of the data buffer belong to no tensor (gap before tensor '" + e.name + "' at "
                        + e.offsets() + ")");
            }
            if (e.begin < covered) {
                throw src.error("tensor '" + e.name + "' data_offsets " + e.offsets() + " overlap tensor '"
                        + previous.name + "' at " + previous.offsets());
            }
            covered = e.end;
            previous = e;
        }
        if (fileLen >= 0) {
            long buffer = fileLen - 8 - n;
            if (covered != buffer) {
                throw src.error("the tensors cover " + covered + " bytes but the data buffer after the header holds "
                        + buffer + " bytes" + (covered > buffer ? " (file truncated?)" : ""));
            }
        }

        for (Entry e : byOffset) {
            String what = "the data of tensor '" + e.name + "' " + e.offsets();
            if (e.elem == null) {
                src.skip(e.end - e.begin, what);
            } else {
                Object data = src.readElements(e.elem, ByteOrder.LITTLE_ENDIAN, Shape.numel(e.shape), what);
                e.tensor = e.elem.wrap(data, e.shape);
            }
        }
        if (fileLen < 0 && !src.atEnd()) {
            throw src.error("unexpected bytes after the end of the data buffer (" + covered + " bytes)");
        }

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.tensor != null) {
                tensors.put(e.name, e.tensor);
            }
        }
        return new SafeTensors(src.name, tensors, metadata);
    }

    private static void parseMetadata(Source src, Object value, Map<String, String> out) throws TensorFormatException {
        if (!(value instanceof Map)) {
            throw src.error("__metadata__ must be a JSON object of strings, found " + jsonType(value));
        }
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String)) {
                throw src.error("__metadata__ must map strings to strings, but '" + m.getKey() + "' holds "
                        + jsonType(m.getValue()));
            }
            out.put((String) m.getKey(), (String) m.getValue());
        }
    }

    private static Entry parseEntry(Source src, String name, Object value, boolean selected)
            throws TensorFormatException {
        String t = "tensor '" + name + "'";
        if (!(value instanceof Map)) {
            throw src.error(t + " must be described by a JSON object, found " + jsonType(value));
        }
        Map<?, ?> info = (Map<?, ?>) value;
        for (Object key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw src.error(t + " has an unexpected key '" + key + "' (expected dtype, shape and data_offsets)");
            }
        }
        for (String key : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!info.containsKey(key)) {
                throw src.error(t + " has no '" + key + "'");
            }
        }
        if (!(info.get("dtype") instanceof String)) {
            throw src.error(t + " dtype must be a string, found " + jsonType(info.get("dtype")));
        }
        String dtype = (String) info.get("dtype");
        int size = dtypeSize(dtype);
        if (size == 0) {
            throw src.error(t + " has an unknown dtype '" + dtype + "'");
        }
        Elem elem = supported(dtype);
        if (selected && elem == null) {
            throw src.error(t + " has dtype " + dtype + ", which jgrad cannot load (supported: " + SUPPORTED
                    + "); select the other tensors with SafeTensors.read(path, include)");
        }

        List<?> shapeList = list(src, t + " shape", info.get("shape"));
        int[] shape = new int[shapeList.size()];
        for (int k = 0; k < shape.length; k++) {
            long d = nonNegative(src, t + " shape[" + k + "]", shapeList.get(k));
            if (d > Integer.MAX_VALUE) {
                throw src.error(t + " shape[" + k + "] = " + d + " is larger than 2^31 - 1");
            }
            shape[k] = (int) d;
        }
        long bytes = size;
        try {
            for (int d : shape) {
                bytes = Math.multiplyExact(bytes, (long) d);
            }
        } catch (ArithmeticException e) {
            throw src.error(t + " shape " + Shape.format(shape) + " has too many elements");
        }
        if (selected) {
            try {
                Shape.numel(shape);
            } catch (IllegalArgumentException e) {
                throw src.error(t + " shape " + Shape.format(shape)
                        + " has too many elements (at most 2^31 - 9 are supported)");
            }
        }

        List<?> offsets = list(src, t + " data_offsets", info.get("data_offsets"));
        if (offsets.size() != 2) {
            throw src.error(t + " data_offsets must be [begin, end], found " + offsets.size() + " numbers");
        }
        long begin = nonNegative(src, t + " data_offsets[0]", offsets.get(0));
        long end = nonNegative(src, t + " data_offsets[1]", offsets.get(1));
        if (end < begin) {
            throw src.error(t + " data_offsets [" + begin + ", " + end + ") end before they begin");
        }
        if (end - begin != bytes) {
            throw src.error(t + " data_offsets [" + begin + ", " + end + ") do not match dtype " + dtype + " and shape "
                    + Shape.format(shape) + " (" + bytes + " bytes)");
        }
        return new Entry(name, selected ? elem : null, shape, begin, end);
    }

    private static List<?> list(Source src, String what, Object v) throws TensorFormatException {
        if (!(v instanceof List)) {
            throw src.error(what + " must be a JSON array, found " + jsonType(v));
        }
        return (List<?>) v;
    }

    private static long nonNegative(Source src, String what, Object v) throws TensorFormatException {
        if (v instanceof BigInteger) {
            throw src.error(what + " = " + v + " is out of range");
        }
        if (!(v instanceof Long)) {
            throw src.error(what + " must be a non-negative integer, found " + jsonType(v));
        }
        long x = (Long) v;
        if (x < 0) {
            throw src.error(what + " = " + x + " is negative");
        }
        return x;
    }

    private static String jsonType(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "the number " + v;
    }

    /** Bytes per element of every dtype of the format (to validate offsets), 0 when unknown. */
    private static int dtypeSize(String dtype) {
        switch (dtype) {
            case "BOOL":
            case "U8":
            case "I8":
            case "F8_E5M2":
            case "F8_E4M3":
            case "F8_E8M0":
                return 1;
            case "I16":
            case "U16":
            case "F16":
            case "BF16":
                return 2;
            case "I32":
            case "U32":
            case "F32":
                return 4;
            case "I64":
            case "U64":
            case "F64":
            case "C64":
                return 8;
            default:
                return 0;
        }
    }

    /** The decoding for a dtype jgrad loads exactly, or null. */
    private static Elem supported(String dtype) {
        switch (dtype) {
            case "F32":
                return Elem.F32;
            case "F64":
                return Elem.F64;
            case "I32":
                return Elem.I32;
            case "F16":
                return Elem.F16;
            case "BF16":
                return Elem.BF16;
            case "I8":
                return Elem.I8;
            case "U8":
                return Elem.U8;
            case "I16":
                return Elem.I16;
            case "U16":
                return Elem.U16;
            case "I64":
                return Elem.I64;
            case "BOOL":
                return Elem.BOOL;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------------------------------

    /**
     * Writes tensors and metadata to {@code path} atomically (see {@link AtomicFiles#write}).
     *
     * @param path the file to create or replace
     * @param tensors name to tensor, in the order the header lists them; any layout
     * @param metadata string entries for {@code __metadata__}; null or empty to write none
     * @throws IllegalArgumentException when a name is null or {@code "__metadata__"}, a tensor or a
     *     metadata value is null, or a string is not valid Unicode
     * @throws IOException when writing fails; an existing file is then left untouched
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(path, tensors, metadata, Set.of());
    }

    /**
     * Writes tensors and metadata to {@code path} atomically, storing the tensors named in
     * {@code int8} as {@code I8} (one byte per element): they must be INT32 tensors whose values lie in
     * [-128, 127], such as the weights of a quantized model. Reading widens {@code I8} back to INT32
     * exactly.
     *
     * @param path the file to create or replace
     * @param tensors name to tensor, in the order the header lists them; any layout
     * @param metadata string entries for {@code __metadata__}; null or empty to write none
     * @param int8 the names of the INT32 tensors to store as {@code I8}
     * @throws IllegalArgumentException as for {@link #write(Path, Map, Map)}, or when a name in
     *     {@code int8} is not an INT32 tensor of the map or holds a value outside [-128, 127]
     * @throws IOException when writing fails; an existing file is then left untouched
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> int8)
            throws IOException {
        Objects.requireNonNull(path, "SafeTensors.write: path is null");
        Map<String, Elem> types = storedTypes(tensors, int8);
        byte[] header = header(tensors, metadata, types);
        AtomicFiles.write(path, out -> writeWithHeader(out, header, tensors, types));
    }

    /** The file type of every tensor: I8 for the names in {@code int8} (checked), else its own type's. */
    private static Map<String, Elem> storedTypes(Map<String, Tensor> tensors, Set<String> int8) {
        Objects.requireNonNull(tensors, "SafeTensors.write: tensors is null");
        Objects.requireNonNull(int8, "SafeTensors.write: the set of int8 names is null");
        for (String name : int8) {
            Tensor t = tensors.get(name);
            if (t == null || t.dtype() != DType.INT32) {
                throw new IllegalArgumentException("SafeTensors.write: '" + name + "' is to be stored as I8 but is "
                        + (t == null ? "not among the tensors" : "a " + t.dtype() + " tensor (expected INT32)"));
            }
            for (int v : t.contiguous().toIntArray()) {
                if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
                    throw new IllegalArgumentException(
                            "SafeTensors.write: '" + name + "' holds " + v + ", outside the I8 range [-128, 127]");
                }
            }
        }
        Map<String, Elem> types = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getValue() != null) {
                types.put(
                        e.getKey(),
                        int8.contains(e.getKey())
                                ? Elem.I8
                                : Elem.of(e.getValue().dtype()));
            }
        }
        return types;
    }

    /**
     * Writes tensors and metadata in safetensors format to {@code out} (not closed).
     *
     * @param out the destination
     * @param tensors name to tensor, in the order the header lists them; any layout
     * @param metadata string entries for {@code __metadata__}; null or empty to write none
     * @throws IllegalArgumentException as for {@link #write(Path, Map, Map)}
     * @throws IOException when writing to {@code out} fails
     */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(out, "SafeTensors.write: stream is null");
        Map<String, Elem> types = storedTypes(tensors, Set.of());
        writeWithHeader(out, header(tensors, metadata, types), tensors, types);
    }

    /**
     * Tensors and metadata as the bytes of a safetensors file.
     *
     * @param tensors name to tensor; any layout
     * @param metadata string entries for {@code __metadata__}; null or empty to write none
     * @return the file content
     * @throws IllegalArgumentException as for {@link #write(Path, Map, Map)}
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new IllegalStateException("SafeTensors.toBytes: unexpected I/O error", e);
        }
        return out.toByteArray();
    }

    /** The tensors in buffer order: 8-byte types first (stable), so every tensor is aligned. */
    private static List<Map.Entry<String, Tensor>> bufferOrder(Map<String, Tensor> tensors, Map<String, Elem> types) {
        List<Map.Entry<String, Tensor>> list = new ArrayList<>(tensors.entrySet());
        list.sort(Comparator.comparingInt((Map.Entry<String, Tensor> e) -> -types.get(e.getKey()).size));
        return list;
    }

    /** Length prefix and JSON header padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, Elem> types) {
        Map<String, long[]> offsets = new LinkedHashMap<>();
        long at = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                throw new IllegalArgumentException("SafeTensors.write: a tensor name is null");
            }
            if (key.equals(METADATA)) {
                throw new IllegalArgumentException(
                        "SafeTensors.write: '" + METADATA + "' is reserved and cannot name a tensor");
            }
            checkUnicode("tensor name", key);
            if (e.getValue() == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensor '" + key + "' is null");
            }
        }
        for (Map.Entry<String, Tensor> e : bufferOrder(tensors, types)) {
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * types.get(e.getKey()).size;
            offsets.put(e.getKey(), new long[] {at, at + bytes});
            at += bytes;
        }
        StringBuilder sb = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            sb.append(Json.quote(METADATA)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new IllegalArgumentException("SafeTensors.write: metadata entry " + m.getKey() + " = "
                            + m.getValue() + " has a null key or value");
                }
                checkUnicode("metadata key", m.getKey());
                checkUnicode("metadata value", m.getValue());
                sb.append(first ? "" : ",")
                        .append(Json.quote(m.getKey()))
                        .append(':')
                        .append(Json.quote(m.getValue()));
                first = false;
            }
            sb.append("}");
            if (!tensors.isEmpty()) {
                sb.append(',');
            }
        }
        boolean first = true;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long[] off = offsets.get(e.getKey());
            sb.append(first ? "" : ",")
                    .append(Json.quote(e.getKey()))
                    .append(":{\"dtype\":\"")
                    .append(types.get(e.getKey()))
                    .append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int k = 0; k < shape.length; k++) {
                sb.append(k > 0 ? "," : "").append(shape[k]);
            }
            sb.append("],\"data_offsets\":[")
                    .append(off[0])
                    .append(',')
                    .append(off[1])
                    .append("]}");
            first = false;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > MAX_HEADER) {
            throw new IllegalArgumentException("SafeTensors.write: the header would take " + padded
                    + " bytes, more than the " + MAX_HEADER + " that readers accept");
        }
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.hasRemaining()) {
            b.put((byte) ' ');
        }
        return b.array();
    }

    private static void writeWithHeader(
            OutputStream out, byte[] header, Map<String, Tensor> tensors, Map<String, Elem> types) throws IOException {
        out.write(header);
        for (Map.Entry<String, Tensor> e : bufferOrder(tensors, types)) {
            if (types.get(e.getKey()) == Elem.I8) {
                Elem.writeInt8(out, e.getValue());
            } else {
                Elem.write(out, e.getValue(), ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Rejects unpaired surrogates, which UTF-8 cannot encode (they would silently become '?'). */
    private static void checkUnicode(String what, String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("SafeTensors.write: " + what + " '" + s.replace(c, '?')
                        + "' contains an unpaired surrogate at index " + k);
            }
        }
    }
}
