package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** einsum against a naive reference that loops over every assignment of every index. */
class EinsumTest {
    /** Sizes of the letters used in the tests. */
    private static final Map<Character, Integer> SIZE =
            new TreeMap<>(Map.of('i', 3, 'j', 4, 'k', 5, 'b', 2, 'h', 3, 'q', 4, 'd', 5, 'x', 2));

    private static int[] shapeOf(String term) {
        int[] s = new int[term.length()];
        for (int k = 0; k < s.length; k++) {
            s[k] = term.charAt(k) == 'i' && term.chars().filter(c -> c == 'i').count() > 1
                    ? 4
                    : SIZE.get(term.charAt(k));
        }
        return s;
    }

    /** The explicit output of an implicit equation: letters that appear once, in alphabetical order. */
    private static String implicitOutput(String lhs) {
        TreeSet<Character> once = new TreeSet<>();
        for (char c : lhs.replace(",", "").toCharArray()) {
            long n = lhs.chars().filter(x -> x == c).count();
            if (n == 1) {
                once.add(c);
            }
        }
        StringBuilder sb = new StringBuilder();
        once.forEach(sb::append);
        return sb.toString();
    }

    /** Naive einsum: for every assignment of all letters, add the product of the operand entries. */
    private static double[][] reference(String eq, String[] terms, double[][] vals, int[][] shapes) {
        String out = eq.contains("->") ? eq.substring(eq.indexOf("->") + 2) : implicitOutput(eq);
        StringBuilder letters = new StringBuilder();
        for (String t : terms) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (letters.indexOf(String.valueOf(c)) < 0) {
                    letters.append(c);
                }
            }
        }
        int[] size = new int[letters.length()];
        for (int q = 0; q < terms.length; q++) {
            for (int d = 0; d < terms[q].length(); d++) {
                size[letters.indexOf(String.valueOf(terms[q].charAt(d)))] = shapes[q][d];
            }
        }
        int[] os = new int[out.length()];
        for (int d = 0; d < os.length; d++) {
            os[d] = size[letters.indexOf(String.valueOf(out.charAt(d)))];
        }
        double[] res = new double[Ref.numel(os)];
        double[] bound = new double[res.length];
        int[] assign = new int[size.length];
        for (int it = 0; it < Ref.numel(size); it++) {
            double p = 1;
            for (int q = 0; q < terms.length; q++) {
                int[] idx = new int[terms[q].length()];
                for (int d = 0; d < idx.length; d++) {
                    idx[d] = assign[letters.indexOf(String.valueOf(terms[q].charAt(d)))];
                }
                p *= vals[q][Ref.ravel(idx, shapes[q])];
            }
            int[] oi = new int[os.length];
            for (int d = 0; d < oi.length; d++) {
                oi[d] = assign[letters.indexOf(String.valueOf(out.charAt(d)))];
            }
            res[Ref.ravel(oi, os)] += p;
            bound[Ref.ravel(oi, os)] += Math.abs(p);
            Ref.next(assign, size);
        }
        double[] shape = new double[os.length];
        for (int d = 0; d < os.length; d++) {
            shape[d] = os[d];
        }
        return new double[][] {res, bound, shape};
    }

    private static void check(String eq, DType dt, long seed) {
        String lhs = eq.contains("->") ? eq.substring(0, eq.indexOf("->")) : eq;
        String[] terms = lhs.split(",", -1);
        double[][] vals = new double[terms.length][];
        int[][] shapes = new int[terms.length][];
        for (int q = 0; q < terms.length; q++) {
            shapes[q] = shapeOf(terms[q]);
            vals[q] = Ref.rounded(Ref.uniform(seed + q, Ref.numel(shapes[q]), -1, 1), dt);
        }
        double[][] e = reference(eq, terms, vals, shapes);
        int[] os = new int[e[2].length];
        for (int d = 0; d < os.length; d++) {
            os[d] = (int) e[2][d];
        }
        // every operand in every layout (the others contiguous)
        for (int q = 0; q < terms.length; q++) {
            for (Ref.Named n : Ref.layouts(dt, vals[q], shapes[q])) {
                Tensor[] ops = new Tensor[terms.length];
                for (int r = 0; r < terms.length; r++) {
                    ops[r] = r == q ? n.t : Ref.tensor(dt, vals[r], shapes[r]);
                }
                Tensor got = Tensor.einsum(eq, ops);
                String what = "einsum '" + eq + "' " + dt + " operand " + q + " " + n.name;
                assertEquals(dt, got.dtype(), what);
                org.junit.jupiter.api.Assertions.assertArrayEquals(os, got.shape(), what);
                double[] g = Ref.values(got);
                double u = dt == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
                for (int k = 0; k < g.length; k++) {
                    double tol = 64 * u * e[1][k] + 1e-300;
                    assertTrue(
                            Math.abs(g[k] - e[0][k]) <= tol,
                            what + ": element " + k + " is " + g[k] + ", expected " + e[0][k] + " +- " + tol);
                }
            }
        }
    }

    @Test
    void commonForms() {
        String[] forms = {
            "ij,jk->ik",
            "bij,bjk->bik",
            "ij->ji",
            "ii->i",
            "ii->",
            "ij->",
            "i,j->ij",
            "i,i->",
            "bhqd,bhkd->bhqk",
            "ij,jk",
            "ii",
            "ji",
            "ij,ij->ij",
            "ij,ij->",
            "bij->bj",
            "ijk->kji",
            "i,i->i",
            "ij,j->i",
            "ij,kj->ik",
            "bij,bkj->bki",
            "ij,jk->ki",
            "ij->i",
            "i->",
            "i,j",
            "ijk,ik->j",
        };
        long seed = 0;
        for (String f : forms) {
            for (DType dt : Ref.FLOATS) {
                check(f, dt, seed += 10);
            }
        }
    }

    @Test
    void implicitOutputsFollowNumPy() {
        Tensor m = Ref.tensor(DType.FLOAT64, new double[] {1, 2, 3, 4}, 2, 2);
        assertEquals(5, Tensor.einsum("ii", m).item(), 0, "'ii' is the trace");
        assertEquals(0, Tensor.einsum("ii", m).dim());
        assertEquals(3, Tensor.einsum("ji", m).getDouble(0, 1), 0, "'ji' is the transpose");
        assertEquals(10, Tensor.einsum("ij->", m).item(), 0);
    }

    @Test
    void errors() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ik", a, b));
        assertTrue(ex.getMessage().startsWith("einsum: index 'j' has sizes 3 and 4"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ij,jk->ik", a));
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ijk->i", a));
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ij->k", a));
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ij->ii", a));
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("...ij->ij", a));
        assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("ii->i", a));
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.einsum("i,i,i->", Tensor.zeros(2), Tensor.zeros(2), Tensor.zeros(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Tensor.einsum("i,i->", Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)));
    }
}
