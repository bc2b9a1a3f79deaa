package io.jgrad.examples;

import io.jgrad.models.rl.CartPole;
import io.jgrad.models.rl.DQN;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A deep Q-network (Mnih et al. 2015) on the single-pole cart-pole with the rules of Gym's CartPole-v1
 * (500-step episodes, reward 1 per step, termination at 12 degrees or 2.4 m), over several seeds: the
 * episodes until the mean return of the last 100 training episodes reaches 475 (Gym's "solved").
 */
@Command(
        name = "dqn",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Deep Q-network (Mnih et al. 2015) on cart-pole with the CartPole-v1 rules, over seeds --seed, "
                    + "--seed+1, ...: "
                    + "episodes until the last 100 training episodes average 475. --epochs is the most episodes per "
                    + "seed.",
            "--data is ignored. With --out, writes dqn_returns.csv and dqn_learning_curve.png."
        })
public final class DqnExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Seeds (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "128",
            description = "Width of both hidden layers (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "2.5e-4",
            description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--gamma",
            paramLabel = "G",
            defaultValue = "0.99",
            description = "Discount factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "64",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--buffer",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Replay memory capacity (default: ${DEFAULT-VALUE}).")
    int buffer;

    @Option(
            names = "--target-every",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Steps between target network copies (default: ${DEFAULT-VALUE}).")
    int targetEvery;

    @Option(
            names = "--epsilon-steps",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Steps over which epsilon falls from 1 to 0.01 (default: ${DEFAULT-VALUE}).")
    int epsilonSteps;

    @Option(
            names = "--learning-starts",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Steps before the first update (default: ${DEFAULT-VALUE}).")
    int learningStarts;

    @Option(
            names = "--max-steps",
            paramLabel = "N",
            defaultValue = "500",
            description = "Episode length limit (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(
            names = "--threshold",
            paramLabel = "R",
            description = "Mean return over 100 episodes that counts as solved "
                    + "(default: 0.95 x --max-steps, 475 for 500).")
    Double threshold;

    @Option(
            names = "--pause-window",
            paramLabel = "N",
            defaultValue = "10",
            description = "Learning pauses in episodes that start while the last N returns average at least the solved "
                    + "threshold, and resumes when they fall below; 0 never pauses (default: ${DEFAULT-VALUE}).")
    int pauseWindow;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (seeds < 1) {
            throw new UsageError("--seeds must be at least 1, got " + seeds);
        }
        if (maxSteps < 1) {
            throw new UsageError("--max-steps must be at least 1, got " + maxSteps);
        }
        int maxEpisodes = common.epochsOr(1500);
        double goal = threshold == null ? 0.95 * maxSteps : threshold;
        DQN.Options base;
        try {
            base = new DQN.Options()
                    .hidden(hidden, hidden)
                    .learningRate(lr)
                    .gamma(gamma)
                    .batchSize(batchSize)
                    .bufferCapacity(buffer)
                    .targetUpdateEvery(targetEvery)
                    .epsilon(1.0, 0.01, epsilonSteps)
                    .learningStarts(learningStarts)
                    .pauseUpdatesAbove(goal, pauseWindow);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        long t0 = System.nanoTime();
        common.stdout.printf(
                "dqn: cart-pole (%d-step episodes), %d seeds, at most %d episodes each, solved at a 100-episode "
                        + "mean of %.1f%n",
                maxSteps, seeds, maxEpisodes, goal);
        int solved = 0;
        double episodes = 0;
        List<double[]> curves = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            long seed = common.seed + k;
            long ts = System.nanoTime();
            DQN agent = new DQN(4, 2, base.seed(seed));
            DQN.Training t = agent.train(new CartPole(maxSteps), maxEpisodes, 100, goal, e -> {
                if (e.episode() % 50 == 0) {
                    common.stdout.printf(
                            "  seed %d episode %d: return %.0f, mean of last 100 %.1f, epsilon %.3f, %d steps%n",
                            seed, e.episode(), e.ret(), e.average(), e.epsilon(), e.steps());
                }
            });
            curves.add(t.returns());
            if (t.solved()) {
                solved++;
                episodes += t.solvedAt();
                common.stdout.printf(
                        "seed %d: solved at episode %d (%d steps, %d updates, learning paused in %d episodes, "
                                + "%.1f s)%n",
                        seed,
                        t.solvedAt(),
                        t.steps(),
                        agent.updates(),
                        agent.pausedEpisodes(),
                        (System.nanoTime() - ts) / 1e9);
            } else {
                common.stdout.printf(
                        "seed %d: not solved in %d episodes (%d steps, %d updates, learning paused in %d "
                                + "episodes, %.1f s)%n",
                        seed,
                        maxEpisodes,
                        t.steps(),
                        agent.updates(),
                        agent.pausedEpisodes(),
                        (System.nanoTime() - ts) / 1e9);
            }
        }
        Path csv = common.outFile("dqn_returns.csv");
        if (csv != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
                w.println("seed,episode,return,mean100");
                for (int k = 0; k < curves.size(); k++) {
                    double[] r = curves.get(k);
                    double[] m = movingMean(r, 100);
                    for (int i = 0; i < r.length; i++) {
                        w.printf(Locale.ROOT, "%d,%d,%.0f,%.2f%n", common.seed + k, i + 1, r[i], m[i]);
                    }
                }
            }
            LineChart chart =
                    new LineChart("DQN on cart-pole: mean return of the last 100 episodes", "episode", "mean return");
            for (int k = 0; k < curves.size(); k++) {
                chart.addAll("seed " + (common.seed + k), 1, movingMean(curves.get(k), 100));
            }
            chart.add("solved (" + goal + ")", 1, goal).add("solved (" + goal + ")", maxEpisodes, goal);
            Path png = common.outFile("dqn_learning_curve.png");
            chart.write(png, 900, 500);
            common.stdout.println("wrote " + csv + " and " + png);
        }
        new ResultLine()
                .put("seeds", seeds)
                .put("solved", solved)
                .put("mean_episodes", episodes / solved, 1)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    /** The mean of the last {@code w} values (fewer at the start) at each index. */
    static double[] movingMean(double[] r, int w) {
        double[] m = new double[r.length];
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += r[i];
            if (i >= w) {
                sum -= r[i - w];
            }
            m[i] = sum / Math.min(w, i + 1);
        }
        return m;
    }
}
