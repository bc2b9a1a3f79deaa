package example.recycling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.autograd.Function;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Recycling;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.ScratchPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A function defined outside the library may keep the gradient it is given and the one it returns: the
 * engine must not recycle either (this class is deliberately outside the {@code io.jgrad} packages).
 */
class UserFunctionRecyclingTest {
    /** x * 3, keeping every gradient it sees and returns. */
    static final class Triple extends Function {
        final List<Tensor> given = new ArrayList<>();
        final List<Tensor> returned = new ArrayList<>();
        final List<float[]> givenValues = new ArrayList<>();
        final List<float[]> returnedValues = new ArrayList<>();

        Triple() {
            super("triple");
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... inputs) {
            return inputs[0].mul(3);
        }

        @Override
        protected Variable[] backward(Context ctx, Variable gradOutput) {
            given.add(gradOutput.data());
            givenValues.add(gradOutput.data().toFloatArray());
            Variable r = gradOutput.mul(Variable.constant(Tensor.scalar(3f)));
            returned.add(r.data());
            returnedValues.add(r.data().toFloatArray());
            return new Variable[] {r};
        }
    }

    @Test
    void gradientsAUserFunctionKeepsAreNeverReused() {
        Recycling.setEnabled(true);
        ScratchPool.clear();
        Generator g = new Generator(1);
        Variable w = Variable.param(Tensor.randn(g, 4, 5));
        Triple triple = new Triple();
        for (int step = 0; step < 4; step++) {
            for (int k = 0; k < 4; k++) {
                float[] nan = new float[20];
                Arrays.fill(nan, Float.NaN);
                ScratchPool.give(nan);
            }
            w.zeroGrad();
            Variable x = Variable.constant(Tensor.randn(g, 4, 5));
            triple.apply(x.mul(w)).tanh().square().sum().backward();
        }
        assertEquals(4, triple.given.size());
        for (int step = 0; step < 4; step++) {
            assertArrayEquals(
                    triple.givenValues.get(step), triple.given.get(step).toFloatArray(), "given " + step);
            assertArrayEquals(
                    triple.returnedValues.get(step), triple.returned.get(step).toFloatArray(), "returned " + step);
        }
    }
}
