/**
 * HyperNEAT (Stanley, D'Ambrosio and Gauci 2009, "A hypercube-based encoding for evolving large-scale neural
 * networks", Artificial Life 15(2)): compositional pattern producing networks (CPPNs), evolved by the NEAT of
 * {@link io.jgrad.models.neat.Neat}, paint the connection weights of a larger network, the
 * {@link io.jgrad.models.neat.hyperneat.Substrate}, as a function of the coordinates of the nodes they join
 * ({@link io.jgrad.models.neat.hyperneat.HyperNeat}, {@link io.jgrad.models.neat.hyperneat.SubstrateNetwork});
 * the paper's visual discrimination task ({@link io.jgrad.models.neat.hyperneat.BoxesTask}); pictures of the
 * weight pattern and of substrate activations ({@link io.jgrad.models.neat.hyperneat.SubstrateImage}).
 */
package io.jgrad.models.neat.hyperneat;
