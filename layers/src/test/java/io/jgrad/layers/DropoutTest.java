package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dropout layers: PyTorch's outputs and gradients for the mask PyTorch drew (recovered from its
 * output by the fixture script), the drop rate, channel-wise masks, alpha dropout's moments,
 * repeatability from a generator, and Monte Carlo dropout.
 */
class DropoutTest {
    static void parity(String name, BaseDropout layer) {
        Map<String, Tensor> f = Fixtures.load("/torch/DROPOUT_" + name + ".txt");
        Variable x = new Variable(f.get("x"), true);
        Variable y = layer.applyMask(x, f.get("keep"));
        assertClose(f.get("y"), y.data(), 1e-12, 1e-12, name + " output");
        y.mul(Variable.constant(f.get("r"))).sum().backward();
        assertClose(f.get("gx"), x.grad(), 1e-12, 1e-12, name + " gradient");
    }

    @Test
    void matchesPyTorchForTheSameMask() {
        parity("dropout", new Dropout(0.3));
        parity("dropout2d", new Dropout2d(0.4));
        parity("alpha", new AlphaDropout(0.25));
    }

    @Test
    void dropoutRateScaleAndEvaluation() {
        Dropout d = new Dropout(0.3);
        d.setGenerator(new Generator(5));
        Tensor x = Tensor.ones(200, 500);
        Tensor y = d.forward(Variable.constant(x)).data();
        double[] v = y.toDoubleArray();
        int zeros = 0;
        for (double e : v) {
            if (e == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.7, e, 1e-6);
            }
        }
        assertEquals(0.3, zeros / (double) v.length, 0.005);
        d.eval();
        Variable xv = Variable.constant(x);
        assertSame(xv, d.forward(xv));
        d.train();
        assertTrue(new Dropout(1).forward(xv).data().equal(Tensor.zeros(200, 500)));
        assertSame(xv, new Dropout(0).forward(xv));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("drop probability must be in [0, 1], got 1.5"), e.getMessage());
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        Dropout2d d = new Dropout2d(0.5);
        d.setGenerator(new Generator(8));
        Tensor y = d.forward(Variable.constant(Tensor.ones(6, 10, 3, 4))).data();
        int dropped = 0;
        for (int n = 0; n < 6; n++) {
            for (int c = 0; c < 10; c++) {
                Tensor ch = y.select(0, n).select(0, c);
                double first = ch.getDouble(0, 0);
                assertTrue(ch.eq(first).sum().item() == 12, "channel not uniform");
                assertTrue(first == 0 || first == 2);
                dropped += first == 0 ? 1 : 0;
            }
        }
        assertTrue(dropped > 10 && dropped < 50, "dropped " + dropped + " of 60 channels");
        assertThrows(IllegalArgumentException.class, () -> d.forward(Variable.constant(Tensor.ones(3, 4))));
    }

    @Test
    void alphaDropoutKeepsMeanAndVariance() {
        AlphaDropout d = new AlphaDropout(0.2);
        d.setGenerator(new Generator(3));
        Tensor x = Tensor.randn(new Generator(4), DType.FLOAT64, 400, 500);
        // self-normalizing activations: SELU of standard normal inputs has mean ~0 and variance ~1
        Tensor s = x.selu();
        Tensor y = d.forward(Variable.constant(s)).data();
        double[] ms = InitTest.moments(s);
        double[] my = InitTest.moments(y);
        assertEquals(ms[0], my[0], 0.01);
        assertEquals(ms[1], my[1], 0.01);
    }

    @Test
    void masksRepeatForAGenerator() {
        Sequential m = new Sequential(new Linear(8, 8), new Dropout(0.5), new AlphaDropout(0.1));
        Tensor x = Tensor.randn(new Generator(1), 4, 8);
        m.setGenerator(new Generator(77));
        Tensor a = m.forward(Variable.constant(x)).data();
        Tensor b = m.forward(Variable.constant(x)).data();
        assertFalse(a.equal(b), "a new mask for each call");
        m.setGenerator(new Generator(77));
        assertTrue(a.equal(m.forward(Variable.constant(x)).data()));
    }

    @Test
    void monteCarloDropoutKeepsOnlyDropoutActive() {
        Generator.manualSeed(12);
        BatchNorm1d bn = new BatchNorm1d(16);
        Sequential m = new Sequential(new Linear(5, 16), bn, new ReLU(), new Dropout(0.5), new Linear(16, 3));
        Tensor warm = Tensor.randn(new Generator(2), 32, 5);
        m.forward(Variable.constant(warm)); // running statistics away from the defaults
        m.train();
        Tensor rm = bn.runningMean().clone();
        Tensor x = Tensor.randn(new Generator(3), 4, 5);
        m.setGenerator(new Generator(9));
        MonteCarloDropout.Result r = MonteCarloDropout.predict(m, x, 400);
        assertTrue(bn.runningMean().equal(rm), "batch norm must run in evaluation mode");
        assertEquals(1, bn.stateDict().get("num_batches_tracked").item());
        assertTrue(m.isTraining() && bn.isTraining() && m.get(3).isTraining(), "modes restored");
        assertEquals(4, r.mean().size(0));
        assertTrue(r.std().min().item() > 0, "dropout makes outputs vary");
        // the mean of inverted dropout equals the deterministic output up to Monte Carlo error
        m.eval();
        Tensor det = m.forward(Variable.constant(x)).data();
        double maxStd = r.std().max().item();
        assertTrue(r.mean().allClose(det, 0, 6 * maxStd / Math.sqrt(400)), r.mean() + " vs " + det);
        // repeatable with the same generator
        m.train();
        m.setGenerator(new Generator(9));
        MonteCarloDropout.Result again = MonteCarloDropout.predict(m, x, 400);
        assertTrue(again.mean().equal(r.mean()) && again.std().equal(r.std()));
        // without dropout every pass is the same
        Sequential plain = new Sequential(new Linear(5, 2));
        MonteCarloDropout.Result p = MonteCarloDropout.predict(plain, x, 5);
        assertTrue(p.std().equal(Tensor.zeros(4, 2)));
        assertTrue(p.mean().allClose(plain.forward(Variable.constant(x)).data(), 1e-6, 1e-6));
    }
}
