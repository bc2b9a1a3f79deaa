package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path tmp;

    private Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void irisStyleHeaderAndLastColumnLabel() throws IOException {
        Path p = file(
                "iris.csv",
                "3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n\n7.0,3.2,4.7,1.4,1\n6.3,3.3,6.0,2.5,2\n");
        Csv.Data d = Csv.read(p, Csv.options().header(true));
        assertEquals(3, d.dataset().size());
        assertArrayEquals(new int[] {3, 4}, d.dataset().input().shape());
        assertArrayEquals(
                new float[] {5.1f, 3.5f, 1.4f, 0.2f, 7.0f, 3.2f, 4.7f, 1.4f, 6.3f, 3.3f, 6.0f, 2.5f},
                d.dataset().input().toFloatArray());
        assertArrayEquals(new int[] {0, 1, 2}, d.dataset().target().toIntArray());
        assertEquals(List.of("3", "4", "setosa", "versicolor"), d.columns(), "the header's fields but the label's");
    }

    @Test
    void labelColumnDelimiterQuotesAndNames() throws IOException {
        Path p = file("t.csv", "species;\"len; cm\";width\ncat; 1.5 ;2\n\"dog\";\"3\" ;4e1\ncat;-1;0\n");
        Csv.Data d = Csv.read(p, Csv.options().header(true).delimiter(';').labelColumn(0));
        assertEquals(List.of("len; cm", "width"), d.columns());
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.dataset().target().toIntArray());
        assertArrayEquals(
                new float[] {1.5f, 2f, 3f, 40f, -1f, 0f}, d.dataset().input().toFloatArray());
    }

    @Test
    void regressionNoLabelAndGzip() throws IOException {
        Path p = file("r.csv", "1,2,0.5\n3,4,-2.5\n");
        Csv.Data r = Csv.read(p, Csv.options().labelKind(Csv.LabelKind.VALUE).dtype(DType.FLOAT64));
        assertEquals(DType.FLOAT64, r.dataset().target().dtype());
        assertArrayEquals(new double[] {0.5, -2.5}, r.dataset().target().toDoubleArray());
        Csv.Data all = Csv.read(p, Csv.options().noLabel());
        assertNull(all.dataset().target());
        assertArrayEquals(new int[] {2, 3}, all.dataset().input().shape());
        Path gz = tmp.resolve("r.csv.gz");
        Files.write(gz, IdxTest.gzip(Files.readAllBytes(p)));
        assertTrue(Csv.read(gz, Csv.options())
                .dataset()
                .input()
                .equal(Csv.read(p, Csv.options()).dataset().input()));
    }

    @Test
    void errorsNameLineAndColumn() throws IOException {
        Path p = file("bad.csv", "1,2,0\n3,x,1\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Csv.read(p, Csv.options()));
        assertTrue(e.getMessage().endsWith("bad.csv: line 2, column 1: 'x' is not a number"), e.getMessage());
        Path q = file("ragged.csv", "1,2,0\n3,1\n");
        e = assertThrows(MalformedDataException.class, () -> Csv.read(q, Csv.options()));
        assertTrue(e.getMessage().endsWith("line 2: 2 fields, expected 3 like the first line"), e.getMessage());
        Path r = file("quote.csv", "1,\"2,0\n");
        e = assertThrows(MalformedDataException.class, () -> Csv.read(r, Csv.options()));
        assertTrue(e.getMessage().contains("unterminated quoted field"), e.getMessage());
        Path s = file("col.csv", "1,2\n");
        e = assertThrows(
                MalformedDataException.class, () -> Csv.read(s, Csv.options().labelColumn(5)));
        assertTrue(e.getMessage().contains("label column 5 does not exist in a line of 2 fields"), e.getMessage());
        Path t = file("empty.csv", "a,b\n");
        e = assertThrows(
                MalformedDataException.class, () -> Csv.read(t, Csv.options().header(true)));
        assertTrue(e.getMessage().contains("no data lines"), e.getMessage());
    }

    @Test
    void moreValuesThanOneTensorHoldsIsAClearError() throws IOException {
        Path file = tmp.resolve("huge.csv");
        Csv.checkFits(file, 46_340, 46_340); // 2,147,395,600 values: just fits
        MalformedDataException e =
                assertThrows(MalformedDataException.class, () -> Csv.checkFits(file, 50_000, 50_000));
        assertTrue(e.getMessage().contains("50000 rows of 50000 features are 2500000000 values"), e.getMessage());
        assertTrue(e.getMessage().contains("huge.csv"), e.getMessage());
    }
}
