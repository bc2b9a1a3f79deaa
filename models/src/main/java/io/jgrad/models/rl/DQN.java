package io.jgrad.models.rl;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Tape;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Reduction;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.ClipGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deep Q-learning, following Mnih et al. 2015, "Human-level control through deep reinforcement learning"
 * (Nature 518): a multilayer perceptron {@code Q(s, .)} with one output per action, trained on uniform
 * mini-batches from an {@link ReplayBuffer experience replay} memory towards the targets
 * {@code y = r + gamma max_a' Q_target(s', a')} ({@code y = r} for a terminal {@code s'}) of a target network
 * that is a periodic copy of the online one, with the Huber loss (the paper's clipping of the error term to
 * [-1, 1]) and Adam; actions are epsilon-greedy, epsilon decaying linearly from
 * {@link Options#epsilonStart} to {@link Options#epsilonEnd} over {@link Options#epsilonDecaySteps} steps.
 * Optionally the double-DQN target of van Hasselt, Guez and Silver 2016 ({@link Options#doubleDqn}), soft
 * target updates ({@link Options#targetTau}) and a pause of learning while recent returns are high enough
 * ({@link Options#pauseUpdatesAbove}).
 *
 * <p>A run is reproducible for a seed: the network initialization comes from a {@link Generator} and the
 * environment resets, exploration and sampling from one {@link Random}, both seeded by {@link Options#seed}.
 */
public final class DQN {
    /** Training options; every setter checks its value and returns this. */
    public static final class Options {
        int[] hidden = {128, 128};
        double gamma = 0.99;
        double learningRate = 2.5e-4;
        int batchSize = 64;
        int bufferCapacity = 100_000;
        int learningStarts = 1_000;
        int trainEvery = 1;
        int targetUpdateEvery = 1_000;
        double targetTau;
        double epsilonStart = 1.0;
        double epsilonEnd = 0.01;
        int epsilonDecaySteps = 10_000;
        double huberDelta = 1.0;
        double maxGradNorm = 10.0;
        boolean doubleDqn = true;
        double pauseAbove = Double.NaN;
        int pauseWindow;
        long seed = 1;

        Options copy() {
            Options c = new Options();
            c.hidden = hidden.clone();
            c.gamma = gamma;
            c.learningRate = learningRate;
            c.batchSize = batchSize;
            c.bufferCapacity = bufferCapacity;
            c.learningStarts = learningStarts;
            c.trainEvery = trainEvery;
            c.targetUpdateEvery = targetUpdateEvery;
            c.targetTau = targetTau;
            c.epsilonStart = epsilonStart;
            c.epsilonEnd = epsilonEnd;
            c.epsilonDecaySteps = epsilonDecaySteps;
            c.huberDelta = huberDelta;
            c.maxGradNorm = maxGradNorm;
            c.doubleDqn = doubleDqn;
            c.pauseAbove = pauseAbove;
            c.pauseWindow = pauseWindow;
            c.seed = seed;
            return c;
        }

        /** Hidden layer widths, each at least 1; none gives a linear Q function (default 128, 128). */
        public Options hidden(int... widths) {
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException(
                            "DQN.Options: hidden widths must be at least 1, got " + Arrays.toString(widths));
                }
            }
            this.hidden = widths.clone();
            return this;
        }

        /** The discount factor, in [0, 1] (default 0.99). */
        public Options gamma(double g) {
            if (!(g >= 0 && g <= 1)) {
                throw new IllegalArgumentException("DQN.Options: gamma must be in [0, 1], got " + g);
            }
            this.gamma = g;
            return this;
        }

        /**
         * Adam's learning rate, positive (default 2.5e-4; on cart-pole 5e-4 and 1e-3 learned faster but kept
         * collapsing before the 100-episode mean reached 475).
         */
        public Options learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("DQN.Options: learning rate must be positive and finite, got " + lr);
            }
            this.learningRate = lr;
            return this;
        }

        /** Transitions per update, at least 1 (default 64). */
        public Options batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("DQN.Options: batch size must be at least 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /** The replay memory's capacity, at least 1 (default 100,000). */
        public Options bufferCapacity(int c) {
            if (c < 1) {
                throw new IllegalArgumentException("DQN.Options: buffer capacity must be at least 1, got " + c);
            }
            this.bufferCapacity = c;
            return this;
        }

        /** Steps before the first update, at least 1 (default 1,000). */
        public Options learningStarts(int s) {
            if (s < 1) {
                throw new IllegalArgumentException("DQN.Options: learning starts must be at least 1, got " + s);
            }
            this.learningStarts = s;
            return this;
        }

        /** Environment steps per update, at least 1 (default 1). */
        public Options trainEvery(int s) {
            if (s < 1) {
                throw new IllegalArgumentException("DQN.Options: train-every must be at least 1, got " + s);
            }
            this.trainEvery = s;
            return this;
        }

        /** Environment steps between copies of the online network into the target network, at least 1 (default 1,000). */
        public Options targetUpdateEvery(int s) {
            if (s < 1) {
                throw new IllegalArgumentException("DQN.Options: target update interval must be at least 1, got " + s);
            }
            this.targetUpdateEvery = s;
            return this;
        }

        /**
         * Soft target updates: with {@code tau > 0}, after every gradient step the target network moves to
         * {@code tau * online + (1 - tau) * target} (Lillicrap et al. 2016) instead of being copied every
         * {@link #targetUpdateEvery} steps; 0 keeps the paper's periodic copies (default 0).
         */
        public Options targetTau(double tau) {
            if (!(tau >= 0 && tau <= 1)) {
                throw new IllegalArgumentException("DQN.Options: target tau must be in [0, 1], got " + tau);
            }
            this.targetTau = tau;
            return this;
        }

        /**
         * The exploration schedule: epsilon from {@code start} down to {@code end} linearly over
         * {@code decaySteps} environment steps, then constant (default 1 to 0.01 over 10,000).
         */
        public Options epsilon(double start, double end, int decaySteps) {
            if (!(start >= 0 && start <= 1) || !(end >= 0 && end <= 1) || end > start) {
                throw new IllegalArgumentException(
                        "DQN.Options: epsilon must go down within [0, 1], got start=" + start + ", end=" + end);
            }
            if (decaySteps < 1) {
                throw new IllegalArgumentException(
                        "DQN.Options: epsilon decay steps must be at least 1, got " + decaySteps);
            }
            this.epsilonStart = start;
            this.epsilonEnd = end;
            this.epsilonDecaySteps = decaySteps;
            return this;
        }

        /** The Huber loss's delta, positive (default 1). */
        public Options huberDelta(double d) {
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("DQN.Options: Huber delta must be positive and finite, got " + d);
            }
            this.huberDelta = d;
            return this;
        }

        /** The largest gradient norm (clipped above), positive, or 0 for no clipping (default 10). */
        public Options maxGradNorm(double n) {
            if (!(n >= 0) || Double.isInfinite(n)) {
                throw new IllegalArgumentException(
                        "DQN.Options: max gradient norm must be at least 0 and finite, got " + n);
            }
            this.maxGradNorm = n;
            return this;
        }

        /** Double-DQN targets: the online network picks the next action, the target network values it (default true). */
        public Options doubleDqn(boolean on) {
            this.doubleDqn = on;
            return this;
        }

        /**
         * A return-based stop of learning: no gradient step (and no target update) is taken in an episode that
         * starts while the mean return of the last {@code window} episodes is at least {@code meanReturn}; learning
         * resumes by itself when that mean falls below. Acting, exploration and the replay memory go on as usual.
         * Once the agent has solved its task, further updates on a memory now full of successes can only undo it
         * (the classic collapse of DQN on cart-pole); this keeps the solving policy while it keeps solving. A
         * window of 0 turns it off (the default).
         *
         * @param meanReturn the mean return at or above which learning pauses
         * @param window the number of recent episodes averaged, 0 (off) or more
         */
        public Options pauseUpdatesAbove(double meanReturn, int window) {
            if (window < 0) {
                throw new IllegalArgumentException("DQN.Options: pause window must be at least 0, got " + window);
            }
            if (window > 0 && !Double.isFinite(meanReturn)) {
                throw new IllegalArgumentException("DQN.Options: pause return must be finite, got " + meanReturn);
            }
            this.pauseAbove = meanReturn;
            this.pauseWindow = window;
            return this;
        }

        /** The seed of initialization, exploration, environment resets and sampling (default 1). */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }
    }

    /**
     * What one training episode gave.
     *
     * @param episode the episode, from 1
     * @param ret the episode's return (undiscounted)
     * @param average the mean return of the last {@code window} episodes (fewer at the start)
     * @param epsilon the exploration rate at the episode's end
     * @param steps environment steps so far
     */
    public record Episode(int episode, double ret, double average, double epsilon, long steps) {}

    /** A listener told about each episode as it ends. */
    @FunctionalInterface
    public interface Listener {
        /** Called once per episode. */
        void episode(Episode e);
    }

    /**
     * The outcome of {@link #train}.
     *
     * @param returns every episode's return
     * @param solvedAt the episode (from 1) at which the moving average first reached the threshold, or -1
     * @param steps environment steps taken
     */
    public record Training(double[] returns, int solvedAt, long steps) {
        /** True when the threshold was reached. */
        public boolean solved() {
            return solvedAt > 0;
        }
    }

    private final int observationSize;
    private final int actions;
    private final Options options;
    private final Sequential online;
    private final Sequential target;
    private final Adam optimizer;
    private final Random rng;
    private final ReplayBuffer buffer;
    private long steps;
    private long updates;
    private int pausedEpisodes;

    /**
     * A DQN agent.
     *
     * @param observationSize the length of an observation, at least 1
     * @param actions the number of actions, at least 2
     * @param options the options (read now: later changes have no effect)
     */
    public DQN(int observationSize, int actions, Options options) {
        if (observationSize < 1) {
            throw new IllegalArgumentException("DQN: observation size must be at least 1, got " + observationSize);
        }
        if (actions < 2) {
            throw new IllegalArgumentException("DQN: need at least 2 actions, got " + actions);
        }
        if (options == null) {
            throw new IllegalArgumentException("DQN: options must not be null");
        }
        this.observationSize = observationSize;
        this.actions = actions;
        this.options = options.copy();
        Generator g = new Generator(options.seed);
        online = mlp(observationSize, options.hidden.clone(), actions);
        online.resetParameters(g);
        target = mlp(observationSize, options.hidden.clone(), actions);
        target.loadStateDict(online.stateDict());
        optimizer = new Adam(online.parameters(), options.learningRate);
        rng = new Random(options.seed);
        buffer = new ReplayBuffer(options.bufferCapacity, observationSize);
    }

    private static Sequential mlp(int in, int[] hidden, int out) {
        Sequential s = new Sequential();
        int prev = in;
        for (int h : hidden) {
            s.add(new Linear(prev, h));
            s.add(new ReLU());
            prev = h;
        }
        s.add(new Linear(prev, out));
        return s;
    }

    /** The online Q network. */
    public Module network() {
        return online;
    }

    /** The replay memory. */
    public ReplayBuffer buffer() {
        return buffer;
    }

    /** The exploration rate after {@code step} environment steps. */
    public double epsilon(long step) {
        double f = Math.min(1.0, (double) step / options.epsilonDecaySteps);
        return options.epsilonStart + f * (options.epsilonEnd - options.epsilonStart);
    }

    /** The Q values of one observation. */
    public double[] qValues(double[] observation) {
        if (observation.length != observationSize) {
            throw new IllegalArgumentException("DQN.qValues: expected an observation of length " + observationSize
                    + ", got " + observation.length);
        }
        float[] x = new float[observationSize];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) observation[k];
        }
        try (Tape.Scope off = Autograd.noGrad()) {
            return online.call(Tensor.wrap(x, 1, observationSize)).data().toDoubleArray();
        }
    }

    /** The greedy action for an observation (the lowest index among ties). */
    public int greedyAction(double[] observation) {
        double[] q = qValues(observation);
        int best = 0;
        for (int a = 1; a < q.length; a++) {
            if (q[a] > q[best]) {
                best = a;
            }
        }
        return best;
    }

    /** An epsilon-greedy action drawn from the agent's generator. */
    public int act(double[] observation, double epsilon) {
        if (rng.nextDouble() < epsilon) {
            return rng.nextInt(actions);
        }
        return greedyAction(observation);
    }

    /**
     * The Q-learning targets {@code y = r + gamma (1 - done) v'}, with {@code v'} the value of each next state:
     * {@code max_a' nextQ[i, a']}, or {@code nextQ[i, nextAction[i]]} when {@code nextActions} is given (double
     * DQN).
     *
     * @param rewards (B)
     * @param dones (B), 1 where the next state is terminal, else 0
     * @param nextQ the target network's Q values of the next states (B, A)
     * @param nextActions the actions to value, INT32 (B), or null for the maximum
     * @param gamma the discount factor
     * @return the targets (B)
     */
    public static Tensor targets(Tensor rewards, Tensor dones, Tensor nextQ, Tensor nextActions, double gamma) {
        if (nextQ.dim() != 2
                || rewards.dim() != 1
                || dones.dim() != 1
                || rewards.size(0) != nextQ.size(0)
                || dones.size(0) != nextQ.size(0)) {
            throw new IllegalArgumentException("DQN.targets: expected rewards (B), dones (B) and nextQ (B, A), got "
                    + Arrays.toString(rewards.shape()) + ", " + Arrays.toString(dones.shape()) + " and "
                    + Arrays.toString(nextQ.shape()));
        }
        Tensor v;
        if (nextActions == null) {
            v = nextQ.amax(new int[] {1}, false);
        } else {
            v = nextQ.gather(1, nextActions.reshape(nextQ.size(0), 1)).reshape(nextQ.size(0));
        }
        return rewards.add(v.mul(dones.mul(-1.0).add(1.0)).mul(gamma));
    }

    /**
     * One gradient step on a mini-batch: Huber loss between {@code Q(s, a)} and the targets, Adam, the
     * gradient norm clipped.
     *
     * @param b the batch
     * @return the loss
     */
    public double update(ReplayBuffer.Batch b) {
        Tensor y;
        try (Tape.Scope off = Autograd.noGrad()) {
            Tensor nextQ = target.call(b.nextStates()).data();
            Tensor nextA =
                    options.doubleDqn ? online.call(b.nextStates()).data().argmax(1, false) : null;
            y = targets(b.rewards(), b.dones(), nextQ, nextA, options.gamma);
        }
        int n = b.actions().size(0);
        Variable q =
                online.call(b.states()).gather(1, b.actions().reshape(n, 1)).reshape(n);
        Variable loss = Losses.huber(q, Variable.constant(y), options.huberDelta, Reduction.MEAN);
        optimizer.zeroGrad();
        loss.backward();
        if (options.maxGradNorm > 0) {
            ClipGrad.clipGradNorm(online.parameters(), options.maxGradNorm);
        }
        optimizer.step();
        updates++;
        if (options.targetTau > 0) {
            List<io.jgrad.autograd.Parameter> from = online.parameters();
            List<io.jgrad.autograd.Parameter> to = target.parameters();
            for (int k = 0; k < from.size(); k++) {
                to.get(k).data().mul_(1 - options.targetTau).add_(from.get(k).data(), options.targetTau);
            }
        }
        return loss.item();
    }

    /** Copies the online network's parameters into the target network. */
    public void syncTarget() {
        target.loadStateDict(online.stateDict());
    }

    /**
     * Trains on {@code env} until the mean return of the last {@code window} episodes reaches
     * {@code threshold} (checked once {@code window} episodes have run) or {@code maxEpisodes} have run.
     *
     * @param env the environment
     * @param maxEpisodes the most episodes, at least 1
     * @param window the moving-average window, at least 1
     * @param threshold the average return that counts as solved
     * @param listener told about each episode, or null
     * @return the returns and when the threshold was reached
     */
    public Training train(Environment env, int maxEpisodes, int window, double threshold, Listener listener) {
        if (env.observationSize() != observationSize || env.actionCount() != actions) {
            throw new IllegalArgumentException("DQN.train: the agent has " + observationSize + " inputs and " + actions
                    + " actions, the environment " + env.observationSize() + " and " + env.actionCount());
        }
        if (maxEpisodes < 1 || window < 1) {
            throw new IllegalArgumentException("DQN.train: max episodes and window must be at least 1, got maxEpisodes="
                    + maxEpisodes + ", window=" + window);
        }
        List<Double> returns = new ArrayList<>();
        double windowSum = 0;
        int solvedAt = -1;
        double pauseSum = 0;
        for (int ep = 1; ep <= maxEpisodes && solvedAt < 0; ep++) {
            boolean learning = options.pauseWindow == 0
                    || returns.size() < options.pauseWindow
                    || pauseSum / options.pauseWindow < options.pauseAbove;
            if (!learning) {
                pausedEpisodes++;
            }
            double[] s = env.reset(rng);
            double ret = 0;
            while (true) {
                double eps = epsilon(steps);
                int a = act(s, eps);
                Environment.Step st = env.step(a);
                buffer.add(s, a, st.reward(), st.observation(), st.terminated());
                ret += st.reward();
                steps++;
                if (learning && steps >= options.learningStarts && steps % options.trainEvery == 0) {
                    update(buffer.sample(options.batchSize, rng));
                }
                if (learning && options.targetTau == 0 && steps % options.targetUpdateEvery == 0) {
                    syncTarget();
                }
                s = st.observation();
                if (st.done()) {
                    break;
                }
            }
            returns.add(ret);
            if (options.pauseWindow > 0) {
                pauseSum += ret;
                if (returns.size() > options.pauseWindow) {
                    pauseSum -= returns.get(returns.size() - 1 - options.pauseWindow);
                }
            }
            windowSum += ret;
            if (returns.size() > window) {
                windowSum -= returns.get(returns.size() - 1 - window);
            }
            double avg = windowSum / Math.min(window, returns.size());
            if (returns.size() >= window && avg >= threshold) {
                solvedAt = ep;
            }
            if (listener != null) {
                listener.episode(new Episode(ep, ret, avg, epsilon(steps), steps));
            }
        }
        double[] r = returns.stream().mapToDouble(Double::doubleValue).toArray();
        return new Training(r, solvedAt, steps);
    }

    /** Gradient updates made so far. */
    public long updates() {
        return updates;
    }

    /** Episodes in which learning was paused by {@link Options#pauseUpdatesAbove} so far. */
    public int pausedEpisodes() {
        return pausedEpisodes;
    }
}
