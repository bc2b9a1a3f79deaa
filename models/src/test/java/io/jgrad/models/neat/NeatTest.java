package io.jgrad.models.neat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.kernel.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeatTest {
    static double sig(double x) {
        return 1 / (1 + Math.exp(-4.9 * x));
    }

    /** One input (node 0), bias (1), output (2): innovation 0 is 0->2, innovation 1 is 1->2. */
    static Genome oneToOne(double w0, double wb) {
        return new Genome(1, 1).addConnection(0, 0, 2, w0, true).addConnection(1, 1, 2, wb, true);
    }

    @Test
    void sameStructuralMutationInOneGenerationGetsSameNumbers() {
        InnovationTracker t = InnovationTracker.startingAt(3, 2);
        Genome a = oneToOne(0.5, -0.25);
        Genome b = oneToOne(-1.0, 0.75);
        Random rng = new Random(1);
        // the only enabled connection that is not from the bias is innovation 0, so both split it
        assertEquals(3, a.mutateAddNode(t, rng));
        assertEquals(3, b.mutateAddNode(t, rng));
        for (Genome g : new Genome[] {a, b}) {
            assertFalse(g.connection(0).enabled());
            assertEquals(0, g.connection(2).in());
            assertEquals(3, g.connection(2).out());
            assertEquals(1.0, g.connection(2).weight());
            assertEquals(3, g.connection(3).in());
            assertEquals(2, g.connection(3).out());
        }
        assertEquals(0.5, a.connection(3).weight(), "the outgoing link keeps the old weight");
        assertEquals(-1.0, b.connection(3).weight());
        assertEquals(4, t.nextInnovation());
        // the same new connection twice in one generation: one number
        assertEquals(t.connection(1, 3), t.connection(1, 3));
        assertEquals(5, t.nextInnovation());
        // in the next generation the same split is a new innovation
        t.nextGeneration();
        Genome c = oneToOne(0.1, 0.2);
        assertEquals(4, c.mutateAddNode(t, rng));
        assertEquals(5, c.connection(5).innovation());
        assertEquals(6, c.connection(6).innovation());
        assertNotEquals(t.connection(1, 3), 4, "connection numbers are forgotten between generations");
    }

    @Test
    void minimalGenomesShareInnovationNumbers() {
        InnovationTracker t = new InnovationTracker(2, 1);
        Random rng = new Random(3);
        Genome a = Genome.minimal(2, 1, t, 1.0, rng);
        Genome b = Genome.minimal(2, 1, t, 1.0, rng);
        assertEquals(3, a.connections().size());
        for (int k = 0; k < 3; k++) {
            assertEquals(a.connection(k).in(), b.connection(k).in());
            assertEquals(3, a.connection(k).out());
        }
        assertEquals(3, t.nextInnovation());
        assertEquals(4, t.nextNode());
    }

    /** Two inputs (0, 1), bias 2, output 3, hidden 4: innovations 0, 1, 2, 3. */
    static Genome compatA() {
        return new Genome(2, 1)
                .addHiddenNode(4)
                .addConnection(0, 0, 3, 1.0, true)
                .addConnection(1, 1, 3, -1.0, true)
                .addConnection(2, 2, 3, 0.5, true)
                .addConnection(3, 0, 4, 0.3, true);
    }

    /** Hidden 4 and 5: innovations 0, 1 (matching), 4, 5, 6 (beyond A's largest, 3: excess). */
    static Genome compatB() {
        return new Genome(2, 1)
                .addHiddenNode(4)
                .addHiddenNode(5)
                .addConnection(0, 0, 3, 0.5, true)
                .addConnection(1, 1, 3, 0.0, false)
                .addConnection(4, 0, 4, 0.1, true)
                .addConnection(5, 4, 3, 0.2, true)
                .addConnection(6, 1, 5, 0.7, true);
    }

    @Test
    void compatibilityDistanceByHand() {
        // A: 0 1 2 3; B: 0 1 4 5 6. Matching 0, 1 (|1 - 0.5| = 0.5, |-1 - 0| = 1, mean 0.75, the disabled gene
        // counts); A's 2 and 3 lie within B's range: 2 disjoint; B's 4, 5, 6 lie beyond A's 3: 3 excess.
        // Both have fewer than 20 genes, so N = 1.
        Genome a = compatA();
        Genome b = compatB();
        assertEquals(3 + 2 + 0.4 * 0.75, Genome.compatibility(a, b, 1, 1, 0.4), 1e-12);
        assertEquals(Genome.compatibility(a, b, 1, 1, 0.4), Genome.compatibility(b, a, 1, 1, 0.4), 1e-12);
        assertEquals(2 * 3 + 0.5 * 2 + 1 * 0.75, Genome.compatibility(a, b, 2, 0.5, 1), 1e-12);
        assertEquals(0.0, Genome.compatibility(a, a.copy(), 1, 1, 0.4));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Genome.compatibility(a, b, -1, 1, 0.4));
        assertTrue(e.getMessage().contains("c1=-1.0"), e.getMessage());
    }

    @Test
    void compatibilityNormalizesByTheLargerGenomeFrom20Genes() {
        Genome a = new Genome(20, 1);
        Genome b = new Genome(20, 1);
        for (int i = 0; i < 20; i++) {
            a.addConnection(i, i, 21, 1.0, true);
        }
        for (int i = 0; i < 10; i++) {
            b.addConnection(i, i, 21, 1.0, true);
        }
        // 10 excess genes over N = 20
        assertEquals(0.5, Genome.compatibility(a, b, 1, 1, 0.4), 1e-12);
    }

    @Test
    void crossoverTakesMatchingGenesFromEitherParentAndTheRestFromTheFitter() {
        Genome fitter = compatA();
        Genome other = compatB();
        for (long seed = 0; seed < 20; seed++) {
            Genome child = Genome.crossover(fitter, other, 1.0, new Random(seed));
            // the fitter parent's structure: its nodes and innovation numbers
            assertEquals(fitter.nodes().size(), child.nodes().size());
            assertEquals(4, child.connections().size());
            for (ConnectionGene c : child.connections()) {
                ConnectionGene f = fitter.connection(c.innovation());
                ConnectionGene o = other.connection(c.innovation());
                assertNotNull(f);
                assertEquals(f.in(), c.in());
                assertEquals(f.out(), c.out());
                if (o == null) {
                    assertEquals(f.weight(), c.weight(), "disjoint and excess genes come from the fitter parent");
                } else {
                    assertTrue(c.weight() == f.weight() || c.weight() == o.weight());
                }
            }
            // innovation 1 is disabled in the other parent: with probability 1 it stays disabled
            assertFalse(child.connection(1).enabled());
            assertTrue(child.connection(0).enabled());
        }
        Genome child = Genome.crossover(fitter, other, 0.0, new Random(1));
        assertTrue(child.connection(1).enabled(), "with probability 0 an inherited disabled gene is enabled");
        // both weights of a matching gene occur over seeds
        boolean sawFitter = false;
        boolean sawOther = false;
        Random rng = new Random(11);
        for (int k = 0; k < 20; k++) {
            double w = Genome.crossover(fitter, other, 0.75, rng).connection(0).weight();
            sawFitter |= w == 1.0;
            sawOther |= w == 0.5;
        }
        assertTrue(sawFitter && sawOther);
        assertThrows(
                IllegalArgumentException.class, () -> Genome.crossover(fitter, new Genome(3, 1), 0.75, new Random(1)));
    }

    @Test
    void activationByHand() {
        // inputs 0, 1; bias 2; output 3; hidden 4 fed by both inputs and the bias, output fed by hidden and input 0
        Genome g = new Genome(2, 1)
                .addHiddenNode(4)
                .addConnection(0, 0, 4, 1.0, true)
                .addConnection(1, 1, 4, 1.0, true)
                .addConnection(2, 2, 4, -1.5, true)
                .addConnection(3, 4, 3, -2.0, true)
                .addConnection(4, 0, 3, 1.0, true)
                .addConnection(5, 2, 3, 0.25, true)
                .addConnection(6, 1, 3, 5.0, false);
        Network net = g.network();
        for (double[] x : new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}) {
            double h = sig(x[0] + x[1] - 1.5);
            double y = sig(-2.0 * h + x[0] + 0.25);
            assertEquals(y, net.activate(x)[0], 1e-15, "the disabled connection 1->3 must not count");
        }
        assertEquals(0.5, new Genome(2, 1).network().activate(3, 4)[0], "no inputs: sigmoid(0)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.activate(1));
        assertTrue(e.getMessage().contains("expected 2 inputs, got 1"), e.getMessage());
    }

    @Test
    void handBuiltXorSolution() {
        // hidden 4 = AND-ish, output = OR - 2 AND
        Genome g = new Genome(2, 1)
                .addHiddenNode(4)
                .addConnection(0, 0, 4, 2.0, true)
                .addConnection(1, 1, 4, 2.0, true)
                .addConnection(2, 2, 4, -3.0, true)
                .addConnection(3, 0, 3, 2.0, true)
                .addConnection(4, 1, 3, 2.0, true)
                .addConnection(5, 2, 3, -1.0, true)
                .addConnection(6, 4, 3, -4.0, true);
        Neat.Evaluation e = new XorTask().evaluate(g);
        assertTrue(e.solved());
        assertTrue(e.fitness() > 15.5, "fitness " + e.fitness());
        assertFalse(new XorTask().evaluate(oneToOneXor()).solved());
    }

    private static Genome oneToOneXor() {
        return new Genome(2, 1).addConnection(0, 0, 3, 1.0, true).addConnection(1, 1, 3, 1.0, true);
    }

    @Test
    void addConnectionKeepsNetworksFeedForward() {
        Genome g = new Genome(1, 1)
                .addHiddenNode(3)
                .addHiddenNode(4)
                .addConnection(0, 0, 3, 1, true)
                .addConnection(1, 3, 4, 1, false)
                .addConnection(2, 4, 2, 1, true);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> g.addConnection(3, 4, 3, 1, true));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.addConnection(3, 3, 0, 1, true));
        assertTrue(e.getMessage().contains("target 0 is an INPUT node"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.addConnection(3, 0, 9, 1, true));
        assertTrue(e.getMessage().contains("unknown node 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.addConnection(0, 1, 2, 1, true));
        assertTrue(e.getMessage().contains("innovation 0 is already"), e.getMessage());
        // the mutation never closes a cycle
        InnovationTracker t = InnovationTracker.startingAt(5, 3);
        Random rng = new Random(5);
        for (int k = 0; k < 50; k++) {
            g.mutateAddConnection(t, 1.0, 20, rng);
        }
        assertNotNull(g.network());
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        Genome g = compatB();
        g.setFitness(12.25);
        g.connection(4).setWeight(0.1 + 0.2); // a weight with many digits
        Path p = dir.resolve("genome.json");
        g.save(p);
        Genome back = Genome.load(p);
        assertTrue(g.sameGenes(back));
        assertEquals(12.25, back.fitness());
        assertEquals(2, back.hiddenCount());
        assertTrue(Files.readString(p).contains("\"format\": \"jgrad-neat-genome\""));
        Genome unfit = compatA();
        assertTrue(Double.isNaN(Genome.fromJson(unfit.toJson()).fitness()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Genome.fromJson("{\"format\": 1"));
        assertTrue(e.getMessage().startsWith("Genome.fromJson: invalid JSON"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Genome.fromJson(g.toJson().replace("\"version\": 1", "\"version\": 7")));
        assertTrue(e.getMessage().contains("unsupported version 7"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Genome.fromJson(g.toJson().replace("\"hidden\"", "\"sideways\"")));
        assertTrue(e.getMessage().contains("unknown node type sideways"), e.getMessage());
        // a header that announces far more nodes than the document lists fails before making them
        String json = g.toJson();
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Genome.fromJson(json.replace("\"inputs\": 2,", "\"inputs\": 2000000000,")));
        assertTrue(e.getMessage().contains("2000000000 inputs and 1 outputs need 2000000002"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Genome(Integer.MAX_VALUE, 1));
        assertTrue(e.getMessage().contains("past 2^31 - 1"), e.getMessage());
    }

    @Test
    void seededRunIsReproducibleWhateverTheThreadCount() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Neat.Result one = new Neat(2, 1, new Neat.Options().seed(7)).run(new XorTask(), 100);
            Parallel.setThreads(3);
            Neat.Result three = new Neat(2, 1, new Neat.Options().seed(7)).run(new XorTask(), 100);
            assertTrue(one.solved(), "XOR with the paper's settings");
            assertEquals(one.generations(), three.generations());
            assertEquals(one.evaluations(), three.evaluations());
            assertTrue(one.best().sameGenes(three.best()));
            assertEquals(one.history(), three.history());
            assertTrue(one.best().hiddenCount() >= 1, "XOR needs a hidden node");
            Neat.Result other = new Neat(2, 1, new Neat.Options().seed(8)).run(new XorTask(), 100);
            assertFalse(other.best().sameGenes(one.best()));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void clearErrorsOnBadArguments() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Neat.Options().populationSize(1));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Neat.Options().addNodeProbability(1.5));
        assertTrue(e.getMessage().contains("add-node probability must be in [0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Neat.Options().compatibilityThreshold(0));
        assertTrue(e.getMessage().contains("got 0.0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> new Neat(2, 1, new Neat.Options()).run(new XorTask(), 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Genome(0, 1));
        assertTrue(e.getMessage().contains("inputs=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Neat.Evaluation(-1, false));
        assertTrue(e.getMessage().contains("got -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new XorTask().evaluate(new Genome(3, 1)));
        assertTrue(e.getMessage().contains("got 3 and 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DoublePoleTask(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void doublePoleFitnessCountsBalancedSteps() {
        // without connections the output is 0.5: no force, and the tilted long pole falls
        Genome idle = new Genome(6, 1);
        int t = new DoublePoleTask().balance(idle);
        assertTrue(t > 10 && t < 200, "an uncontrolled cart fails early, got " + t);
        Neat.Evaluation e = new DoublePoleTask(5).evaluate(idle);
        assertEquals(5, e.fitness());
        assertTrue(e.solved());
    }

    @Test
    void topologyPng(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("net.png");
        TopologyImage.write(compatB(), p, 400, 300);
        byte[] b = Files.readAllBytes(p);
        assertTrue(b.length > 100 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
    }
}
