package io.jgrad.examples;

import io.jgrad.models.neat.Genome;
import io.jgrad.models.neat.Neat;
import io.jgrad.models.neat.TopologyImage;
import io.jgrad.models.neat.hyperneat.BoxesTask;
import io.jgrad.models.neat.hyperneat.HyperNeat;
import io.jgrad.models.neat.hyperneat.Substrate;
import io.jgrad.models.neat.hyperneat.SubstrateImage;
import io.jgrad.models.neat.hyperneat.SubstrateNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * HyperNEAT (Stanley, D'Ambrosio and Gauci 2009) on the paper's visual discrimination task: CPPNs evolved by
 * NEAT paint the 14,641 weights from an 11x11 retina to an 11x11 target field, whose most active node should be
 * the centre of the larger of two boxes. Each run's champion is scored on held-out placements at 11x11 and on
 * the same placements with the substrate resampled at higher resolutions, without further evolution. Run r uses
 * seed {@code --seed + r}.
 */
@Command(
        name = "hyperneat",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "HyperNEAT (Stanley, D'Ambrosio and Gauci 2009) on the paper's visual discrimination task: an 11x11 "
                    + "retina shows a 1x1 and a 3x3 box, and the most active node of the 11x11 target field must be the large "
                    + "box's centre. CPPNs (sine, Gaussian, sigmoid, tanh, linear and absolute-value nodes) are evolved by NEAT "
                    + "on the paper's 75 training placements; fitness 100 / (1 + mean squared distance), solved when all 75 "
                    + "are right. --epochs is the most generations per run.",
            "Each run's champion is scored on the 7,877 held-out placements at 11x11 and again with the substrate "
                    + "resampled at each --scales multiple (3 gives 33x33, boxes 3x3 and 9x9), distances in pixels of the "
                    + "11x11 field. --data is ignored. With --out, writes the best champion's CPPN (hyperneat_boxes_cppn.json "
                    + "and .png), its weight pattern (hyperneat_boxes_weights.png) and test placements with the answers "
                    + "at every resolution (hyperneat_boxes_fields.png)."
        })
public final class HyperNeatExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "10",
            description = "Seeded runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--population",
            paramLabel = "N",
            defaultValue = "150",
            description = "Population size (default: ${DEFAULT-VALUE}).")
    int population;

    @Option(
            names = "--scales",
            paramLabel = "S,...",
            split = ",",
            defaultValue = "3,5",
            description =
                    "Odd resolution multiples at which champions are also tested (default: ${DEFAULT-VALUE}, i.e. 33x33 and 55x55).")
    List<Integer> scales;

    @Option(
            names = "--distance-input",
            description = "Give the CPPN the distance between the two nodes as a fifth input.")
    boolean distanceInput;

    @Option(
            names = "--add-connection",
            paramLabel = "P",
            description = "Probability of the add-connection mutation (default: HyperNeat.neatOptions()'s).")
    Double addConnection;

    @Option(
            names = "--add-node",
            paramLabel = "P",
            description = "Probability of the add-node mutation (default: HyperNeat.neatOptions()'s).")
    Double addNode;

    @Option(names = "--verbose", description = "Print every generation of every run.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (runs < 1) {
            throw new UsageError("--runs must be at least 1, got " + runs);
        }
        if (population < 2) {
            throw new UsageError("--population must be at least 2, got " + population);
        }
        for (int s : scales) {
            if (s < 1 || s % 2 == 0 || s > 9) {
                throw new UsageError("--scales must list odd numbers from 1 to 9, got " + s);
            }
        }
        int maxGenerations = common.epochsOr(200);
        Substrate substrate = Substrate.sandwich(BoxesTask.FIELD, BoxesTask.FIELD);
        HyperNeat hyper = new HyperNeat(substrate, new HyperNeat.Options().distanceInput(distanceInput));
        BoxesTask task = new BoxesTask(hyper);
        List<BoxesTask.Trial> test = BoxesTask.testTrials();
        long t0 = System.nanoTime();
        common.stdout.printf(
                "hyperneat: boxes task, %d runs, population %d, at most %d generations each; substrate %s "
                        + "(%d connections), CPPN %d inputs; %d training and %d held-out placements%n",
                runs,
                population,
                maxGenerations,
                substrate,
                substrate.connectionCount(),
                hyper.cppnInputs(),
                task.trials().size(),
                test.size());
        int solved = 0;
        double gens = 0;
        double[] dist = new double[scales.size() + 1];
        double[] success = new double[scales.size() + 1];
        double[] near = new double[scales.size() + 1];
        Genome champion = null;
        double championDistance = Double.POSITIVE_INFINITY;
        for (int r = 0; r < runs; r++) {
            long seed = common.seed + r;
            Neat.Options opts =
                    HyperNeat.neatOptions().populationSize(population).seed(seed);
            if (addConnection != null) {
                opts.addConnectionProbability(addConnection);
            }
            if (addNode != null) {
                opts.addNodeProbability(addNode);
            }
            Neat neat = hyper.neat(opts);
            final int run = r + 1;
            Neat.Result res = neat.run(
                    task,
                    maxGenerations,
                    verbose
                            ? g -> common.stdout.printf(
                                    "  run %d generation %d: best %.3f, mean %.3f, %d species, %.2f hidden, %.2f connections%n",
                                    run,
                                    g.generation(),
                                    g.bestFitness(),
                                    g.meanFitness(),
                                    g.species(),
                                    g.meanHidden(),
                                    g.meanConnections())
                            : null);
            Genome best = res.best();
            if (res.solved()) {
                solved++;
            }
            gens += res.generations();
            BoxesTask.Score train = task.score(best);
            BoxesTask.Score t11 = BoxesTask.score(hyper.build(best), test);
            dist[0] += t11.meanDistance();
            success[0] += t11.successRate();
            near[0] += t11.withinHalfPixelRate();
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "run %d (seed %d): %s in generation %d, CPPN %d hidden / %d connections; training: distance %.3f, "
                            + "right %.3f; held-out 11x11: distance %.4f, right %.4f",
                    run,
                    seed,
                    res.solved() ? "solved" : "not solved",
                    res.generations(),
                    best.hiddenCount(),
                    best.enabledConnectionCount(),
                    train.meanDistance(),
                    train.successRate(),
                    t11.meanDistance(),
                    t11.successRate()));
            for (int k = 0; k < scales.size(); k++) {
                int s = scales.get(k);
                SubstrateNetwork big = hyper.on(substrate.resampled(s)).build(best);
                BoxesTask.Score ts = BoxesTask.score(big, test);
                dist[k + 1] += ts.meanDistance();
                success[k + 1] += ts.successRate();
                near[k + 1] += ts.withinHalfPixelRate();
                line.append(String.format(
                        Locale.ROOT,
                        "; %dx%d: distance %.4f, right %.4f, centre block %.4f",
                        11 * s,
                        11 * s,
                        ts.meanDistance(),
                        ts.successRate(),
                        ts.withinHalfPixelRate()));
            }
            common.stdout.println(line);
            if (t11.meanDistance() < championDistance) {
                championDistance = t11.meanDistance();
                champion = best;
            }
        }
        for (int k = 0; k < dist.length; k++) {
            dist[k] /= runs;
            success[k] /= runs;
            near[k] /= runs;
        }
        common.stdout.printf(
                "boxes: solved %d of %d runs, %.1f generations on average; held-out 11x11: mean distance %.4f, "
                        + "right %.4f%n",
                solved, runs, gens / runs, dist[0], success[0]);
        for (int k = 0; k < scales.size(); k++) {
            int n = 11 * scales.get(k);
            common.stdout.printf(
                    "  resampled at %dx%d without further evolution: mean distance %.4f (11x11 pixels), exact "
                            + "centre %.4f, within the centre block %.4f%n",
                    n, n, dist[k + 1], success[k + 1], near[k + 1]);
        }
        writePictures(hyper, champion, test);
        ResultLine result = new ResultLine()
                .put("task", "boxes")
                .put("runs", runs)
                .put("solved", solved)
                .put("mean_distance", dist[0], 4)
                .put("success", success[0], 4)
                .put("generations", gens / runs, 1);
        for (int k = 0; k < scales.size(); k++) {
            int n = 11 * scales.get(k);
            result.put("mean_distance_" + n, dist[k + 1], 4).put("success_" + n, success[k + 1], 4);
        }
        result.seconds(t0).print(common.stdout);
        return 0;
    }

    private void writePictures(HyperNeat hyper, Genome champion, List<BoxesTask.Trial> test) throws Exception {
        Path json = common.outFile("hyperneat_boxes_cppn.json");
        if (json == null || champion == null) {
            return;
        }
        champion.save(json);
        Path topo = common.outFile("hyperneat_boxes_cppn.png");
        TopologyImage.write(champion, topo, 640, 480);
        Path weights = common.outFile("hyperneat_boxes_weights.png");
        SubstrateImage.writeWeights(hyper.build(champion), 0, weights, 4);
        // four held-out placements spread over the test set: retina and target field at each resolution
        List<List<SubstrateImage.Heatmap>> rows = new ArrayList<>();
        List<Integer> all = new ArrayList<>(List.of(1));
        all.addAll(scales);
        List<SubstrateNetwork> nets = new ArrayList<>();
        for (int s : all) {
            nets.add(hyper.on(hyper.substrate().resampled(s)).build(champion));
        }
        for (int q = 0; q < 4; q++) {
            BoxesTask.Trial t = test.get((int) ((long) q * test.size() / 4 + test.size() / 8));
            List<SubstrateImage.Heatmap> row = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                int s = all.get(k);
                int n = 11 * s;
                double[] in = BoxesTask.field(t, s);
                double[] out = nets.get(k).activate(in);
                int answer = BoxesTask.argmax(out);
                row.add(new SubstrateImage.Heatmap(n, n, in, -1, n + "x" + n + " retina"));
                row.add(new SubstrateImage.Heatmap(
                        n,
                        n,
                        out,
                        answer,
                        String.format(Locale.ROOT, "field, d=%.2f", BoxesTask.distance(t, answer, s))));
            }
            rows.add(row);
        }
        Path fields = common.outFile("hyperneat_boxes_fields.png");
        SubstrateImage.writeHeatmaps(fields, rows, 165);
        common.stdout.println("wrote " + json + ", " + topo + ", " + weights + " and " + fields);
    }
}
