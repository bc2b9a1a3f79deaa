package io.jgrad.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new content, never a
 * partial file: models and checkpoints survive a crash or a failing writer.
 */
public final class AtomicFiles {
    private static final int BUFFER = 1 << 16;
    // Keeps the temporary name within common 255-byte file name limits.
    private static final int MAX_NAME_PART = 100;

    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically: {@code content} writes to a temporary file in the same
     * directory, which is flushed to disk ({@link FileChannel#force}) and then renamed over the target
     * ({@link StandardCopyOption#ATOMIC_MOVE}, or {@link StandardCopyOption#REPLACE_EXISTING} where the
     * file system cannot move atomically). When {@code content} or any step fails, the temporary file
     * is deleted, an existing target is left untouched and the exception propagates.
     *
     * <p>The stream given to {@code content} is buffered; closing it is allowed and has no effect
     * beyond a flush.
     *
     * <p>The temporary file ({@code .<name>.<random hex>.tmp} beside the target) is locked while it is
     * written. A process killed in the middle of a write (kill -9, a crash) cannot delete it; the next
     * successful write of the same target removes every such file that no live writer holds locked, so
     * stale temporary files do not pile up. Temporary files of other targets are left alone.
     *
     * @param target the file to create or replace
     * @param content writes the file's bytes
     * @throws IOException when writing, flushing or renaming fails, or {@code content} throws it
     */
    public static void write(Path target, IOConsumer<? super OutputStream> content) throws IOException {
        Objects.requireNonNull(target, "AtomicFiles.write: target is null");
        Objects.requireNonNull(content, "AtomicFiles.write: content is null");
        Path abs = target.toAbsolutePath();
        Path fileName = abs.getFileName();
        if (fileName == null) {
            throw new IllegalArgumentException("AtomicFiles.write: " + target + " does not name a file");
        }
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(target.toString(), null, "is a directory");
        }
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            FileChannel ch = null;
            for (int attempt = 0; ch == null; attempt++) {
                tmp = dir.resolve(tempName(fileName.toString()));
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    // held until the channel closes: marks the file as being written by a live process
                    ch.lock();
                } catch (FileAlreadyExistsException e) {
                    tmp = null;
                    if (attempt >= 20) {
                        throw e;
                    }
                }
            }
            try (FileChannel channel = ch) {
                BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
                content.accept(new FlushOnClose(out));
                out.flush();
                channel.force(true);
                // renamed while still locked, so that a concurrent writer's clean-up never takes it for stale
                move(tmp, abs);
                tmp = null;
            }
        } catch (Throwable t) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException deleteFailure) {
                    t.addSuppressed(deleteFailure);
                }
            }
            throw t;
        }
        syncDirectory(dir);
        removeStaleTemporaries(dir, fileName.toString());
    }

    /**
     * Deletes temporary files of {@code fileName} left in {@code dir} by writers that died: those whose
     * lock can be taken (a live writer, in this process or another, holds its lock). Failures are ignored:
     * cleaning up is best effort and never fails a write that succeeded.
     */
    static void removeStaleTemporaries(Path dir, String fileName) {
        String base = fileName.length() > MAX_NAME_PART ? fileName.substring(0, MAX_NAME_PART) : fileName;
        String prefix = "." + base + ".";
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix) || !n.endsWith(".tmp")) {
                    continue;
                }
                String middle = n.substring(prefix.length(), n.length() - 4);
                if (middle.isEmpty()
                        || middle.length() > 16
                        || !middle.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    java.nio.channels.FileLock lock = ch.tryLock();
                    if (lock != null) {
                        Files.deleteIfExists(p);
                        lock.release();
                    }
                } catch (IOException | RuntimeException inUseOrGone) {
                    // OverlappingFileLockException: held by a writer in this process; or deleted meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // the directory cannot be listed: nothing to clean
        }
    }

    private static String tempName(String fileName) {
        String base = fileName.length() > MAX_NAME_PART ? fileName.substring(0, MAX_NAME_PART) : fileName;
        return "." + base + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Makes the rename itself durable where the platform allows it. The file is already complete and
     * in place, so platforms that cannot open or sync a directory (e.g. Windows) lose nothing but
     * that guarantee.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // See the method comment: best effort only.
        }
    }

    /** Passes writes through in bulk and turns close() into flush(): the caller closes the file. */
    private static final class FlushOnClose extends FilterOutputStream {
        FlushOnClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
