package io.jgrad.examples;

import io.jgrad.models.neat.DoublePoleTask;
import io.jgrad.models.neat.Genome;
import io.jgrad.models.neat.Neat;
import io.jgrad.models.neat.TopologyImage;
import io.jgrad.models.neat.XorTask;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * NEAT (Stanley and Miikkulainen 2002) on the paper's benchmarks, repeated over seeded runs: XOR (the paper:
 * 32 generations, 4,755 evaluations, 2.35 hidden nodes on average, no failure in 100 runs) and double pole
 * balancing with velocities (the paper: 3,600 evaluations on average). Run r uses seed {@code --seed + r}.
 */
@Command(
        name = "neat",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "NEAT (Stanley and Miikkulainen 2002) over seeded runs: XOR, or double pole balancing with "
                    + "velocities (100,000 steps). Population 150 and the paper's parameters. --epochs is the most "
                    + "generations per run.",
            "--data is ignored. With --out, writes neat_<task>_best.json (the smallest solution) and "
                    + "neat_<task>_best.png."
        })
public final class NeatExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--task",
            paramLabel = "TASK",
            defaultValue = "xor",
            description = "xor or double-pole (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--runs", paramLabel = "N", description = "Seeded runs (default: 100).")
    Integer runs;

    @Option(
            names = "--population",
            paramLabel = "N",
            defaultValue = "150",
            description = "Population size (default: ${DEFAULT-VALUE}).")
    int population;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "100000",
            description = "double-pole: steps to balance for a solution (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--verbose", description = "Print every generation of every run.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        common.apply();
        boolean xor;
        if (task.equals("xor")) {
            xor = true;
        } else if (task.equals("double-pole")) {
            xor = false;
        } else {
            throw new UsageError("--task must be xor or double-pole, got '" + task + "'");
        }
        int n = runs == null ? 100 : runs;
        if (n < 1) {
            throw new UsageError("--runs must be at least 1, got " + n);
        }
        if (population < 2) {
            throw new UsageError("--population must be at least 2, got " + population);
        }
        if (steps < 1) {
            throw new UsageError("--steps must be at least 1, got " + steps);
        }
        int maxGenerations = common.epochsOr(xor ? 200 : 500);
        Neat.Evaluator evaluator = xor ? new XorTask() : new DoublePoleTask(steps);
        long t0 = System.nanoTime();
        common.stdout.printf(
                "neat: task %s, %d runs, population %d, at most %d generations each%n",
                task, n, population, maxGenerations);
        int solved = 0;
        double gens = 0;
        double evals = 0;
        double hidden = 0;
        Genome smallest = null;
        for (int r = 0; r < n; r++) {
            long seed = common.seed + r;
            Neat neat = new Neat(
                    xor ? 2 : 6,
                    1,
                    new Neat.Options().populationSize(population).seed(seed));
            final int run = r + 1;
            Neat.Result res = neat.run(
                    evaluator,
                    maxGenerations,
                    verbose
                            ? g -> common.stdout.printf(
                                    "  run %d generation %d: best %.4f, mean %.4f, %d species, %.2f hidden, %.2f connections%n",
                                    run,
                                    g.generation(),
                                    g.bestFitness(),
                                    g.meanFitness(),
                                    g.species(),
                                    g.meanHidden(),
                                    g.meanConnections())
                            : null);
            Genome b = res.best();
            if (res.solved()) {
                solved++;
                gens += res.generations();
                evals += res.evaluations();
                hidden += b.hiddenCount();
                if (smallest == null
                        || b.hiddenCount() < smallest.hiddenCount()
                        || (b.hiddenCount() == smallest.hiddenCount()
                                && b.enabledConnectionCount() < smallest.enabledConnectionCount())) {
                    smallest = b;
                }
                common.stdout.printf(
                        "run %d (seed %d): solved in generation %d after %d evaluations, %d hidden nodes, "
                                + "%d enabled connections%n",
                        run, seed, res.generations(), res.evaluations(), b.hiddenCount(), b.enabledConnectionCount());
            } else {
                common.stdout.printf(
                        "run %d (seed %d): not solved in %d generations (%d evaluations), best fitness %.4f%n",
                        run, seed, res.generations(), res.evaluations(), b.fitness());
            }
        }
        double meanGen = gens / solved;
        double meanEval = evals / solved;
        double meanHidden = hidden / solved;
        if (xor) {
            common.stdout.printf(
                    "XOR: solved %d of %d; over the solved runs %.2f generations, %.1f evaluations, %.2f hidden "
                            + "nodes (paper: 100 of 100, 32 generations, 4,755 evaluations, 2.35 hidden nodes)%n",
                    solved, n, meanGen, meanEval, meanHidden);
        } else {
            common.stdout.printf(
                    "double pole with velocities: solved %d of %d; over the solved runs %.1f evaluations, %.2f "
                            + "generations, %.2f hidden nodes (paper: 3,600 evaluations)%n",
                    solved, n, meanEval, meanGen, meanHidden);
        }
        if (smallest != null) {
            Path json = common.outFile("neat_" + task + "_best.json");
            if (json != null) {
                smallest.save(json);
                Path png = common.outFile("neat_" + task + "_best.png");
                TopologyImage.write(smallest, png, 640, 480);
                common.stdout.println("wrote " + json + " and " + png);
            }
        }
        ResultLine line = new ResultLine().put("task", task).put("runs", n).put("solved", solved);
        if (xor) {
            line.put("mean_generations", meanGen, 2)
                    .put("mean_evaluations", meanEval, 1)
                    .put("mean_hidden", meanHidden, 2);
        } else {
            line.put("mean_evaluations", meanEval, 1)
                    .put("mean_generations", meanGen, 2)
                    .put("mean_hidden", meanHidden, 2);
        }
        line.seconds(t0).print(common.stdout);
        return 0;
    }
}
