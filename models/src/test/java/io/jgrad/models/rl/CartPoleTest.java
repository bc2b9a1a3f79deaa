package io.jgrad.models.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CartPoleTest {
    @Test
    void firstEulerStepByHand() {
        // at rest, upright, pushed right with 10 N: sin = 0, cos = 1
        double temp = 10 / 1.1; // (F + 0) / (M + m)
        double thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1)); // (0 - temp) / (l (4/3 - m / (M + m)))
        double xAcc = temp - 0.1 * 0.5 * thetaAcc / 1.1;
        assertEquals(-14.634146, thetaAcc, 1e-6);
        assertEquals(9.756098, xAcc, 1e-6);
        double[] s = CartPole.euler(new double[] {0, 0, 0, 0}, 10);
        assertArrayEquals(new double[] {0, 0.02 * xAcc, 0, 0.02 * thetaAcc}, s, 1e-12);
        // the second step moves the positions with the first step's velocities (explicit Euler)
        double[] s2 = CartPole.euler(s, 10);
        assertEquals(0.02 * s[1], s2[0], 1e-15);
        assertEquals(0.02 * s[3], s2[2], 1e-15);
    }

    @Test
    void tiltedPoleFallsAndTheDynamicsAreMirrorSymmetric() {
        double[] s = {0.1, -0.2, 0.05, 0.3};
        double[] m = {-0.1, 0.2, -0.05, -0.3};
        for (int k = 0; k < 50; k++) {
            double f = (k % 3 == 0) ? 10 : -10;
            s = CartPole.euler(s, f);
            m = CartPole.euler(m, -f);
            for (int j = 0; j < 4; j++) {
                assertEquals(-s[j], m[j], 1e-12);
            }
        }
        double[] fall = CartPole.euler(CartPole.euler(new double[] {0, 0, 0.1, 0}, 0), 0);
        assertTrue(fall[3] > 0, "gravity pulls a tilted pole further over");
    }

    @Test
    void gymRules() {
        CartPole env = new CartPole();
        double[] obs = env.reset(new Random(1));
        for (double v : obs) {
            assertTrue(Math.abs(v) <= 0.05);
        }
        // pushing right all the time ends the episode early, by the pole's angle
        int t = 0;
        Environment.Step st;
        do {
            st = env.step(1);
            t++;
            assertEquals(1.0, st.reward());
        } while (!st.done());
        assertTrue(st.terminated() && !st.truncated());
        assertTrue(t < 50, "steps " + t);
        assertTrue(Math.abs(st.observation()[2]) > 12 * Math.PI / 180 || Math.abs(st.observation()[0]) > 2.4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(0));
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
        // a time limit truncates without terminating
        CartPole short3 = new CartPole(3);
        short3.reset(0, 0, 0, 0);
        assertFalse(short3.step(0).done());
        assertFalse(short3.step(1).done());
        Environment.Step last = short3.step(0);
        assertTrue(last.truncated() && !last.terminated());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new CartPole().step(2));
        assertTrue(bad.getMessage().contains("got 2"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CartPole(0));
    }

    @Test
    void doublePoleDerivativesByHand() {
        // at rest and upright, force 10 N: m~_i = m_i / 4, F~_i = 0, no friction (still)
        double xAcc = 10 / (1 + 0.1 / 4 + 0.01 / 4);
        double[] d = DoublePoleCart.derivatives(new double[] {0, 0, 0, 0, 0, 0}, 10);
        assertArrayEquals(new double[] {0, xAcc, 0, -0.75 * xAcc / 0.5, 0, -0.75 * xAcc / 0.05}, d, 1e-12);
        assertEquals(9.732360, xAcc, 1e-6);
        // a tilted long pole on a still cart: theta'' = 3/4 (g sin - x'' cos) / l, and it pushes the cart back
        double th = 0.1;
        double c = Math.cos(th);
        double s = Math.sin(th);
        double f1 = 0.75 * 0.1 * c * (-9.8 * s);
        double m1 = 0.1 * (1 - 0.75 * c * c);
        double xa = f1 / (1 + m1 + 0.01 / 4);
        double[] d2 = DoublePoleCart.derivatives(new double[] {0, 0, th, 0, 0, 0}, 0);
        assertEquals(xa, d2[1], 1e-12);
        assertEquals(-0.75 * (xa * c - 9.8 * s) / 0.5, d2[3], 1e-12);
        assertTrue(d2[1] < 0 && d2[3] > 0);
    }

    @Test
    void doublePoleRungeKuttaMatchesAFineReferenceTrajectory() {
        // one second of free motion from the NEAT start: RK4 with the task's 0.01 s step against RK4 with
        // 0.0005 s steps (a reference accurate far below the tolerance; the short pole, 0.05 m, is the stiff part)
        double[] coarse = {0, 0, 0.07, 0, 0, 0};
        double[] fine = coarse.clone();
        for (int k = 0; k < 100; k++) {
            coarse = DoublePoleCart.rk4(coarse, 1.0, 0.01);
            for (int j = 0; j < 20; j++) {
                fine = DoublePoleCart.rk4(fine, 1.0, 0.0005);
            }
            for (int j = 0; j < 6; j++) {
                assertEquals(fine[j], coarse[j], 1e-4 * (1 + Math.abs(fine[j])), "component " + j + " at step " + k);
            }
        }
        // mirror symmetry of the whole system
        double[] a = {0.2, 0.1, 0.05, -0.2, -0.03, 0.4};
        double[] b = {-0.2, -0.1, -0.05, 0.2, 0.03, -0.4};
        for (int k = 0; k < 30; k++) {
            a = DoublePoleCart.rk4(a, 3, 0.01);
            b = DoublePoleCart.rk4(b, -3, 0.01);
        }
        for (int j = 0; j < 6; j++) {
            assertEquals(-a[j], b[j], 1e-12);
        }
    }

    @Test
    void doublePoleFailureLimits() {
        DoublePoleCart cart = new DoublePoleCart();
        assertArrayEquals(new double[] {0, 0, 0.07, 0, 0, 0}, cart.state());
        cart.setState(2.5, 0, 0, 0, 0, 0);
        assertTrue(cart.failed());
        cart.setState(0, 0, 0, 0, 0.63, 0);
        assertTrue(cart.failed());
        cart.reset();
        assertTrue(cart.step(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cart.setState(1, 2));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    }
}
