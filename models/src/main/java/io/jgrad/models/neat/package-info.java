/**
 * NeuroEvolution of Augmenting Topologies (Stanley and Miikkulainen 2002, "Evolving neural networks through
 * augmenting topologies"): genomes of node and connection genes with global innovation numbers
 * ({@link io.jgrad.models.neat.Genome}, {@link io.jgrad.models.neat.InnovationTracker}), their feed-forward
 * phenotypes ({@link io.jgrad.models.neat.Network}), the evolution loop with speciation and fitness sharing
 * ({@link io.jgrad.models.neat.Neat}), the paper's XOR and double pole balancing tasks, and a picture of a
 * network's topology ({@link io.jgrad.models.neat.TopologyImage}).
 */
package io.jgrad.models.neat;
