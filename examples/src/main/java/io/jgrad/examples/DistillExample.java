package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015) on Fashion-MNIST: a CNN teacher, then a
 * small MLP student trained on its own and, with the same epochs and seeds, on the teacher's
 * temperature-softened predictions mixed with the labels.
 */
@Command(
        name = "distill",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Knowledge distillation on Fashion-MNIST: a CNN teacher (the fashion-mnist cnn) and a 784-64-10 MLP "
                    + "student, trained alone (cross entropy) and distilled (alpha * T^2 * KL of the softened teacher and student "
                    + "distributions + (1 - alpha) * cross entropy), with the same epochs, for --seeds seeds.",
            "Reports the teacher's test accuracy, the students' mean and spread (sample standard deviation) over the seeds, "
                    + "the parameter counts and sizes of both models, and the time each takes to classify the 10,000 test images "
                    + "(batches of 1000, median of 3 interleaved runs).",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class DistillExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--teacher-epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Epochs of the teacher " + "(default: ${DEFAULT-VALUE}).")
    int teacherEpochs;

    @Option(
            names = "--temperature",
            paramLabel = "T",
            defaultValue = "2",
            description = "Softmax temperature " + "(default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(
            names = "--alpha",
            paramLabel = "A",
            defaultValue = "0.5",
            description = "Weight of the teacher's term " + "(default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(
            names = "--seeds",
            paramLabel = "N",
            defaultValue = "3",
            description = "Student seeds (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "64",
            description = "Hidden units of the student " + "(default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    static Sequential student(int hidden) {
        return new Sequential(new Flatten(), new Linear(784, hidden), new ReLU(), new Linear(hidden, 10));
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (seeds < 1 || hidden < 1 || teacherEpochs < 1) {
            throw new UsageError("distill: --seeds, --hidden and --teacher-epochs must be at least 1");
        }
        if (!(temperature > 0) || !(alpha >= 0 && alpha <= 1)) {
            throw new UsageError("distill: --temperature must be positive and --alpha in [0, 1], got " + temperature
                    + " and " + alpha);
        }
        int epochs = common.epochsOr(10);
        TensorDataset[] sets = ExampleData.fashionStandardized(common.data, trainSize);
        TensorDataset train = sets[0];
        TensorDataset test = sets[1];
        common.stdout.printf(
                "distill: teacher cnn (%d epochs), student 784-%d-10 (%d epochs, %d seeds), T=%s alpha=%s, %d training"
                        + " images%n",
                teacherEpochs, hidden, epochs, seeds, temperature, alpha, train.size());

        Sequential teacher = FashionMnistExample.network(FashionMnistExample.Model.cnn, null);
        teacher.resetParameters(new Generator(common.seed));
        Classifiers.train(
                teacher,
                train,
                teacherEpochs,
                64,
                new Adam(teacher.parameters(), 1e-3),
                common.seed,
                Classifiers.CROSS_ENTROPY,
                null);
        double teacherAcc = Classifiers.accuracy(teacher, test);
        common.stdout.printf("teacher test accuracy %.4f%n", teacherAcc);
        // the teacher's logits of every training image, computed once
        Tensor soft = Classifiers.logits(teacher, train.input());

        double[] alone = new double[seeds];
        double[] distilled = new double[seeds];
        Sequential lastStudent = null;
        for (int s = 0; s < seeds; s++) {
            long seed = common.seed + s;
            Sequential a = student(hidden);
            a.resetParameters(new Generator(seed));
            Classifiers.train(
                    a, train, epochs, 128, new Adam(a.parameters(), 1e-3), seed, Classifiers.CROSS_ENTROPY, null);
            alone[s] = Classifiers.accuracy(a, test);
            Sequential d = student(hidden);
            d.resetParameters(new Generator(seed));
            Classifiers.train(
                    d,
                    train,
                    epochs,
                    128,
                    new Adam(d.parameters(), 1e-3),
                    seed,
                    (logits, rows, labels) ->
                            Losses.distillation(logits, soft.indexSelect(0, rows), labels, temperature, alpha),
                    null);
            distilled[s] = Classifiers.accuracy(d, test);
            lastStudent = d;
            common.stdout.printf("seed %d: student alone %.4f, distilled %.4f%n", seed, alone[s], distilled[s]);
        }
        double[] ma = Classifiers.meanStd(alone);
        double[] md = Classifiers.meanStd(distilled);
        Sequential st = lastStudent;
        double[] ms = Classifiers.interleavedMillis(
                3, () -> Classifiers.logits(teacher, test.input()), () -> Classifiers.logits(st, test.input()));
        common.stdout.printf(
                "%n%-22s %10s %12s %10s %16s%n", "model", "params", "bytes", "test acc", "10k images (ms)");
        common.stdout.printf(
                "%-22s %10d %12d %10.4f %16.1f%n",
                "teacher cnn", teacher.numParameters(), 4 * teacher.numParameters(), teacherAcc, ms[0]);
        common.stdout.printf(
                "%-22s %10d %12d %5.4f±%.4f %11.1f%n",
                "student alone", st.numParameters(), 4 * st.numParameters(), ma[0], ma[1], ms[1]);
        common.stdout.printf(
                "%-22s %10d %12d %5.4f±%.4f %11.1f%n",
                "student distilled", st.numParameters(), 4 * st.numParameters(), md[0], md[1], ms[1]);
        common.stdout.println("(times measured on a possibly shared machine)");
        new ResultLine()
                .put("seeds", seeds)
                .put("teacher_acc", teacherAcc, 4)
                .put("student_acc", ma[0], 4)
                .put("student_std", ma[1], 4)
                .put("distilled_acc", md[0], 4)
                .put("distilled_std", md[1], 4)
                .put("teacher_params", teacher.numParameters())
                .put("student_params", st.numParameters())
                .put("teacher_ms", ms[0], 1)
                .put("student_ms", ms[1], 1)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
