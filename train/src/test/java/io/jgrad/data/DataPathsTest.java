package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPathsTest {
    @TempDir
    Path tmp;

    private Path dirWith(String name, String... files) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (String f : files) {
            Files.write(d.resolve(f), new byte[] {1});
        }
        return d;
    }

    @Test
    void firstPlaceHoldingAllFilesWins() throws IOException {
        Path a = dirWith("a", "x.bin"); // incomplete
        Path b = dirWith("b", "x.bin", "y.bin.gz"); // complete, y as .gz
        Path c = dirWith("c", "x.bin", "y.bin");
        assertEquals(b, DataPaths.find("set", null, List.of(a, b, c), "x.bin", "y.bin"));
        assertEquals(b.resolve("y.bin.gz"), DataPaths.resolve(b, "y.bin"));
        assertEquals(c.resolve("y.bin"), DataPaths.resolve(c, "y.bin"));
    }

    @Test
    void explicitFolderIsSearchedAloneAndWithTheName() throws IOException {
        Path std = dirWith("std", "x.bin");
        Path given = dirWith("given");
        Path sub = dirWith("given/set", "x.bin");
        assertEquals(sub, DataPaths.find("set", given, List.of(std), "x.bin"));
        Path empty = dirWith("empty");
        DatasetNotFoundException e =
                assertThrows(DatasetNotFoundException.class, () -> DataPaths.find("set", empty, List.of(std), "x.bin"));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains(std + ":"), "the standard places are not searched: " + e.getMessage());
    }

    @Test
    void notFoundSaysWhereItLookedAndHowToGetFashionMnist() throws IOException {
        Path a = tmp.resolve("nowhere");
        Path b = dirWith("partial", "train-images-idx3-ubyte.gz");
        String[] files = Mnist.FILES.toArray(new String[0]);
        DatasetNotFoundException e = assertThrows(
                DatasetNotFoundException.class, () -> DataPaths.find("fashion-mnist", null, List.of(a, b), files));
        String m = e.getMessage();
        assertTrue(m.contains(a + ": no such folder"), m);
        assertTrue(
                m.contains(b + ": missing train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("https://github.com/zalandoresearch/fashion-mnist"), m);
        assertTrue(m.contains("~/.jgrad/datasets/fashion-mnist"), m);
    }

    @Test
    void standardPlacesInOrder() {
        List<Path> places = DataPaths.standardPlaces("fashion-mnist");
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), places.get(0));
        assertEquals(Path.of(System.getProperty("user.home"), ".jgrad", "datasets", "fashion-mnist"), places.get(1));
        assertEquals(Path.of("").toAbsolutePath(), places.get(2));
        assertThrows(IllegalArgumentException.class, () -> DataPaths.standardPlaces("../etc"));
    }

    @Test
    void unknownSetGetsAGenericHint() {
        DatasetNotFoundException e = assertThrows(
                DatasetNotFoundException.class,
                () -> DataPaths.find("cifar", null, List.of(tmp.resolve("x")), "data.bin"));
        assertTrue(e.getMessage().contains("~/.jgrad/datasets/cifar"), e.getMessage());
        assertTrue(e.getMessage().contains("--data DIR"), e.getMessage());
    }
}
