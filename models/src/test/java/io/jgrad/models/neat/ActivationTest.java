package io.jgrad.models.neat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Node activation functions: values, genes, networks, mutations and genome files. */
class ActivationTest {
    @Test
    void valuesByHand() {
        assertEquals(1 / (1 + Math.exp(-4.9 * 0.3)), Activation.SIGMOID.apply(0.3), 1e-15);
        assertEquals(0.5, Activation.SIGMOID.apply(0), 0);
        assertEquals(Math.tanh(-0.7), Activation.TANH.apply(-0.7), 0);
        assertEquals(1.0, Activation.SINE.apply(Math.PI / 2), 1e-15);
        assertEquals(0.0, Activation.SINE.apply(0), 0);
        assertEquals(Math.exp(-4), Activation.GAUSSIAN.apply(2), 1e-15);
        assertEquals(Activation.GAUSSIAN.apply(-1.5), Activation.GAUSSIAN.apply(1.5), 0);
        assertEquals(-3.25, Activation.LINEAR.apply(-3.25), 0);
        assertEquals(3.25, Activation.ABS.apply(-3.25), 0);
        assertEquals(Activation.SINE, Activation.parse("sine"));
        assertEquals(Activation.GAUSSIAN, Activation.parse("gauss"));
        assertEquals(Activation.ABS, Activation.parse("ABS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("step"));
        assertTrue(e.getMessage().contains("step") && e.getMessage().contains("gaussian"), e.getMessage());
    }

    @Test
    void nodeGenesDefaultToSigmoidAndSensorsHaveNoOtherActivation() {
        assertEquals(new NodeGene(3, NodeGene.Type.HIDDEN, Activation.SIGMOID), new NodeGene(3, NodeGene.Type.HIDDEN));
        assertNotEquals(new NodeGene(3, NodeGene.Type.HIDDEN, Activation.SINE), new NodeGene(3, NodeGene.Type.HIDDEN));
        assertThrows(IllegalArgumentException.class, () -> new NodeGene(0, NodeGene.Type.INPUT, Activation.SINE));
        assertThrows(IllegalArgumentException.class, () -> new NodeGene(0, NodeGene.Type.OUTPUT, null));
        Genome g = new Genome(2, 1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> g.setActivation(0, Activation.TANH));
        assertTrue(e.getMessage().contains("INPUT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.setActivation(9, Activation.TANH));
        assertThrows(IllegalArgumentException.class, () -> g.setActivation(3, null));
    }

    /** Inputs 0, 1, bias 2, output 3 (linear), hidden 4 (sine) and 5 (Gaussian). */
    static Genome mixed() {
        return new Genome(2, 1)
                .setActivation(3, Activation.LINEAR)
                .addHiddenNode(4, Activation.SINE)
                .addHiddenNode(5, Activation.GAUSSIAN)
                .addConnection(0, 0, 4, 2.0, true)
                .addConnection(1, 1, 5, 1.0, true)
                .addConnection(2, 2, 5, -0.5, true)
                .addConnection(3, 4, 3, 1.5, true)
                .addConnection(4, 5, 3, -2.0, true)
                .addConnection(5, 1, 3, 0.25, true);
    }

    @Test
    void networkAppliesEachNodesFunctionByHand() {
        double x = 0.3;
        double y = -0.8;
        // out = 1.5 sin(2 x) - 2 exp(-(y - 0.5)^2) + 0.25 y
        double expected = 1.5 * Math.sin(2 * x) - 2 * Math.exp(-(y - 0.5) * (y - 0.5)) + 0.25 * y;
        Network net = mixed().network();
        assertEquals(expected, net.activate(x, y)[0], 1e-14);
        double[] work = new double[net.nodeCount()];
        double[] out = new double[1];
        net.activate(new double[] {x, y}, work, out);
        assertEquals(expected, out[0], 1e-14);
        assertThrows(IllegalArgumentException.class, () -> net.activate(new double[] {x, y}, new double[2], out));
    }

    @Test
    void activationsSaveAndLoadAndOldFilesReadAsSigmoid() {
        Genome g = mixed();
        String json = g.toJson();
        assertTrue(json.contains("\"activation\": \"sine\"") && json.contains("\"activation\": \"linear\""), json);
        Genome back = Genome.fromJson(json);
        assertTrue(back.sameGenes(g));
        assertEquals(Activation.GAUSSIAN, back.node(5).activation());
        assertEquals(g.network().activate(0.1, 0.2)[0], back.network().activate(0.1, 0.2)[0], 0);
        // a plain NEAT genome's document has no activation field, as before activations existed
        Genome plain = new Genome(1, 1)
                .addHiddenNode(3)
                .addConnection(0, 0, 3, 1.0, true)
                .addConnection(1, 3, 2, 1.0, true);
        assertFalse(plain.toJson().contains("activation"));
        String old =
                "{\"format\": \"jgrad-neat-genome\", \"version\": 1, \"inputs\": 1, \"outputs\": 1, \"fitness\": null, "
                        + "\"nodes\": [{\"id\": 0, \"type\": \"input\"}, {\"id\": 1, \"type\": \"bias\"}, {\"id\": 2, \"type\": \"output\"}, "
                        + "{\"id\": 3, \"type\": \"hidden\"}], \"connections\": [{\"innovation\": 0, \"in\": 0, \"out\": 3, \"weight\": 1.0, "
                        + "\"enabled\": true}, {\"innovation\": 1, \"in\": 3, \"out\": 2, \"weight\": 1.0, \"enabled\": true}]}";
        Genome read = Genome.fromJson(old);
        assertTrue(read.sameGenes(plain));
        assertEquals(Activation.SIGMOID, read.node(3).activation());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Genome.fromJson(json.replace("\"sine\"", "\"step\"")));
        assertTrue(e.getMessage().contains("node 4") && e.getMessage().contains("step"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Genome.fromJson(
                        old.replace("\"type\": \"input\"}", "\"type\": \"input\", \"activation\": \"sine\"}")));
    }

    @Test
    void addNodeDrawsItsFunctionAndActivationMutationChangesOne() {
        InnovationTracker t = InnovationTracker.startingAt(3, 2);
        Genome g = NeatTest.oneToOne(0.5, -0.25);
        assertEquals(3, g.mutateAddNode(t, new Random(1), List.of(Activation.ABS)));
        assertEquals(Activation.ABS, g.node(3).activation());
        int changed = g.mutateActivation(List.of(Activation.ABS, Activation.SINE), new Random(2));
        assertEquals(3, changed);
        assertEquals(Activation.SINE, g.node(3).activation(), "the only other choice");
        assertEquals(-1, g.mutateActivation(List.of(Activation.SINE), new Random(2)), "nothing new to choose");
        assertEquals(-1, new Genome(1, 1).mutateActivation(List.of(Activation.SINE, Activation.ABS), new Random(2)));
        assertThrows(IllegalArgumentException.class, () -> g.mutateActivation(List.of(), new Random(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> g.mutateAddNode(t, new Random(1), java.util.Arrays.asList(Activation.SINE, null)));
        // several choices: every function appears over many draws
        java.util.Set<Activation> seen = java.util.EnumSet.noneOf(Activation.class);
        Random rng = new Random(5);
        for (int k = 0; k < 200; k++) {
            Genome h = NeatTest.oneToOne(0.5, -0.25);
            int id = h.mutateAddNode(InnovationTracker.startingAt(3, 2), rng, List.of(Activation.values()));
            seen.add(h.node(id).activation());
        }
        assertEquals(Activation.values().length, seen.size());
    }

    @Test
    void neatOptionsSetOutputFunctionsAndCheckChoices() {
        Neat neat = new Neat(
                4,
                2,
                new Neat.Options()
                        .populationSize(5)
                        .outputActivation(Activation.TANH)
                        .hiddenActivations(Activation.SINE, Activation.GAUSSIAN)
                        .activationMutationProbability(0.5));
        for (Genome g : neat.population()) {
            assertEquals(Activation.TANH, g.node(g.outputId(0)).activation());
            assertEquals(Activation.TANH, g.node(g.outputId(1)).activation());
        }
        assertEquals(
                Activation.SIGMOID,
                new Neat(2, 1, new Neat.Options().populationSize(2))
                        .population()
                        .get(0)
                        .node(3)
                        .activation());
        assertThrows(IllegalArgumentException.class, () -> new Neat.Options().hiddenActivations());
        assertThrows(IllegalArgumentException.class, () -> new Neat.Options().hiddenActivations(Activation.SINE, null));
        assertThrows(IllegalArgumentException.class, () -> new Neat.Options().outputActivation(null));
        assertThrows(IllegalArgumentException.class, () -> new Neat.Options().activationMutationProbability(1.5));
    }
}
