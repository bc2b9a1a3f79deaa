package io.jgrad.models.neat;

import io.jgrad.core.kernel.Parallel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * NeuroEvolution of Augmenting Topologies, following Stanley and Miikkulainen 2002, "Evolving neural
 * networks through augmenting topologies" (Evolutionary Computation 10(2)). A population of {@link Genome}s
 * starts from minimal networks (every input and the bias joined to every output) and grows by mutation; each
 * generation:
 * <ol>
 *   <li>speciation (section 3.3): each genome joins the first species whose representative (a random member
 *       of the previous generation) lies within the compatibility threshold, else founds a new species;</li>
 *   <li>evaluation: the fitness of every genome, computed in parallel on {@link Parallel#threads()} threads
 *       (the {@link Evaluator} must be thread-safe and deterministic);</li>
 *   <li>explicit fitness sharing: a genome's adjusted fitness is its fitness divided by its species' size,
 *       and each species gets offspring in proportion to its summed adjusted fitness (largest remainders
 *       first); a species whose best fitness has not improved for {@link Options#stagnationLimit} generations
 *       gets none, unless it holds the generation's best genome; when the population's best fitness has
 *       not improved for {@link Options#populationStagnationLimit} generations, only the two best species
 *       reproduce (as in Stanley's NEAT code);</li>
 *   <li>reproduction (section 4.1): the champion of each species of more than five genomes is copied
 *       unchanged; the other offspring come from the best {@link Options#survivalThreshold} of the species,
 *       25% by mutation alone and the rest by crossover (the other parent from another species with
 *       probability 0.001), then mutation: a new node with probability 0.03, else a new connection with
 *       probability 0.05, else the weights with probability 0.8 (each perturbed, or replaced with
 *       probability 0.1).</li>
 * </ol>
 * For compositional pattern producing networks (CPPNs, the genomes of HyperNEAT), {@link Options#hiddenActivations}
 * gives new hidden nodes a function drawn from a set, {@link Options#outputActivation} sets the outputs' function,
 * and {@link Options#activationMutationProbability} lets a hidden node's function change; at their defaults the
 * run is plain NEAT, random sequence included.
 * All randomness is drawn from one seeded generator in the single-threaded evolution loop, so a run is
 * reproducible, whatever the thread count. Defaults are the paper's (population 150, {@code c1 = c2 = 1},
 * {@code c3 = 0.4}, threshold 3, stagnation 15 generations).
 */
public final class Neat {
    /** Evolution options; every setter checks its value and returns this. */
    public static final class Options {
        int populationSize = 150;
        double c1 = 1.0;
        double c2 = 1.0;
        double c3 = 0.4;
        double compatibilityThreshold = 3.0;
        int stagnationLimit = 15;
        int populationStagnationLimit = 20;
        double survivalThreshold = 0.2;
        double mutateOnlyProbability = 0.25;
        double interspeciesProbability = 0.001;
        double addNodeProbability = 0.03;
        double addConnectionProbability = 0.05;
        double weightMutationProbability = 0.8;
        double weightReplaceProbability = 0.1;
        double weightPower = 2.5;
        double weightInitRange = 2.5;
        double weightLimit = 8.0;
        double disableProbability = 0.75;
        int eliteMinSpeciesSize = 6;
        long seed = 1;
        List<Activation> hiddenActivations = List.of(Activation.SIGMOID);
        Activation outputActivation = Activation.SIGMOID;
        double activationMutationProbability = 0.0;

        private static double probability(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("Neat.Options: " + name + " must be in [0, 1], got " + p);
            }
            return p;
        }

        private static double positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("Neat.Options: " + name + " must be positive and finite, got " + v);
            }
            return v;
        }

        private static double nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(
                        "Neat.Options: " + name + " must be at least 0 and finite, got " + v);
            }
            return v;
        }

        /** Genomes per generation, at least 2 (default 150). */
        public Options populationSize(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("Neat.Options: population size must be at least 2, got " + n);
            }
            this.populationSize = n;
            return this;
        }

        /** The compatibility coefficients of excess genes, disjoint genes and weight differences (default 1, 1, 0.4). */
        public Options compatibility(double c1, double c2, double c3) {
            this.c1 = nonNegative("c1", c1);
            this.c2 = nonNegative("c2", c2);
            this.c3 = nonNegative("c3", c3);
            return this;
        }

        /** The compatibility threshold delta_t, positive (default 3). */
        public Options compatibilityThreshold(double t) {
            this.compatibilityThreshold = positive("compatibility threshold", t);
            return this;
        }

        /** Generations without improvement after which a species stops reproducing, at least 1 (default 15). */
        public Options stagnationLimit(int g) {
            if (g < 1) {
                throw new IllegalArgumentException("Neat.Options: stagnation limit must be at least 1, got " + g);
            }
            this.stagnationLimit = g;
            return this;
        }

        /**
         * Generations without improvement of the population's best fitness after which only the two best
         * species reproduce (the "delta coding" of Stanley's NEAT code), at least 1 (default 20).
         */
        public Options populationStagnationLimit(int g) {
            if (g < 1) {
                throw new IllegalArgumentException(
                        "Neat.Options: population stagnation limit must be at least 1, got " + g);
            }
            this.populationStagnationLimit = g;
            return this;
        }

        /** The share of each species (its best) allowed to be parents, in (0, 1] (default 0.2). */
        public Options survivalThreshold(double s) {
            if (!(s > 0 && s <= 1)) {
                throw new IllegalArgumentException("Neat.Options: survival threshold must be in (0, 1], got " + s);
            }
            this.survivalThreshold = s;
            return this;
        }

        /** The share of offspring made by mutation without crossover (default 0.25). */
        public Options mutateOnlyProbability(double p) {
            this.mutateOnlyProbability = probability("mutate-only probability", p);
            return this;
        }

        /** The chance that a crossover's second parent comes from another species (default 0.001). */
        public Options interspeciesProbability(double p) {
            this.interspeciesProbability = probability("interspecies probability", p);
            return this;
        }

        /** The chance of the add-node mutation (default 0.03). */
        public Options addNodeProbability(double p) {
            this.addNodeProbability = probability("add-node probability", p);
            return this;
        }

        /** The chance of the add-connection mutation (default 0.05; the paper uses 0.3 for large populations). */
        public Options addConnectionProbability(double p) {
            this.addConnectionProbability = probability("add-connection probability", p);
            return this;
        }

        /** The chance that an offspring's weights are mutated (default 0.8). */
        public Options weightMutationProbability(double p) {
            this.weightMutationProbability = probability("weight mutation probability", p);
            return this;
        }

        /** The chance that a mutated weight gets a new random value instead of a perturbation (default 0.1). */
        public Options weightReplaceProbability(double p) {
            this.weightReplaceProbability = probability("weight replace probability", p);
            return this;
        }

        /** The half-width of a weight perturbation, positive (default 2.5, as in Stanley's NEAT C++ XOR setup). */
        public Options weightPower(double p) {
            this.weightPower = positive("weight power", p);
            return this;
        }

        /**
         * The half-width of new random weights (initial, replacement and new-connection weights), positive
         * (default 2.5, the perturbation power, as in Stanley's NEAT code; with 1, XOR needed about 20% more
         * evaluations and failed in a few of 100 runs).
         */
        public Options weightInitRange(double r) {
            this.weightInitRange = positive("weight init range", r);
            return this;
        }

        /** The largest weight magnitude, positive (default 8). */
        public Options weightLimit(double l) {
            this.weightLimit = positive("weight limit", l);
            return this;
        }

        /** The chance that a gene disabled in either parent stays disabled in the child (default 0.75). */
        public Options disableProbability(double p) {
            this.disableProbability = probability("disable probability", p);
            return this;
        }

        /**
         * The activation functions a new hidden node may get, drawn uniformly (default {@link Activation#SIGMOID}
         * alone, plain NEAT). For CPPNs (HyperNEAT) give several, such as sine, Gaussian, sigmoid, tanh, linear
         * and absolute value.
         */
        public Options hiddenActivations(Activation... choices) {
            if (choices == null || choices.length == 0) {
                throw new IllegalArgumentException("Neat.Options: hidden activations must list at least one function");
            }
            List<Activation> list = new ArrayList<>();
            for (Activation a : choices) {
                if (a == null) {
                    throw new IllegalArgumentException("Neat.Options: hidden activations must not contain null");
                }
                if (!list.contains(a)) {
                    list.add(a);
                }
            }
            this.hiddenActivations = List.copyOf(list);
            return this;
        }

        /** The activation function of the output nodes (default {@link Activation#SIGMOID}). */
        public Options outputActivation(Activation a) {
            if (a == null) {
                throw new IllegalArgumentException("Neat.Options: output activation must not be null");
            }
            this.outputActivation = a;
            return this;
        }

        /**
         * The chance that an offspring has one hidden node's activation function replaced by another of
         * {@link #hiddenActivations} (default 0: plain NEAT, and no random number drawn for it).
         */
        public Options activationMutationProbability(double p) {
            this.activationMutationProbability = probability("activation mutation probability", p);
            return this;
        }

        /** The seed of the evolution's random generator (default 1). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }

        /** The population size. */
        public int populationSize() {
            return populationSize;
        }
    }

    /**
     * What evaluating one genome gave.
     *
     * @param fitness the fitness, finite and at least 0 (higher is better)
     * @param solved whether the genome solves the task (the run stops in its generation)
     */
    public record Evaluation(double fitness, boolean solved) {
        /**
         * An evaluation.
         *
         * @throws IllegalArgumentException for a negative or non-finite fitness
         */
        public Evaluation {
            if (!(fitness >= 0) || Double.isInfinite(fitness)) {
                throw new IllegalArgumentException(
                        "Neat.Evaluation: fitness must be finite and at least 0, got " + fitness);
            }
        }
    }

    /** Evaluates a genome; called from several threads at once, so it must be thread-safe and deterministic. */
    @FunctionalInterface
    public interface Evaluator {
        /** The genome's fitness and whether it solves the task. */
        Evaluation evaluate(Genome genome);
    }

    /**
     * One generation's statistics.
     *
     * @param generation the generation, from 1
     * @param bestFitness the best fitness of the generation
     * @param meanFitness the mean fitness
     * @param species the number of species
     * @param meanHidden the mean number of hidden nodes
     * @param meanConnections the mean number of enabled connections
     */
    public record Generation(
            int generation,
            double bestFitness,
            double meanFitness,
            int species,
            double meanHidden,
            double meanConnections) {}

    /**
     * The outcome of {@link #run}.
     *
     * @param solved whether a genome solved the task
     * @param generations the generation of the solution (from 1), or the generations run when unsolved
     * @param evaluations genomes evaluated up to and including the first solution in population order (the
     *     count a serial run would stop at), or all evaluated when unsolved
     * @param best the solution, or the fittest genome seen when unsolved
     * @param history one entry per generation
     */
    public record Result(boolean solved, int generations, long evaluations, Genome best, List<Generation> history) {}

    /** A listener told about each generation as it ends. */
    @FunctionalInterface
    public interface Listener {
        /** Called once per generation, on the evolution thread. */
        void generation(Generation g);
    }

    private static final class Species {
        Genome representative;
        final List<Genome> members = new ArrayList<>();
        double bestFitness = Double.NEGATIVE_INFINITY;
        int lastImproved;

        Species(Genome representative, int generation) {
            this.representative = representative;
            this.lastImproved = generation;
        }
    }

    private final Options options;
    private final Random rng;
    private final InnovationTracker tracker;
    private final List<Species> species = new ArrayList<>();
    private List<Genome> population = new ArrayList<>();
    private double populationBest = Double.NEGATIVE_INFINITY;
    private int populationImproved;

    /**
     * A NEAT run for networks of {@code inputs} inputs and {@code outputs} outputs.
     *
     * @param inputs the inputs, at least 1 (a bias is added)
     * @param outputs the outputs, at least 1
     * @param options the options (copied when the run is made: later changes have no effect)
     */
    public Neat(int inputs, int outputs, Options options) {
        if (options == null) {
            throw new IllegalArgumentException("Neat: options must not be null");
        }
        this.tracker = new InnovationTracker(inputs, outputs);
        this.options = copy(options);
        this.rng = new Random(options.seed);
        for (int i = 0; i < this.options.populationSize; i++) {
            Genome g = Genome.minimal(inputs, outputs, tracker, this.options.weightInitRange, rng);
            if (this.options.outputActivation != Activation.SIGMOID) {
                for (int o = 0; o < outputs; o++) {
                    g.setActivation(g.outputId(o), this.options.outputActivation);
                }
            }
            population.add(g);
        }
    }

    private static Options copy(Options o) {
        Options c = new Options();
        c.populationSize = o.populationSize;
        c.c1 = o.c1;
        c.c2 = o.c2;
        c.c3 = o.c3;
        c.compatibilityThreshold = o.compatibilityThreshold;
        c.stagnationLimit = o.stagnationLimit;
        c.populationStagnationLimit = o.populationStagnationLimit;
        c.survivalThreshold = o.survivalThreshold;
        c.mutateOnlyProbability = o.mutateOnlyProbability;
        c.interspeciesProbability = o.interspeciesProbability;
        c.addNodeProbability = o.addNodeProbability;
        c.addConnectionProbability = o.addConnectionProbability;
        c.weightMutationProbability = o.weightMutationProbability;
        c.weightReplaceProbability = o.weightReplaceProbability;
        c.weightPower = o.weightPower;
        c.weightInitRange = o.weightInitRange;
        c.weightLimit = o.weightLimit;
        c.disableProbability = o.disableProbability;
        c.eliteMinSpeciesSize = o.eliteMinSpeciesSize;
        c.seed = o.seed;
        c.hiddenActivations = o.hiddenActivations;
        c.outputActivation = o.outputActivation;
        c.activationMutationProbability = o.activationMutationProbability;
        return c;
    }

    /** The current population (unmodifiable). */
    public List<Genome> population() {
        return List.copyOf(population);
    }

    /**
     * Evolves until a genome solves the task or {@code maxGenerations} have been evaluated.
     *
     * @param evaluator the task (thread-safe)
     * @param maxGenerations the most generations, at least 1
     * @return the outcome
     */
    public Result run(Evaluator evaluator, int maxGenerations) {
        return run(evaluator, maxGenerations, null);
    }

    /**
     * Like {@link #run(Evaluator, int)}, telling {@code listener} (may be null) about each generation.
     */
    public Result run(Evaluator evaluator, int maxGenerations, Listener listener) {
        if (evaluator == null) {
            throw new IllegalArgumentException("Neat.run: evaluator must not be null");
        }
        if (maxGenerations < 1) {
            throw new IllegalArgumentException("Neat.run: max generations must be at least 1, got " + maxGenerations);
        }
        List<Generation> history = new ArrayList<>();
        Genome bestEver = null;
        long evaluations = 0;
        for (int gen = 1; gen <= maxGenerations; gen++) {
            speciate(gen);
            Evaluation[] evals = evaluate(evaluator);
            int n = population.size();
            int firstSolved = -1;
            Genome genBest = null;
            double sum = 0;
            double hidden = 0;
            double conns = 0;
            for (int i = 0; i < n; i++) {
                Genome g = population.get(i);
                g.setFitness(evals[i].fitness());
                sum += evals[i].fitness();
                hidden += g.hiddenCount();
                conns += g.enabledConnectionCount();
                if (evals[i].solved() && firstSolved < 0) {
                    firstSolved = i;
                }
                if (genBest == null || g.fitness() > genBest.fitness()) {
                    genBest = g;
                }
            }
            if (bestEver == null || genBest.fitness() > bestEver.fitness()) {
                bestEver = genBest.copy();
            }
            Generation stats = new Generation(gen, genBest.fitness(), sum / n, species.size(), hidden / n, conns / n);
            history.add(stats);
            if (listener != null) {
                listener.generation(stats);
            }
            if (firstSolved >= 0) {
                return new Result(
                        true,
                        gen,
                        evaluations + firstSolved + 1,
                        population.get(firstSolved).copy(),
                        List.copyOf(history));
            }
            evaluations += n;
            if (gen < maxGenerations) {
                reproduce(gen, genBest);
                tracker.nextGeneration();
            }
        }
        return new Result(false, maxGenerations, evaluations, bestEver, List.copyOf(history));
    }

    private Evaluation[] evaluate(Evaluator evaluator) {
        List<Genome> pop = population;
        Evaluation[] out = new Evaluation[pop.size()];
        Parallel.forRange(pop.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                Evaluation e = evaluator.evaluate(pop.get(i));
                if (e == null) {
                    throw new IllegalStateException("Neat: the evaluator returned null for genome " + i);
                }
                out[i] = e;
            }
        });
        return out;
    }

    /** Places every genome of the population in a species; the representatives are from the previous generation. */
    private void speciate(int gen) {
        for (Species s : species) {
            s.members.clear();
        }
        for (Genome g : population) {
            Species home = null;
            for (Species s : species) {
                if (Genome.compatibility(g, s.representative, options.c1, options.c2, options.c3)
                        < options.compatibilityThreshold) {
                    home = s;
                    break;
                }
            }
            if (home == null) {
                home = new Species(g, gen);
                species.add(home);
            }
            home.members.add(g);
        }
        species.removeIf(s -> s.members.isEmpty());
    }

    private void reproduce(int gen, Genome genBest) {
        // species statistics and stagnation
        Comparator<Genome> byFitness =
                Comparator.comparingDouble(Genome::fitness).reversed();
        List<Species> breeding = new ArrayList<>();
        for (Species s : species) {
            s.members.sort(byFitness); // stable: ties keep population order
            double best = s.members.get(0).fitness();
            if (best > s.bestFitness) {
                s.bestFitness = best;
                s.lastImproved = gen;
            }
            boolean holdsBest = s.members.contains(genBest);
            if (gen - s.lastImproved < options.stagnationLimit || holdsBest) {
                breeding.add(s);
            }
        }
        if (genBest.fitness() > populationBest) {
            populationBest = genBest.fitness();
            populationImproved = gen;
        }
        boolean deltaCoding = false;
        if (gen - populationImproved >= options.populationStagnationLimit && species.size() > 1) {
            // the whole population has stagnated: only the two best species reproduce, half the offspring each
            List<Species> ranked = new ArrayList<>(species);
            ranked.sort(
                    Comparator.comparingDouble((Species s) -> s.members.get(0).fitness())
                            .reversed());
            breeding = new ArrayList<>(ranked.subList(0, 2));
            for (Species s : breeding) {
                s.lastImproved = gen;
            }
            populationImproved = gen;
            deltaCoding = true;
        }
        // explicit fitness sharing: a species' share is the sum of f / |species| over its members
        int size = options.populationSize;
        double[] shares = new double[breeding.size()];
        double total = 0;
        for (int k = 0; k < breeding.size(); k++) {
            Species s = breeding.get(k);
            double adj = 0;
            for (Genome g : s.members) {
                adj += g.fitness() / s.members.size();
            }
            shares[k] = adj;
            total += adj;
        }
        int[] counts = new int[breeding.size()];
        double[] frac = new double[breeding.size()];
        int given = 0;
        for (int k = 0; k < breeding.size(); k++) {
            double exact = total > 0 && !deltaCoding ? size * shares[k] / total : (double) size / breeding.size();
            counts[k] = (int) Math.floor(exact);
            frac[k] = exact - counts[k];
            given += counts[k];
        }
        while (given < size) {
            int pick = 0;
            for (int k = 1; k < frac.length; k++) {
                if (frac[k] > frac[pick]) {
                    pick = k;
                }
            }
            counts[pick]++;
            frac[pick] = -1;
            given++;
        }
        List<Genome> next = new ArrayList<>(size);
        for (int k = 0; k < breeding.size(); k++) {
            breed(breeding.get(k), counts[k], breeding, next);
        }
        // representatives for the next speciation: a random member of this generation
        for (Species s : species) {
            s.representative = s.members.get(rng.nextInt(s.members.size()));
        }
        species.retainAll(breeding);
        population = next;
    }

    private void breed(Species s, int count, List<Species> all, List<Genome> next) {
        if (count <= 0) {
            return;
        }
        List<Genome> m = s.members;
        if (m.size() >= options.eliteMinSpeciesSize) {
            Genome champion = m.get(0).copy();
            champion.setFitness(Double.NaN);
            next.add(champion);
            count--;
        }
        int parents = Math.max(1, (int) Math.ceil(options.survivalThreshold * m.size()));
        for (int i = 0; i < count; i++) {
            Genome child;
            Genome mom = m.get(rng.nextInt(parents));
            if (parents == 1 || rng.nextDouble() < options.mutateOnlyProbability) {
                child = mom.copy();
            } else {
                Genome dad;
                if (all.size() > 1 && rng.nextDouble() < options.interspeciesProbability) {
                    Species other = all.get(rng.nextInt(all.size()));
                    dad = other.members.get(0);
                } else {
                    dad = m.get(rng.nextInt(parents));
                }
                child = mate(mom, dad);
            }
            mutate(child);
            child.setFitness(Double.NaN);
            next.add(child);
        }
    }

    private Genome mate(Genome a, Genome b) {
        boolean aFitter;
        if (a.fitness() != b.fitness()) {
            aFitter = a.fitness() > b.fitness();
        } else {
            aFitter = a.connections().size() <= b.connections().size();
        }
        return aFitter
                ? Genome.crossover(a, b, options.disableProbability, rng)
                : Genome.crossover(b, a, options.disableProbability, rng);
    }

    private void mutate(Genome g) {
        if (rng.nextDouble() < options.addNodeProbability) {
            g.mutateAddNode(tracker, rng, options.hiddenActivations);
        } else if (rng.nextDouble() < options.addConnectionProbability) {
            g.mutateAddConnection(tracker, options.weightInitRange, 20, rng);
        } else if (rng.nextDouble() < options.weightMutationProbability) {
            g.mutateWeights(
                    options.weightPower,
                    options.weightReplaceProbability,
                    options.weightInitRange,
                    options.weightLimit,
                    rng);
        }
        // drawn only when enabled, so that plain NEAT runs keep their random sequence
        if (options.activationMutationProbability > 0 && rng.nextDouble() < options.activationMutationProbability) {
            g.mutateActivation(options.hiddenActivations, rng);
        }
    }
}
