/**
 * Reinforcement learning: deep Q-networks (Mnih et al. 2015, {@link io.jgrad.models.rl.DQN}) with experience
 * replay ({@link io.jgrad.models.rl.ReplayBuffer}), an episodic {@link io.jgrad.models.rl.Environment}
 * interface, and cart-pole simulations: the single pole with Gym's CartPole-v1 rules
 * ({@link io.jgrad.models.rl.CartPole}) and the double pole of Wieland 1991 ({@link io.jgrad.models.rl.DoublePoleCart}).
 */
package io.jgrad.models.rl;
