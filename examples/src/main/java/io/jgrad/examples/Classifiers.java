package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Module;
import io.jgrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain training loop and measures shared by the model-compression and transfer examples:
 * mini-batch training in a seeded order with a hook after every optimizer step, test accuracy, logits
 * and inference time.
 */
final class Classifiers {
    private Classifiers() {}

    /** The loss of one mini-batch: the model's output, the batch's rows in the dataset, their labels. */
    interface BatchLoss {
        Variable loss(Variable logits, Tensor rows, Tensor labels);
    }

    /** Cross entropy of the labels. */
    static final BatchLoss CROSS_ENTROPY = (logits, rows, labels) -> Losses.crossEntropy(logits, labels);

    /**
     * Trains {@code net} for {@code epochs} over {@code data} in mini-batches drawn in a random order
     * from {@code seed}, calling {@code afterStep} after every optimizer step (null for none).
     *
     * @return the mean training loss of each epoch
     */
    static double[] train(
            Module net,
            TensorDataset data,
            int epochs,
            int batchSize,
            Optimizer opt,
            long seed,
            BatchLoss loss,
            Runnable afterStep) {
        Generator g = new Generator(seed);
        int n = data.size();
        double[] means = new double[epochs];
        net.train();
        for (int e = 0; e < epochs; e++) {
            Tensor order = Tensor.randperm(g, n);
            double sum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += batchSize) {
                Tensor rows = order.narrow(0, from, Math.min(batchSize, n - from));
                Tensor x = data.input().indexSelect(0, rows);
                Tensor y = data.target().indexSelect(0, rows);
                opt.zeroGrad();
                Variable l = loss.loss(net.call(Variable.constant(x)), rows, y);
                l.backward();
                opt.step();
                if (afterStep != null) {
                    afterStep.run();
                }
                sum += l.item();
                batches++;
            }
            means[e] = sum / batches;
        }
        return means;
    }

    /** The outputs of the model in evaluation mode, by batches of 1000, without gradients. */
    @SuppressWarnings("try")
    static Tensor logits(Module net, Tensor x) {
        boolean was = net.isTraining();
        net.eval();
        List<Tensor> parts = new ArrayList<>();
        try (var off = Autograd.noGrad()) {
            for (int from = 0; from < x.size(0); from += 1000) {
                parts.add(net.call(x.narrow(0, from, Math.min(1000, x.size(0) - from)))
                        .data());
            }
        }
        net.train(was);
        return Tensor.cat(parts, 0);
    }

    /** The fraction of rows whose largest logit is at the label. */
    static double accuracy(Tensor logits, Tensor labels) {
        int[] pred = logits.argmax(1, false).toIntArray();
        int[] y = labels.toIntArray();
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += pred[i] == y[i] ? 1 : 0;
        }
        return ok / (double) y.length;
    }

    /** The test accuracy of the model. */
    static double accuracy(Module net, TensorDataset data) {
        return accuracy(logits(net, data.input()), data.target());
    }

    /** Mean and sample standard deviation. */
    static double[] meanStd(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return new double[] {m, v.length > 1 ? Math.sqrt(s / (v.length - 1)) : 0};
    }

    /**
     * The median time of {@code reps} runs of each task, in milliseconds, the tasks interleaved (A, B, A,
     * B, ...) so that a change of load on a shared machine affects them alike; one warm-up run each.
     */
    static double[] interleavedMillis(int reps, Runnable... tasks) {
        double[][] t = new double[tasks.length][reps];
        for (Runnable r : tasks) {
            r.run();
        }
        for (int i = 0; i < reps; i++) {
            for (int k = 0; k < tasks.length; k++) {
                long s = System.nanoTime();
                tasks[k].run();
                t[k][i] = (System.nanoTime() - s) / 1e6;
            }
        }
        double[] med = new double[tasks.length];
        for (int k = 0; k < tasks.length; k++) {
            java.util.Arrays.sort(t[k]);
            med[k] = t[k][reps / 2];
        }
        return med;
    }
}
