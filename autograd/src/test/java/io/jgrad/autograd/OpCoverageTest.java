package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Keeps the differentiable API complete as it grows: every public {@link Tensor} op has its
 * {@link Variable} counterpart (or is listed below as intentionally absent, with the reason), and every
 * differentiable op of {@link Variable} and {@link NN} has a case in {@link OpGradCheckTest}'s table,
 * which checks it at first and second order. In-place Tensor ops (names ending in {@code _}) are outside
 * the tape by design.
 */
class OpCoverageTest {

    /** Tensor ops with no Variable counterpart, and why. */
    static final Map<String, String> NO_VARIABLE_COUNTERPART = Map.ofEntries(
            Map.entry("argmin", "integer result, no gradient"),
            Map.entry("clone", "Variables share data; detach() or a fresh Variable is the copy"),
            Map.entry("eq", "comparison: boolean-valued, no gradient"),
            Map.entry("ne", "comparison: boolean-valued, no gradient"),
            Map.entry("lt", "comparison: boolean-valued, no gradient"),
            Map.entry("le", "comparison: boolean-valued, no gradient"),
            Map.entry("gt", "comparison: boolean-valued, no gradient"),
            Map.entry("ge", "comparison: boolean-valued, no gradient"),
            Map.entry("expandAs", "Variable spells it expand(other.shape())"),
            Map.entry("oneHot", "integer input, no gradient"),
            Map.entry("tile", "Variable spells it repeat"),
            Map.entry("to", "dtype conversion of data; a Variable is converted by wrapping data().to(...)"),
            Map.entry("set", "in-place write, not recorded by the tape"),
            Map.entry("setLong", "in-place write, not recorded by the tape"),
            Map.entry("logicalAnd", "logical op: boolean-valued, no gradient"),
            Map.entry("logicalOr", "logical op: boolean-valued, no gradient"),
            Map.entry("logicalXor", "logical op: boolean-valued, no gradient"),
            Map.entry("logicalNot", "logical op: boolean-valued, no gradient"),
            Map.entry("asInt32Index", "integer indices, no gradient"));

    /** Public Variable methods returning a Variable that are not ops (no gradient check applies). */
    static final Set<String> NOT_OPS = Set.of("constant", "param", "detach", "gradVariable", "requiresGrad", "name");

    private static Set<String> publicNames(Class<?> c, boolean instance) {
        return Arrays.stream(c.getMethods())
                .filter(m -> m.getDeclaringClass() == c)
                .filter(m -> Modifier.isStatic(m.getModifiers()) != instance)
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean returns(Method m, Class<?> type) {
        Class<?> r = m.getReturnType();
        if (r == type || (r.isArray() && r.getComponentType() == type)) {
            return true;
        }
        Type g = m.getGenericReturnType();
        return r == List.class && g instanceof ParameterizedType p && p.getActualTypeArguments()[0] == type;
    }

    @Test
    void everyTensorOpHasAVariableCounterpartOrAReason() {
        Set<String> tensorOps = Arrays.stream(Tensor.class.getMethods())
                .filter(m -> m.getDeclaringClass() == Tensor.class && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> returns(m, Tensor.class))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> variableMethods = publicNames(Variable.class, true);
        variableMethods.addAll(publicNames(Variable.class, false));
        Set<String> missing = new TreeSet<>(tensorOps);
        missing.removeAll(variableMethods);
        missing.removeAll(NO_VARIABLE_COUNTERPART.keySet());
        // in-place ops (add_, zero_, ...) write into a tensor outside the tape: Variable has none by design,
        // and optimizers use them on parameter data, not on Variables
        missing.removeIf(n -> n.endsWith("_"));
        assertTrue(missing.isEmpty(), "Tensor ops without a Variable counterpart or a listed reason: " + missing);
        // the list holds no stale entries: each is a Tensor op that Variable really lacks
        Set<String> stale = new TreeSet<>(NO_VARIABLE_COUNTERPART.keySet());
        stale.removeIf(n -> tensorOps.contains(n) && !variableMethods.contains(n));
        assertEquals(Set.of(), stale, "entries of NO_VARIABLE_COUNTERPART that no longer apply");
    }

    /** The op names a gradient-check case covers: "matmul 2d" covers matmul, "squeeze/unsqueeze" both. */
    static Set<String> coveredNames() {
        Set<String> names = new TreeSet<>();
        OpGradCheckTest.cases().map(Arguments::get).forEach(args -> {
            String caseName = args[0].toString();
            String head = caseName.split("[ \\-]")[0];
            names.addAll(Arrays.asList(head.split("/")));
            if (caseName.equals("scalar ops")) {
                // the scalar overloads of the arithmetic ops, chained in one case
                names.addAll(List.of("add", "mul", "sub", "div", "rsub", "rdiv"));
            }
        });
        return names;
    }

    @Test
    void everyDifferentiableOpIsInTheGradientCheckTable() {
        Set<String> covered = coveredNames();
        Map<String, String> uncovered = new TreeMap<>();
        for (Method m : Variable.class.getMethods()) {
            if (m.getDeclaringClass() != Variable.class
                    || !returns(m, Variable.class)
                    || NOT_OPS.contains(m.getName())) {
                continue;
            }
            if (!covered.contains(m.getName())) {
                uncovered.put(m.getName(), "Variable");
            }
        }
        for (Method m : NN.class.getMethods()) {
            if (m.getDeclaringClass() == NN.class
                    && Modifier.isStatic(m.getModifiers())
                    && !covered.contains("nn." + m.getName())) {
                uncovered.put("nn." + m.getName(), "NN");
            }
        }
        assertTrue(uncovered.isEmpty(), "differentiable ops with no case in OpGradCheckTest: " + uncovered);
    }
}
