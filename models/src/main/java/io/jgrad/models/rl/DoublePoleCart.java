package io.jgrad.models.rl;

/**
 * Two poles of different lengths hinged side by side on a cart on a track: the double pole balancing task
 * of Wieland 1991 ("Evolving neural network controllers for unstable systems") in the form of Gruau,
 * Whitley and Pyeatt 1996 ("A comparison between cellular encoding and direct encoding for genetic neural
 * networks") used by Stanley and Miikkulainen 2002 (section 4.3) and their NEAT code. With
 * {@code theta_i} measured from the vertical, the state is {@code (x, x', theta_1, theta_1', theta_2,
 * theta_2')} and, for a force F on the cart,
 * <pre>
 *   m~_i = m_i (1 - 3/4 cos^2 theta_i)                                     effective mass of pole i
 *   F~_i = m_i l_i theta_i'^2 sin theta_i + 3/4 m_i cos theta_i (mu_p theta_i' / (m_i l_i) - g sin theta_i)
 *   x''       = (F - mu_c sgn(x') + F~_1 + F~_2) / (M + m~_1 + m~_2)
 *   theta_i'' = -3 / (4 l_i) (x'' cos theta_i - g sin theta_i + mu_p theta_i' / (m_i l_i))
 * </pre>
 * (the papers write {@code + g sin} with g = -9.8; here g = +9.8 and the sign is explicit), with l_i the
 * half-lengths and the NEAT code's constants: cart mass M = 1 kg, poles of 0.1 kg and 0.01 kg with
 * half-lengths 0.5 m and 0.05 m, hinge friction mu_p = 2e-6 and cart friction mu_c = 5e-4. A still cart
 * lets a tilted pole fall further: {@code theta'' = 3 g sin theta / (4 l)}.
 *
 * <p>Integration is fourth-order Runge-Kutta with a 0.01 s step, two steps per control decision (a decision
 * every 0.02 s, as in the NEAT code); the force is {@code +-10 N} scaled by the action in [-1, 1]. The task
 * fails when the cart leaves the 4.8 m track ({@code |x| > 2.4}) or a pole tilts beyond 36 degrees.
 */
public final class DoublePoleCart {
    /** Gravity, m/s^2. */
    public static final double GRAVITY = 9.8;
    /** Cart mass, kg. */
    public static final double CART_MASS = 1.0;
    /** Pole masses, kg. */
    static final double[] POLE_MASS = {0.1, 0.01};
    /** Pole half-lengths, m. */
    static final double[] HALF_LENGTH = {0.5, 0.05};
    /** Hinge friction coefficient. */
    public static final double MU_POLE = 0.000002;
    /** Cart-track friction coefficient. */
    public static final double MU_CART = 0.0005;
    /** The largest force on the cart, N. */
    public static final double FORCE_MAG = 10.0;
    /** Integration step, s. */
    public static final double TAU = 0.01;
    /** Half the track, m. */
    public static final double TRACK_LIMIT = 2.4;
    /** The largest pole angle before failure, rad (36 degrees). */
    public static final double ANGLE_LIMIT = 36 * Math.PI / 180;

    private final double[] state = new double[6];

    /** A cart at rest at the centre with the long pole tilted by 4 degrees (0.07 rad), as in the NEAT code. */
    public DoublePoleCart() {
        reset();
    }

    /** Back to the starting state: all zero but {@code theta_1 = 0.07} rad. */
    public void reset() {
        java.util.Arrays.fill(state, 0);
        state[2] = 0.07;
    }

    /**
     * Sets the state.
     *
     * @param s {@code (x, x', theta_1, theta_1', theta_2, theta_2')}
     */
    public void setState(double... s) {
        if (s.length != 6) {
            throw new IllegalArgumentException("DoublePoleCart.setState: expected 6 values, got " + s.length);
        }
        System.arraycopy(s, 0, state, 0, 6);
    }

    /** A copy of the state {@code (x, x', theta_1, theta_1', theta_2, theta_2')}. */
    public double[] state() {
        return state.clone();
    }

    /**
     * The time derivative of {@code s} under force {@code force}: the equations of the class comment.
     *
     * @param s the state (6 values)
     * @param force the force on the cart, N
     * @return {@code (x', x'', theta_1', theta_1'', theta_2', theta_2'')}
     */
    public static double[] derivatives(double[] s, double force) {
        double xdot = s[1];
        double fSum = 0;
        double mSum = 0;
        double[] cos = new double[2];
        double[] sin = new double[2];
        double[] fric = new double[2];
        for (int i = 0; i < 2; i++) {
            double th = s[2 + 2 * i];
            double thd = s[3 + 2 * i];
            cos[i] = Math.cos(th);
            sin[i] = Math.sin(th);
            double ml = POLE_MASS[i] * HALF_LENGTH[i];
            fric[i] = MU_POLE * thd / ml;
            fSum += ml * thd * thd * sin[i] + 0.75 * POLE_MASS[i] * cos[i] * (fric[i] - GRAVITY * sin[i]);
            mSum += POLE_MASS[i] * (1 - 0.75 * cos[i] * cos[i]);
        }
        double xacc = (force - MU_CART * Math.signum(xdot) + fSum) / (CART_MASS + mSum);
        double[] d = new double[6];
        d[0] = xdot;
        d[1] = xacc;
        for (int i = 0; i < 2; i++) {
            d[2 + 2 * i] = s[3 + 2 * i];
            d[3 + 2 * i] = -0.75 * (xacc * cos[i] - GRAVITY * sin[i] + fric[i]) / HALF_LENGTH[i];
        }
        return d;
    }

    /** One fourth-order Runge-Kutta step of {@code dt} seconds under a constant force. */
    static double[] rk4(double[] s, double force, double dt) {
        double[] k1 = derivatives(s, force);
        double[] k2 = derivatives(axpy(s, dt / 2, k1), force);
        double[] k3 = derivatives(axpy(s, dt / 2, k2), force);
        double[] k4 = derivatives(axpy(s, dt, k3), force);
        double[] out = new double[6];
        for (int j = 0; j < 6; j++) {
            out[j] = s[j] + dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
        }
        return out;
    }

    private static double[] axpy(double[] s, double a, double[] d) {
        double[] out = new double[6];
        for (int j = 0; j < 6; j++) {
            out[j] = s[j] + a * d[j];
        }
        return out;
    }

    /**
     * One control decision: the force {@code action * 10 N} for two Runge-Kutta steps of 0.01 s.
     *
     * @param action in [-1, 1] (clipped)
     * @return true when the cart and poles are still within their limits afterwards
     */
    public boolean step(double action) {
        double a = Math.max(-1, Math.min(1, action));
        double[] s = state;
        for (int k = 0; k < 2; k++) {
            s = rk4(s, a * FORCE_MAG, TAU);
        }
        System.arraycopy(s, 0, state, 0, 6);
        return !failed();
    }

    /** True when the cart has left the track or a pole has tilted beyond 36 degrees. */
    public boolean failed() {
        return Math.abs(state[0]) > TRACK_LIMIT || Math.abs(state[2]) > ANGLE_LIMIT || Math.abs(state[4]) > ANGLE_LIMIT;
    }
}
