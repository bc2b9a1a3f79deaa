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
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
            out.write(new byte[100_000]);
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old content", Files.readString(p));
        assertEquals(List.of("model.safetensors"), listing());

        RuntimeException bug = new IllegalStateException("bug in the writer");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(p, out -> {
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
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(p, out -> {
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
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(sub, out -> out.write(1)));
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
