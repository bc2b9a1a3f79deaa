package io.jgrad.bench;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Attention;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.GRU;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.LSTMCell;
import io.jgrad.layers.RecurrentOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layers of the end-to-end workloads at their shapes, through autograd as the workloads use them:
 * <ul>
 *   <li>{@code conv*}: the CNN's second convolution (32 -> 64 channels, 5x5, padding 2) on a batch of
 *       128 maps of 14x14: forward alone (no graph), and forward plus backward (input and weight
 *       gradients);</li>
 *   <li>{@code lstmCellStep}: one LSTM step of the LSTM workload, batch 32, 256 -> 256 (the
 *       32x256 @ 256x1024 recurrent product and the fused gate non-linearities), no graph;</li>
 *   <li>{@code lstmLayer*}: the workload's 2-layer LSTM 64 -> 256 over batch 32 x 64 steps, forward
 *       alone and forward plus backward through time;</li>
 *   <li>{@code gruLayerForwardBackward}: the same with a 2-layer GRU (no workload trains one);</li>
 *   <li>{@code attention*}: scaled dot-product attention of the transformer workload, (32, 8 heads,
 *       128, 32): forward alone and forward plus backward.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class LayerBench {
    Conv2d conv;
    Variable convIn;
    LSTMCell cell;
    Variable cellX;
    Variable cellH;
    Variable cellC;
    LSTM lstm;
    GRU gru;
    Variable lstmIn;
    Variable q;
    Variable k;
    Variable v;

    @Setup
    public void setup() {
        Generator.manualSeed(0);
        Generator g = new Generator(1);
        conv = new Conv2d(32, 64, 5, 1, 2);
        convIn = new Variable(Tensor.randn(g, 128, 32, 14, 14), true);
        cell = new LSTMCell(256, 256);
        cellX = Variable.constant(Tensor.randn(g, 32, 256));
        cellH = Variable.constant(Tensor.randn(g, 32, 256));
        cellC = Variable.constant(Tensor.randn(g, 32, 256));
        lstm = new LSTM(64, 256, RecurrentOptions.defaults().numLayers(2));
        gru = new GRU(64, 256, RecurrentOptions.defaults().numLayers(2));
        lstmIn = new Variable(Tensor.randn(g, 32, 64, 64), true);
        q = new Variable(Tensor.randn(g, 32, 8, 128, 32), true);
        k = new Variable(Tensor.randn(g, 32, 8, 128, 32), true);
        v = new Variable(Tensor.randn(g, 32, 8, 128, 32), true);
    }

    /** Conv 32 -> 64, 5x5, padding 2 on (128, 32, 14, 14), without a graph. */
    @Benchmark
    public Tensor convForward() {
        try (var off = Autograd.noGrad()) {
            return conv.call(convIn).data();
        }
    }

    /** The same convolution, forward and backward (gradients of the input and of the weight and bias). */
    @Benchmark
    public Tensor convForwardBackward() {
        conv.zeroGrad();
        convIn.zeroGrad();
        conv.call(convIn).sum().backward();
        return convIn.grad();
    }

    /** One LSTM cell step, batch 32, 256 -> 256, without a graph. */
    @Benchmark
    public Tensor lstmCellStep() {
        try (var off = Autograd.noGrad()) {
            return cell.step(cellX, cellH, cellC)[0].data();
        }
    }

    /** The 2-layer LSTM over (32, 64, 64), without a graph. */
    @Benchmark
    public Tensor lstmLayerForward() {
        try (var off = Autograd.noGrad()) {
            return lstm.call(lstmIn).data();
        }
    }

    /** The 2-layer LSTM over (32, 64, 64), forward and backward through time. */
    @Benchmark
    public Tensor lstmLayerForwardBackward() {
        lstm.zeroGrad();
        lstmIn.zeroGrad();
        lstm.call(lstmIn).sum().backward();
        return lstmIn.grad();
    }

    /** The 2-layer GRU over (32, 64, 64), forward and backward through time. */
    @Benchmark
    public Tensor gruLayerForwardBackward() {
        gru.zeroGrad();
        lstmIn.zeroGrad();
        gru.call(lstmIn).sum().backward();
        return lstmIn.grad();
    }

    /** softmax(q k^T / sqrt(32)) v on (32, 8, 128, 32), without a graph. */
    @Benchmark
    public Tensor attentionForward() {
        try (var off = Autograd.noGrad()) {
            return Attention.scaledDotProduct(q, k, v).data();
        }
    }

    /** The same attention, forward and backward (gradients of q, k and v). */
    @Benchmark
    public Tensor attentionForwardBackward() {
        q.zeroGrad();
        k.zeroGrad();
        v.zeroGrad();
        Attention.scaledDotProduct(q, k, v).sum().backward();
        return q.grad();
    }
}
