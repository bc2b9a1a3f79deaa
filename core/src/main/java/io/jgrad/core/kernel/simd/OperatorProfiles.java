package io.jgrad.core.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Runs the Vector API's lane-wise methods with operators that change from call to call, once, before
 * any kernel runs, so that the JIT never bets on one operator class where the operator is not a
 * constant.
 *
 * <p>Why: the Vector API's shared methods ({@code VectorOperators.opKind}, {@code
 * FloatVector.lanewiseTemplate}) cast their operator argument, and HotSpot profiles that cast. A
 * compilation of {@code lanewise} on its own (called from code not yet compiled), made while the
 * profile had seen one operator class, deoptimizes with a {@code class_check} trap when another comes,
 * and each such trap is counted in the method's profile for the life of the JVM. C2 adds those counts
 * once for every inlined copy of the method in a compilation (an exp or tanh loop inlines {@code
 * opKind} dozens of times), and past {@code PerMethodTrapLimit} (100) it stops guarding its type
 * guesses with traps for the rest of that compilation: a later call on a vector falls back to a virtual
 * call, the vector's class is no longer exact, and the Vector API's intrinsics after it fail, so the
 * loop's vectors are boxed. An AVX2 machine's LSTM workload showed it in about one run in four: the
 * tanh loop's store was not intrinsified (trap sum 182 against 92 in a good run), with 50-90% more
 * allocation per training step and 10-17% less speed for the life of the process. With the operator
 * profiles mixed from the start there is no such trap to count.
 *
 * <p>Only the operator arguments vary: every call uses the kernels' one float species (and the int
 * species of its shape, as exp does), so the receivers' class profiles, which let C2 compile the
 * kernels' vector code without boxes, stay single-class. Nothing computed here is used.
 */
final class OperatorProfiles {
    /**
     * Iterations: on an AVX2 machine 100 were enough for the profiles to record several operator
     * classes (no {@code class_check} trap in {@code opKind} or {@code lanewiseTemplate} in any run);
     * 300 leave a margin. It adds 50-100 ms to the class's initialization, about the same for 100 rounds
     * as for 1,500: most of it is the first use of each operator.
     */
    static final int ROUNDS = 300;

    private OperatorProfiles() {}

    /** Runs the mixed-operator calls. */
    static void settle(VectorSpecies<Float> species) {
        VectorSpecies<Integer> ints = species.withLanes(int.class);
        VectorOperators.Binary[] binary = {
            VectorOperators.ADD, VectorOperators.SUB, VectorOperators.MUL,
            VectorOperators.DIV, VectorOperators.MIN, VectorOperators.MAX
        };
        VectorOperators.Unary[] unary = {VectorOperators.NEG, VectorOperators.ABS, VectorOperators.SQRT};
        VectorOperators.Comparison[] comparison = {
            VectorOperators.LT, VectorOperators.GT, VectorOperators.EQ, VectorOperators.GE
        };
        VectorOperators.Binary[] intBinary = {
            VectorOperators.ADD, VectorOperators.SUB, VectorOperators.ASHR, VectorOperators.LSHL, VectorOperators.AND
        };
        FloatVector a = FloatVector.broadcast(species, 1.5f);
        FloatVector b = FloatVector.broadcast(species, 0.75f);
        IntVector ia = IntVector.broadcast(ints, 12);
        IntVector ib = IntVector.broadcast(ints, 3);
        for (int i = 0; i < ROUNDS; i++) {
            step(
                    a,
                    b,
                    ia,
                    ib,
                    binary[i % binary.length],
                    unary[i % unary.length],
                    comparison[i % comparison.length],
                    intBinary[i % intBinary.length]);
        }
    }

    private static void step(
            FloatVector a,
            FloatVector b,
            IntVector ia,
            IntVector ib,
            VectorOperators.Binary op,
            VectorOperators.Unary unary,
            VectorOperators.Comparison comparison,
            VectorOperators.Binary intOp) {
        FloatVector v = a.lanewise(op, b).lanewise(op, 0.5f).lanewise(unary);
        VectorMask<Float> m = v.compare(comparison, b);
        v.lanewise(unary, m).blend(a, v.compare(comparison, 1f));
        ia.lanewise(intOp, ib).lanewise(intOp, 2);
    }
}
