package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private List<String> temporaries(String target) throws IOException {
        return listing().stream()
                .filter(n -> n.startsWith("." + target + ".") && n.endsWith(".tmp"))
                .collect(Collectors.toList());
    }

    @Test
    void staleTemporaryFilesOfTheTargetAreRemovedOnTheNextWrite() throws IOException {
        // what writers killed in the middle leave behind: unlocked temporary files
        Files.write(dir.resolve(".model.safetensors.1a2b3c.tmp"), new byte[10]);
        Files.write(dir.resolve(".model.safetensors.ffffffffffffffff.tmp"), new byte[10]);
        // not ours: another target's temporary file, and files that only look alike
        Files.write(dir.resolve(".other.bin.1a2b.tmp"), new byte[1]);
        Files.write(dir.resolve(".model.safetensors.not-hex.tmp"), new byte[1]);
        // a write in progress in this process holds its lock: kept
        Path live = dir.resolve(".model.safetensors.abc.tmp");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                live, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.lock();
            AtomicFiles.write(dir.resolve("model.safetensors"), out -> out.write(1));
            assertEquals(
                    List.of(".model.safetensors.abc.tmp", ".model.safetensors.not-hex.tmp"),
                    temporaries("model.safetensors"));
        }
        assertTrue(listing().contains(".other.bin.1a2b.tmp"));
        assertTrue(listing().contains(".model.safetensors.not-hex.tmp"));
        AtomicFiles.write(dir.resolve("model.safetensors"), out -> out.write(2));
        assertEquals(List.of(".model.safetensors.not-hex.tmp"), temporaries("model.safetensors"));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void aWriterKilledWithSigkillLeavesNothingBehindAfterTheNextWrite() throws Exception {
        Path target = dir.resolve("ckpt.bin");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AtomicWriteThenHang.class.getName(),
                        target.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            // the child prints its line once its temporary file exists (null if it died first)
            String ready = new java.io.BufferedReader(
                            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertEquals("writing", ready);
            assertEquals(1, temporaries("ckpt.bin").size(), "the other process's temporary file");
            // while that writer lives, its temporary file is left alone
            AtomicFiles.write(target, out -> out.write(7));
            assertEquals(1, temporaries("ckpt.bin").size());
        } finally {
            p.destroyForcibly().waitFor();
        }
        AtomicFiles.write(target, out -> out.write(8));
        assertEquals(List.of(), temporaries("ckpt.bin"));
        assertArrayEquals(new byte[] {8}, Files.readAllBytes(target));
    }

    @Test
    void createsAndReplaces() throws IOException {
        Path p = dir.resolve("out.bin");
        AtomicFiles.write(p, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", Files.readString(p));
        AtomicFiles.write(p, out -> {
            out.write("second, longer".getBytes(StandardCharsets.UTF_8));
            out.close(); // allowed: only flushes
        });
        assertEquals("second, longer", Files.readString(p));
        assertEquals(List.of("out.bin"), listing());
    }

    @Test
    void writesLargeContentInBulk() throws IOException {
        Path p = dir.resolve("big.bin");
        byte[] data = new byte[3 << 20];
        for (int k = 0; k < data.length; k++) {
            data[k] = (byte) (k * 31 + 7);
        }
        AtomicFiles.write(p, out -> {
            out.write(data, 0, 100);
            out.write(data[100]);
            out.write(data, 101, data.length - 101);
        });
        assertArrayEquals(data, Files.readAllBytes(p));
    }

    @Test
    void failureLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Files.writeString(p, "old content");
        IOException boom = new IOException("disk on fire");
        IOException thrown = assertThrows(
                IOException.class,
                () -> AtomicFiles.write(p, out -> {
                    out.write(new byte[100_000]);
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertEquals("old content", Files.readString(p));
        assertEquals(List.of("model.safetensors"), listing());

        RuntimeException bug = new IllegalStateException("bug in the writer");
        assertSame(
                bug,
                assertThrows(
                        IllegalStateException.class,
                        () -> AtomicFiles.write(p, out -> {
                            out.write(1);
                            throw bug;
                        })));
        assertEquals("old content", Files.readString(p));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void failedTensorWritesLeaveNoTrace() throws IOException {
        Path p = dir.resolve("w.safetensors");
        SafeTensors.write(p, Map.of("w", Tensor.ones(2)), null);
        byte[] before = Files.readAllBytes(p);
        Tensor broken = Tensor.ones(3);
        // A writer failing halfway (here: an unchecked exception from the content) keeps the old file.
        assertThrows(
                UncheckedIOException.class,
                () -> AtomicFiles.write(p, out -> {
                    SafeTensors.write(out, Map.of("w", broken), null);
                    throw new UncheckedIOException(new IOException("interrupted"));
                }));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("w.safetensors"), listing());
    }

    @Test
    void missingDirectoryOrDirectoryTargetFailsCleanly() throws IOException {
        assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("no/such/dir/f.bin"), out -> out.write(1)));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        FileSystemException e =
                assertThrows(FileSystemException.class, () -> AtomicFiles.write(sub, out -> out.write(1)));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertEquals(List.of("sub"), listing());
    }

    @Test
    void relativeAndLongNames() throws IOException {
        Path p = dir.resolve("x".repeat(200) + ".npy");
        Npy.write(p, Tensor.ones(3));
        assertArrayEquals(new float[] {1, 1, 1}, Npy.read(p).toFloatArray());
        assertEquals(List.of(p.getFileName().toString()), listing());
    }
}
