package io.jgrad.models.neat;

/**
 * The XOR task of Stanley and Miikkulainen 2002 (section 4.2): a network of two inputs (and the bias) and
 * one output is shown the four input patterns; its fitness is {@code (4 - sum |output - target|)^2}, and it
 * solves the task when every output is on the right side of 0.5. Stateless and thread-safe.
 */
public final class XorTask implements Neat.Evaluator {
    private static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final double[] TARGETS = {0, 1, 1, 0};

    @Override
    public Neat.Evaluation evaluate(Genome genome) {
        if (genome.inputCount() != 2 || genome.outputCount() != 1) {
            throw new IllegalArgumentException("XorTask: expected a genome of 2 inputs and 1 output, got "
                    + genome.inputCount() + " and " + genome.outputCount());
        }
        Network net = genome.network();
        double error = 0;
        boolean solved = true;
        for (int k = 0; k < 4; k++) {
            double y = net.activate(INPUTS[k])[0];
            error += Math.abs(y - TARGETS[k]);
            solved &= TARGETS[k] > 0.5 ? y > 0.5 : y < 0.5;
        }
        double f = 4 - error;
        return new Neat.Evaluation(f * f, solved);
    }
}
