package io.jgrad.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequential bytes from a file, an array or a stream, read by the tensor readers. It never allocates
 * more than it can check: when the length is known, sizes are checked against what remains before
 * any allocation; when it is not (streams), data is collected in bounded chunks as it arrives, so a
 * header that lies about a size fails at the end of the stream instead of exhausting memory.
 */
abstract class Source implements Closeable {
    /** Bytes read or decoded per step; a multiple of every element size. */
    static final int CHUNK = 1 << 20;

    final String name;
    long position;

    Source(String name) {
        this.name = name;
    }

    static Source of(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ChannelSource(path.toString(), ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static Source of(byte[] data, String name) {
        return new ArraySource(name, data);
    }

    static Source of(InputStream in, String name) {
        return new StreamSource(name, in);
    }

    /** The total number of bytes, or -1 when unknown. */
    abstract long length();

    /** Reads up to {@code dst.remaining()} bytes at the current position; -1 at the end. */
    abstract int readSome(ByteBuffer dst) throws IOException;

    @Override
    public void close() throws IOException {}

    TensorFormatException error(String problem) {
        return new TensorFormatException(name, problem);
    }

    /** Bytes left, or -1 when unknown. */
    long remaining() {
        long len = length();
        return len < 0 ? -1 : len - position;
    }

    /** Fails unless {@code n} more bytes can be present (always true for unknown lengths). */
    void require(long n, String what) throws TensorFormatException {
        long left = remaining();
        if (left >= 0 && n > left) {
            throw truncated(n, left, what);
        }
    }

    private TensorFormatException truncated(long want, long have, String what) {
        return error("file is truncated: " + what + " needs " + want + " bytes at offset " + position + " but only "
                + have + " remain");
    }

    /** Fills {@code dst} completely or fails naming {@code what} was being read. */
    void readFully(ByteBuffer dst, String what) throws IOException {
        long start = position;
        int want = dst.remaining();
        while (dst.hasRemaining()) {
            int n = readSome(dst);
            if (n < 0) {
                long have = position - start;
                position = start;
                throw truncated(want, have, what);
            }
            position += n;
        }
    }

    /** Reads {@code n} bytes into a new array ({@code n} is bounded by the caller). */
    byte[] readBytes(int n, String what) throws IOException {
        require(n, what);
        if (length() >= 0 || n <= CHUNK) {
            byte[] b = new byte[n];
            readFully(ByteBuffer.wrap(b), what);
            return b;
        }
        List<ByteBuffer> chunks = readChunks(n, what);
        byte[] b = new byte[n];
        int at = 0;
        for (ByteBuffer c : chunks) {
            int len = c.remaining();
            c.get(b, at, len);
            at += len;
        }
        return b;
    }

    /** Skips {@code n} bytes, failing when fewer remain. */
    void skip(long n, String what) throws IOException {
        require(n, what);
        if (length() >= 0) {
            // Files and arrays are read by position: the bytes need not be touched.
            position += n;
            return;
        }
        ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(n, 1)));
        long left = n;
        long start = position;
        while (left > 0) {
            scratch.clear();
            scratch.limit((int) Math.min(scratch.capacity(), left));
            int got = readSome(scratch);
            if (got < 0) {
                long have = position - start;
                position = start;
                throw truncated(n, have, what);
            }
            position += got;
            left -= got;
        }
    }

    /** True when no byte follows; for streams this reads (and so consumes) one byte. */
    boolean atEnd() throws IOException {
        long left = remaining();
        if (left >= 0) {
            return left == 0;
        }
        return readSome(ByteBuffer.allocate(1)) < 0;
    }

    /**
     * Reads {@code numel} elements of type {@code elem} stored with byte order {@code order} and
     * returns them as a new array of the element's target type.
     */
    Object readElements(Elem elem, ByteOrder order, int numel, String what) throws IOException {
        long nbytes = (long) numel * elem.size;
        require(nbytes, what);
        if (length() < 0) {
            // Unknown length: collect the bytes before allocating the (possibly huge) result.
            List<ByteBuffer> chunks = readChunks(nbytes, what);
            Object out = elem.allocate(numel);
            int at = 0;
            for (ByteBuffer c : chunks) {
                int cnt = c.remaining() / elem.size;
                elem.decode(c.order(order), out, at, cnt);
                at += cnt;
            }
            return out;
        }
        Object out = elem.allocate(numel);
        ByteBuffer buf =
                ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(nbytes, 1))).order(order);
        int at = 0;
        for (long left = nbytes; left > 0; ) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), left));
            readFully(buf, what);
            buf.flip();
            int cnt = buf.remaining() / elem.size;
            elem.decode(buf, out, at, cnt);
            at += cnt;
            left -= buf.limit();
        }
        return out;
    }

    /** Reads {@code n} bytes as flipped chunks of at most {@link #CHUNK} bytes (multiples of 8 but the last). */
    private List<ByteBuffer> readChunks(long n, String what) throws IOException {
        List<ByteBuffer> chunks = new ArrayList<>();
        long start = position;
        // Chunks grow from 64 KB to CHUNK so a short stream that claims a lot costs little.
        int size = 1 << 16;
        for (long left = n; left > 0; size = Math.min(CHUNK, size * 2)) {
            ByteBuffer c = ByteBuffer.allocate((int) Math.min(size, left));
            while (c.hasRemaining()) {
                int got = readSome(c);
                if (got < 0) {
                    long have = position - start;
                    position = start;
                    throw truncated(n, have, what);
                }
                position += got;
            }
            c.flip();
            chunks.add(c);
            left -= c.limit();
        }
        return chunks;
    }

    /** A file read with positional reads; its length is the file size when opened. */
    private static final class ChannelSource extends Source {
        private final FileChannel channel;
        private final long size;

        ChannelSource(String name, FileChannel channel) throws IOException {
            super(name);
            this.channel = channel;
            this.size = channel.size();
        }

        @Override
        long length() {
            return size;
        }

        @Override
        int readSome(ByteBuffer dst) throws IOException {
            if (position >= size) {
                return -1;
            }
            // Never read past the size seen at open, so a growing file cannot change the checks.
            int limit = dst.limit();
            dst.limit(dst.position() + (int) Math.min(dst.remaining(), size - position));
            try {
                return channel.read(dst, position);
            } finally {
                dst.limit(limit);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class ArraySource extends Source {
        private final byte[] data;

        ArraySource(String name, byte[] data) {
            super(name);
            this.data = data;
        }

        @Override
        long length() {
            return data.length;
        }

        @Override
        int readSome(ByteBuffer dst) {
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            return n;
        }
    }

    /** A stream of unknown length; reads exactly what is asked, never ahead. */
    private static final class StreamSource extends Source {
        private final InputStream in;

        StreamSource(String name, InputStream in) {
            super(name);
            this.in = in;
        }

        @Override
        long length() {
            return -1;
        }

        @Override
        int readSome(ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) {
                return 0;
            }
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n == 0 ? -1 : n;
        }
    }
}
