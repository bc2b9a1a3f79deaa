package io.jgrad.models.neat;

import io.jgrad.models.rl.DoublePoleCart;

/**
 * Double pole balancing with velocities, the Markovian task of Stanley and Miikkulainen 2002 (section 4.3,
 * after Wieland 1991 and Gruau et al. 1996) on a {@link DoublePoleCart}: the network sees the six state
 * variables scaled as in the NEAT code ({@code x / 4.8, x' / 2, theta_i / 0.52, theta_i' / 2}) plus the bias,
 * and its single output o in (0, 1) pushes the cart with {@code (2 o - 1) * 10 N} every 0.02 s. The fitness is
 * the number of decisions before failure, and the task is solved when both poles stay up for
 * {@link #steps()} decisions (100,000 in the paper, about 33 minutes of simulated time). Deterministic and
 * thread-safe.
 */
public final class DoublePoleTask implements Neat.Evaluator {
    private final int steps;

    /** The paper's task: 100,000 steps. */
    public DoublePoleTask() {
        this(100_000);
    }

    /**
     * A task solved by balancing for {@code steps} decisions.
     *
     * @param steps at least 1
     */
    public DoublePoleTask(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("DoublePoleTask: steps must be at least 1, got " + steps);
        }
        this.steps = steps;
    }

    /** The decisions needed to solve the task. */
    public int steps() {
        return steps;
    }

    /** The decisions for which {@code genome} keeps the poles up from the standard start, at most {@link #steps()}. */
    public int balance(Genome genome) {
        if (genome.inputCount() != 6 || genome.outputCount() != 1) {
            throw new IllegalArgumentException("DoublePoleTask: expected a genome of 6 inputs and 1 output, got "
                    + genome.inputCount() + " and " + genome.outputCount());
        }
        Network net = genome.network();
        DoublePoleCart cart = new DoublePoleCart();
        double[] in = new double[6];
        int t = 0;
        while (t < steps) {
            double[] s = cart.state();
            in[0] = s[0] / 4.8;
            in[1] = s[1] / 2;
            in[2] = s[2] / 0.52;
            in[3] = s[3] / 2;
            in[4] = s[4] / 0.52;
            in[5] = s[5] / 2;
            double o = net.activate(in)[0];
            boolean ok = cart.step(2 * o - 1);
            if (!ok) {
                break;
            }
            t++;
        }
        return t;
    }

    @Override
    public Neat.Evaluation evaluate(Genome genome) {
        int t = balance(genome);
        return new Neat.Evaluation(t, t >= steps);
    }
}
