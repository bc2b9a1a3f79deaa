package io.jgrad.spark;

import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import io.jgrad.core.io.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint of {@link SparkTrainer}: the model's state, the optimizer's state and where training
 * stands (epoch, batch, the shuffling generator), in a safetensors file written through Hadoop's
 * {@code FileSystem}, so to any path the cluster can write.
 *
 * <p>Files are named {@code step-<global step>.ckpt} inside the checkpoint directory. Each is written
 * to a hidden temporary file first and then renamed, so a crash while writing never leaves a
 * half-written checkpoint under a checkpoint's name. A CRC-32 over the tensors and the metadata is
 * stored in the metadata and checked on reading, so a damaged file is reported, never loaded.
 */
public final class SparkCheckpoint {
    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "jgrad-spark-checkpoint";

    private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.ckpt");
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

    private final String location;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SparkCheckpoint(String location, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.location = location;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * The file name of the checkpoint after a global step.
     *
     * @param globalStep the number of steps completed
     * @return {@code step-<globalStep>.ckpt}, zero-padded so that names sort by step
     */
    public static String fileName(long globalStep) {
        return String.format("step-%012d.ckpt", globalStep);
    }

    /** Writes a checkpoint atomically into a directory and deletes all but the newest {@code keep}. */
    static String write(
            String dir,
            long globalStep,
            Map<String, Tensor> tensors,
            Map<String, String> meta,
            int keep,
            Configuration conf)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", "1");
        m.putAll(meta);
        m.put("crc32", Long.toString(crc(tensors, m)));
        byte[] bytes = SafeTensors.toBytes(tensors, m);
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(conf);
        fs.mkdirs(d);
        Path target = new Path(d, fileName(globalStep));
        Path tmp = new Path(d, "." + fileName(globalStep) + ".tmp-" + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, false)) {
            out.write(bytes);
        }
        if (fs.exists(target)) {
            fs.delete(target, false);
        }
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("SparkCheckpoint: could not rename " + tmp + " to " + target);
        }
        List<Path> all = list(fs, d);
        for (int i = 0; i < all.size() - keep; i++) {
            fs.delete(all.get(i), false);
        }
        return target.toString();
    }

    /** The checkpoints of a directory, oldest first. */
    private static List<Path> list(FileSystem fs, Path dir) throws IOException {
        TreeMap<Long, Path> byStep = new TreeMap<>();
        for (FileStatus s : fs.listStatus(dir)) {
            Matcher mt = NAME.matcher(s.getPath().getName());
            if (s.isFile() && mt.matches()) {
                byStep.put(Long.parseLong(mt.group(1)), s.getPath());
            }
        }
        return new ArrayList<>(byStep.values());
    }

    /**
     * Reads a checkpoint: a checkpoint file, or the newest checkpoint of a directory.
     *
     * @param path the file or directory ({@code file:///...}, {@code hdfs://...}, ...)
     * @param conf the Hadoop configuration (e.g. {@code sparkContext.hadoopConfiguration()})
     * @return the checkpoint
     * @throws FileNotFoundException when the path does not exist or the directory holds no checkpoint
     * @throws IOException when the file cannot be read, is damaged or is not a jgrad Spark checkpoint
     */
    public static SparkCheckpoint read(String path, Configuration conf) throws IOException {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("SparkCheckpoint.read: the path must not be empty");
        }
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new FileNotFoundException("SparkCheckpoint: no checkpoint at " + p + " (the path does not exist)");
        }
        if (fs.getFileStatus(p).isDirectory()) {
            List<Path> all = list(fs, p);
            if (all.isEmpty()) {
                throw new FileNotFoundException(
                        "SparkCheckpoint: the directory " + p + " holds no checkpoint (no step-N.ckpt file)");
            }
            p = all.get(all.size() - 1);
        }
        long len = fs.getFileStatus(p).getLen();
        if (len > MAX_BYTES) {
            throw new IOException("SparkCheckpoint: " + p + " is " + len + " bytes, more than a checkpoint can hold");
        }
        byte[] bytes;
        try (InputStream in = fs.open(p)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream((int) len);
            in.transferTo(buf);
            bytes = buf.toByteArray();
        } catch (ChecksumException e) {
            throw new IOException(
                    "SparkCheckpoint: " + p + " is damaged: the file system's checksum does not match ("
                            + e.getMessage() + ")",
                    e);
        }
        SafeTensors st;
        try {
            st = SafeTensors.read(bytes, p.toString());
        } catch (TensorFormatException e) {
            throw new IOException("SparkCheckpoint: " + p + " is damaged or not a checkpoint: " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException("SparkCheckpoint: " + p + " is not a jgrad Spark checkpoint (metadata 'format' is "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        String stored = meta.remove("crc32");
        Map<String, Tensor> tensors = new LinkedHashMap<>(st.tensors());
        long actual = crc(tensors, meta);
        if (stored == null || !stored.equals(Long.toString(actual))) {
            throw new IOException("SparkCheckpoint: " + p + " is damaged: its CRC-32 is " + actual
                    + " but the file records " + stored);
        }
        return new SparkCheckpoint(p.toString(), tensors, meta);
    }

    /** CRC-32 over the tensors (by name) and the metadata (by key). */
    private static long crc(Map<String, Tensor> tensors, Map<String, String> meta) {
        CRC32 c = new CRC32();
        for (Map.Entry<String, Tensor> e : new TreeMap<>(tensors).entrySet()) {
            c.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            Tensor t = e.getValue();
            c.update(t.dtype().name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer shape = ByteBuffer.allocate(4 * t.dim()).order(ByteOrder.LITTLE_ENDIAN);
            for (int d : t.shape()) {
                shape.putInt(d);
            }
            c.update(shape.array());
            Object a = TensorArrays.arrayOf(t.contiguous());
            ByteBuffer b = ByteBuffer.allocate((int) TensorArrays.bytesOf(a)).order(ByteOrder.LITTLE_ENDIAN);
            if (a instanceof float[] f) {
                b.asFloatBuffer().put(f);
            } else if (a instanceof double[] d) {
                b.asDoubleBuffer().put(d);
            } else {
                b.asIntBuffer().put((int[]) a);
            }
            c.update(b.array());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(meta).entrySet()) {
            if (!e.getKey().equals("crc32")) {
                c.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                c.update(0);
                c.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                c.update(0);
            }
        }
        return c.getValue();
    }

    /**
     * Where the checkpoint was read from.
     *
     * @return the file's path
     */
    public String location() {
        return location;
    }

    /**
     * The tensors whose names start with a prefix, with the prefix removed.
     *
     * @param prefix e.g. {@code "model."}
     * @return name to tensor
     */
    public Map<String, Tensor> section(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    /**
     * The model's state dict.
     *
     * @return parameter and buffer names to values
     */
    public Map<String, Tensor> modelState() {
        return section("model.");
    }

    /**
     * The metadata (format, position in training, generator state, history, ...).
     *
     * @return the metadata without the checksum
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A metadata entry that must be there. */
    String require(String key) throws IOException {
        String v = metadata.get(key);
        if (v == null) {
            throw new IOException("SparkCheckpoint: " + location + " lacks the metadata entry '" + key + "'");
        }
        return v;
    }
}
