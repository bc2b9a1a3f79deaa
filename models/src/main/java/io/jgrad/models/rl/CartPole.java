package io.jgrad.models.rl;

import java.util.Random;

/**
 * The single-pole cart-pole task with the rules of OpenAI Gym's {@code CartPole-v1}: the equations of Barto,
 * Sutton and Anderson 1983 ("Neuronlike adaptive elements that can solve difficult learning control
 * problems") without friction, which Florian 2007 ("Correct equations for the dynamics of the cart-pole
 * system") confirms for this frictionless case:
 * <pre>
 *   temp   = (F + m l theta'^2 sin theta) / (M + m)
 *   theta'' = (g sin theta - cos theta temp) / (l (4/3 - m cos^2 theta / (M + m)))
 *   x''    = temp - m l theta'' cos theta / (M + m)
 * </pre>
 * with g = 9.8 m/s^2, cart mass M = 1 kg, pole mass m = 0.1 kg, half-length l = 0.5 m, force F = +-10 N,
 * and explicit Euler steps of 0.02 s ({@code x += tau x'; x' += tau x''; theta += tau theta'; theta' += tau
 * theta''}). Each episode starts with the four state variables uniform in [-0.05, 0.05]; action 0 pushes
 * left, 1 right; the reward is 1 per step; the episode terminates when {@code |x| > 2.4} or
 * {@code |theta| > 12} degrees and is truncated after 500 steps. The observation is
 * {@code (x, x', theta, theta')}.
 */
public final class CartPole implements Environment {
    /** Gravity, m/s^2. */
    public static final double GRAVITY = 9.8;
    /** Cart mass, kg. */
    public static final double CART_MASS = 1.0;
    /** Pole mass, kg. */
    public static final double POLE_MASS = 0.1;
    /** Pole half-length, m. */
    public static final double HALF_LENGTH = 0.5;
    /** The force magnitude, N. */
    public static final double FORCE_MAG = 10.0;
    /** Euler step, s. */
    public static final double TAU = 0.02;
    /** Half the track, m. */
    public static final double TRACK_LIMIT = 2.4;
    /** The largest angle, rad (12 degrees). */
    public static final double ANGLE_LIMIT = 12 * 2 * Math.PI / 360;

    private final int maxSteps;
    private final double[] state = new double[4];
    private int steps;
    private boolean over = true;

    /** CartPole-v1: episodes of at most 500 steps. */
    public CartPole() {
        this(500);
    }

    /**
     * A cart-pole whose episodes are truncated after {@code maxSteps} steps.
     *
     * @param maxSteps at least 1
     */
    public CartPole(int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("CartPole: max steps must be at least 1, got " + maxSteps);
        }
        this.maxSteps = maxSteps;
    }

    @Override
    public int observationSize() {
        return 4;
    }

    @Override
    public int actionCount() {
        return 2;
    }

    /** The episode length limit. */
    public int maxSteps() {
        return maxSteps;
    }

    @Override
    public double[] reset(Random rng) {
        for (int k = 0; k < 4; k++) {
            state[k] = rng.nextDouble() * 0.1 - 0.05;
        }
        steps = 0;
        over = false;
        return state.clone();
    }

    /**
     * Starts an episode from a given state.
     *
     * @param s {@code (x, x', theta, theta')}
     * @return the observation
     */
    public double[] reset(double... s) {
        if (s.length != 4) {
            throw new IllegalArgumentException("CartPole.reset: expected 4 state values, got " + s.length);
        }
        System.arraycopy(s, 0, state, 0, 4);
        steps = 0;
        over = false;
        return state.clone();
    }

    /**
     * One Euler step of the equations of the class comment.
     *
     * @param s {@code (x, x', theta, theta')}
     * @param force the force on the cart, N
     * @return the next state
     */
    public static double[] euler(double[] s, double force) {
        double x = s[0];
        double xDot = s[1];
        double theta = s[2];
        double thetaDot = s[3];
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double total = CART_MASS + POLE_MASS;
        double ml = POLE_MASS * HALF_LENGTH;
        double temp = (force + ml * thetaDot * thetaDot * sin) / total;
        double thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / total));
        double xAcc = temp - ml * thetaAcc * cos / total;
        return new double[] {x + TAU * xDot, xDot + TAU * xAcc, theta + TAU * thetaDot, thetaDot + TAU * thetaAcc};
    }

    @Override
    public Step step(int action) {
        if (action != 0 && action != 1) {
            throw new IllegalArgumentException("CartPole.step: action must be 0 (left) or 1 (right), got " + action);
        }
        if (over) {
            throw new IllegalStateException("CartPole.step: the episode is over; call reset first");
        }
        double[] next = euler(state, action == 1 ? FORCE_MAG : -FORCE_MAG);
        System.arraycopy(next, 0, state, 0, 4);
        steps++;
        boolean terminated = Math.abs(state[0]) > TRACK_LIMIT || Math.abs(state[2]) > ANGLE_LIMIT;
        boolean truncated = !terminated && steps >= maxSteps;
        over = terminated || truncated;
        return new Step(state.clone(), 1.0, terminated, truncated);
    }

    /** A copy of the state {@code (x, x', theta, theta')}. */
    public double[] state() {
        return state.clone();
    }
}
