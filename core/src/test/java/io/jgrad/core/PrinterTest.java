package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** toString prints like PyTorch's repr (the expected strings were printed by PyTorch 1.13). */
class PrinterTest {
    @Test
    void matchesPyTorchRepr() {
        int cases = 0;
        for (String[] c : TorchReference.cases("print")) {
            DType dt = TorchReference.dtype(c[0]);
            int[] shape = TorchReference.shape(c[1]);
            int n = Ref.numel(shape);
            double[] v;
            if (c[2].startsWith("arange:")) {
                String[] p = c[2].split(":");
                double start = TorchReference.number(p[1]);
                double step = TorchReference.number(p[2]);
                v = new double[n];
                for (int k = 0; k < n; k++) {
                    v[k] = start + k * step;
                }
            } else {
                v = TorchReference.numbers(c[2]);
            }
            Tensor t = Ref.tensor(dt, v, shape);
            if (c[3].equals("t")) {
                t = t.transpose(-2, -1);
            } else if (c[3].equals("step2")) {
                t = t.slice(-1, 0, t.size(-1), 2);
            }
            String want = jgradNames(c[4].replace("\\n", "\n"));
            assertEquals(want, t.toString(), "repr of " + dt + " " + c[1] + " " + c[3]);
            cases++;
        }
        assertTrue(cases >= 30, "fixture cases read: " + cases);
    }

    /**
     * PyTorch's repr with jgrad's dtype names ({@code dtype=float64}, not {@code dtype=torch.float64}).
     * The shorter name can fit on a line where PyTorch's wrapped, so the suffix is placed again with
     * PyTorch's rule: on the same line unless that line would pass 80 characters.
     */
    private static String jgradNames(String repr) {
        int at = repr.lastIndexOf("dtype=torch.");
        if (at < 0) {
            return repr;
        }
        String name = repr.substring(at + "dtype=torch.".length(), repr.length() - 1);
        String head = repr.substring(0, at).replaceFirst(",\\s*$", "");
        String suffix = "dtype=" + name;
        int lastLine = head.length() - head.lastIndexOf('\n') + 1;
        return head + (lastLine + suffix.length() + 2 > 80 ? ",\n" + " ".repeat(7) : ", ") + suffix + ")";
    }

    @Test
    void smallMatrix() {
        assertEquals(
                "tensor([[1., 2.],\n        [3., 4.]])",
                Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals(
                "tensor([0.5000, 2.0000], dtype=float64)",
                Tensor.of(new double[] {0.5, 2}).toString());
    }
}
