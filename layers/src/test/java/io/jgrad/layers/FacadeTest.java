package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link F} is the one functional facade: it has every public function of the classes it fronts. */
class FacadeTest {

    private static String signature(Method m) {
        return m.getReturnType().getSimpleName() + " " + m.getName()
                + Arrays.toString(Arrays.stream(m.getParameterTypes())
                        .map(Class::getSimpleName)
                        .toArray());
    }

    @Test
    void everyPublicFunctionHasItsDelegateInF() throws Exception {
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : List.of(NN.class, Functional.class, Losses.class, Attention.class)) {
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() != c || !Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                try {
                    Method f = F.class.getMethod(m.getName(), m.getParameterTypes());
                    assertEquals(m.getReturnType(), f.getReturnType(), "F." + m.getName() + " returns another type");
                } catch (NoSuchMethodException e) {
                    missing.add(c.getSimpleName() + ": " + signature(m));
                }
            }
        }
        assertTrue(missing.isEmpty(), "public functions without their delegate in F: " + missing);
    }

    @Test
    void delegatesComputeWhatTheImplementationsCompute() {
        Generator g = new Generator(3);
        Variable x = Variable.param(Tensor.randn(g, DType.FLOAT64, 4, 5));
        Variable w = Variable.param(Tensor.randn(g, DType.FLOAT64, 3, 5));
        Tensor y = Tensor.of(new int[] {0, 2, 1, 2}, 4);
        Variable viaF = F.crossEntropy(F.relu(F.linear(x, w, null)), y);
        Variable direct = Losses.crossEntropy(NN.linear(x, w, null).relu(), y);
        assertEquals(direct.data().item(), viaF.data().item(), 0.0);
        Variable t = Variable.constant(Tensor.randn(g, DType.FLOAT64, 4, 5));
        assertEquals(Losses.huber(x, t).data().item(), F.huber(x, t).data().item(), 0.0);
        assertEquals(
                x.softmax(1).data().sum().item(), F.softmax(x, 1).data().sum().item(), 0.0);
    }
}
