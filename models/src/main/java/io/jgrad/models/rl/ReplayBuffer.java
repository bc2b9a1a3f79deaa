package io.jgrad.models.rl;

import io.jgrad.core.Tensor;
import java.util.Random;

/**
 * The experience replay memory of Mnih et al. 2015 ("Human-level control through deep reinforcement
 * learning"): a ring buffer of the last {@code capacity} transitions {@code (s, a, r, s', done)}, from which
 * uniform random mini-batches are drawn (with replacement, as in the paper's implementation). {@code done}
 * marks a terminal next state, whose value is not bootstrapped; a transition cut by a time limit is stored
 * with {@code done = false}.
 */
public final class ReplayBuffer {
    /**
     * A mini-batch as FLOAT32 tensors (INT32 for the actions).
     *
     * @param states (B, observationSize)
     * @param actions (B)
     * @param rewards (B)
     * @param nextStates (B, observationSize)
     * @param dones (B), 1 for a terminal next state, else 0
     */
    public record Batch(Tensor states, Tensor actions, Tensor rewards, Tensor nextStates, Tensor dones) {}

    private final int capacity;
    private final int obs;
    private final float[] states;
    private final float[] nextStates;
    private final int[] actions;
    private final float[] rewards;
    private final float[] dones;
    private int size;
    private int next;

    /**
     * An empty buffer.
     *
     * @param capacity the most transitions kept, at least 1
     * @param observationSize the length of a state, at least 1
     */
    public ReplayBuffer(int capacity, int observationSize) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ReplayBuffer: capacity must be at least 1, got " + capacity);
        }
        if (observationSize < 1) {
            throw new IllegalArgumentException(
                    "ReplayBuffer: observation size must be at least 1, got " + observationSize);
        }
        this.capacity = capacity;
        this.obs = observationSize;
        states = new float[capacity * observationSize];
        nextStates = new float[capacity * observationSize];
        actions = new int[capacity];
        rewards = new float[capacity];
        dones = new float[capacity];
    }

    /** The number of transitions held. */
    public int size() {
        return size;
    }

    /** The capacity. */
    public int capacity() {
        return capacity;
    }

    /**
     * Stores a transition, overwriting the oldest when full.
     *
     * @param state the state
     * @param action the action taken, at least 0
     * @param reward the reward received
     * @param nextState the next state
     * @param done whether the next state is terminal
     */
    public void add(double[] state, int action, double reward, double[] nextState, boolean done) {
        if (state.length != obs || nextState.length != obs) {
            throw new IllegalArgumentException("ReplayBuffer.add: expected states of length " + obs + ", got "
                    + state.length + " and " + nextState.length);
        }
        if (action < 0) {
            throw new IllegalArgumentException("ReplayBuffer.add: action must be at least 0, got " + action);
        }
        for (int k = 0; k < obs; k++) {
            states[next * obs + k] = (float) state[k];
            nextStates[next * obs + k] = (float) nextState[k];
        }
        actions[next] = action;
        rewards[next] = (float) reward;
        dones[next] = done ? 1f : 0f;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /**
     * A uniform random mini-batch (with replacement).
     *
     * @param batchSize at least 1
     * @param rng the random source
     * @return the batch
     * @throws IllegalStateException when the buffer is empty
     */
    public Batch sample(int batchSize, Random rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("ReplayBuffer.sample: batch size must be at least 1, got " + batchSize);
        }
        if (size == 0) {
            throw new IllegalStateException("ReplayBuffer.sample: the buffer is empty");
        }
        int[] idx = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            idx[b] = rng.nextInt(size);
        }
        return gather(idx);
    }

    /** The transitions at the given positions (0 is the oldest still held), as a batch. */
    public Batch gather(int... positions) {
        int n = positions.length;
        float[] s = new float[n * obs];
        float[] s2 = new float[n * obs];
        int[] a = new int[n];
        float[] r = new float[n];
        float[] d = new float[n];
        int oldest = size < capacity ? 0 : next;
        for (int b = 0; b < n; b++) {
            if (positions[b] < 0 || positions[b] >= size) {
                throw new IllegalArgumentException(
                        "ReplayBuffer.gather: position must be in [0, " + size + "), got " + positions[b]);
            }
            int i = (oldest + positions[b]) % capacity;
            System.arraycopy(states, i * obs, s, b * obs, obs);
            System.arraycopy(nextStates, i * obs, s2, b * obs, obs);
            a[b] = actions[i];
            r[b] = rewards[i];
            d[b] = dones[i];
        }
        return new Batch(
                Tensor.wrap(s, n, obs),
                Tensor.wrap(a, n),
                Tensor.wrap(r, n),
                Tensor.wrap(s2, n, obs),
                Tensor.wrap(d, n));
    }
}
