package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * Monte Carlo dropout (Gal and Ghahramani, 2016): prediction with the dropout layers kept active,
 * repeated to estimate the predictive mean and its uncertainty. Every other layer runs in evaluation
 * mode (batch norm uses its running statistics), nothing is recorded for gradients, and the modes of
 * the model are restored afterwards.
 *
 * <pre>{@code
 * MonteCarloDropout.Result r = MonteCarloDropout.predict(model, x, 50);
 * Tensor mean = r.mean();   // same shape as model.forward(x)
 * Tensor std = r.std();
 * }</pre>
 */
public final class MonteCarloDropout {
    private MonteCarloDropout() {}

    /** The element-wise mean and standard deviation of the outputs over the passes. */
    public static final class Result {
        private final Tensor mean;
        private final Tensor std;

        Result(Tensor mean, Tensor std) {
            this.mean = mean;
            this.std = std;
        }

        /**
         * The mean output.
         *
         * @return a tensor of the output's shape and type
         */
        public Tensor mean() {
            return mean;
        }

        /**
         * The population standard deviation of the outputs (divided by the number of passes).
         *
         * @return a tensor of the output's shape and type
         */
        public Tensor std() {
            return std;
        }
    }

    /**
     * Runs {@code passes} stochastic forward passes and summarizes them.
     *
     * @param model the model; its dropout layers draw from their generator
     * @param input the input batch
     * @param passes the number of passes (at least 1)
     * @return the mean and standard deviation of the outputs
     */
    public static Result predict(Module model, Tensor input, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("MonteCarloDropout.predict: passes must be at least 1, got " + passes);
        }
        var modes = model.saveModes();
        double[] mean = null;
        double[] m2 = null;
        int[] shape = null;
        DType dtype = null;
        try (var off = Autograd.noGrad()) {
            model.eval();
            for (Module m : model.modules()) {
                if (m instanceof BaseDropout) {
                    m.setTrainingFlag(true);
                }
            }
            Variable x = Variable.constant(input);
            for (int k = 1; k <= passes; k++) {
                Tensor y = model.call(x).data();
                double[] v = y.toDoubleArray();
                if (mean == null) {
                    mean = new double[v.length];
                    m2 = new double[v.length];
                    shape = y.shape();
                    dtype = y.dtype();
                }
                // Welford's update: stable for many passes
                for (int i = 0; i < v.length; i++) {
                    double d = v[i] - mean[i];
                    mean[i] += d / k;
                    m2[i] += d * (v[i] - mean[i]);
                }
            }
        } finally {
            Module.restoreModes(modes);
        }
        double[] std = new double[m2.length];
        for (int i = 0; i < std.length; i++) {
            std[i] = Math.sqrt(Math.max(m2[i], 0) / passes);
        }
        return new Result(
                Tensor.wrap(mean).reshape(shape).to(dtype),
                Tensor.wrap(std).reshape(shape).to(dtype));
    }
}
