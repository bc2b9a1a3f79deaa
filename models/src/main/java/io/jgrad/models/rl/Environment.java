package io.jgrad.models.rl;

import java.util.Random;

/**
 * An episodic environment with a real observation vector and a few discrete actions, in the manner of
 * OpenAI Gym's {@code reset}/{@code step} interface.
 */
public interface Environment {
    /**
     * The outcome of one step.
     *
     * @param observation the next observation
     * @param reward the reward for the step
     * @param terminated true when the episode ended in a terminal state (no future reward)
     * @param truncated true when the episode was cut by a time limit (the state itself is not terminal)
     */
    record Step(double[] observation, double reward, boolean terminated, boolean truncated) {
        /** True when the episode is over, either way. */
        public boolean done() {
            return terminated || truncated;
        }
    }

    /** The length of an observation. */
    int observationSize();

    /** The number of actions, numbered from 0. */
    int actionCount();

    /** Starts an episode from a random state drawn from {@code rng}; returns the first observation. */
    double[] reset(Random rng);

    /** Takes {@code action}. */
    Step step(int action);
}
