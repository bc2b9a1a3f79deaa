package io.jgrad.autograd;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry points of the autograd engine: grad-mode scopes, anomaly detection and
 * {@link #grad(List, List, List, boolean, boolean) gradients without accumulation} (like
 * {@code torch.autograd.grad}), for gradient penalties and Hessian-vector products.
 *
 * <pre>{@code
 * try (var off = Autograd.noGrad()) {
 *     Variable y = model.forward(x);   // nothing is recorded
 * }
 * }</pre>
 */
public final class Autograd {
    private Autograd() {}

    /** A scope in which operations are not recorded (inference, weight updates). */
    public static Tape.Scope noGrad() {
        return new Tape.Scope(false, Tape.current().anomaly);
    }

    /** A scope in which operations are recorded (e.g. inside a {@link #noGrad()} block). */
    public static Tape.Scope enableGrad() {
        return new Tape.Scope(true, Tape.current().anomaly);
    }

    /** True when operations on this thread are recorded. */
    public static boolean isGradEnabled() {
        return Tape.current().gradEnabled;
    }

    /**
     * A scope with anomaly detection on: the first operation whose forward or backward output holds
     * NaN or Inf throws an {@link AnomalyException} naming the operation and the user code that
     * created it. Slows everything down; for debugging.
     */
    public static Tape.Scope detectAnomaly() {
        return new Tape.Scope(Tape.current().gradEnabled, true);
    }

    /** Turns anomaly detection on or off for this thread. */
    public static void setDetectAnomaly(boolean on) {
        Tape.current().anomaly = on;
    }

    /** True when anomaly detection is on for this thread. */
    public static boolean isAnomalyEnabled() {
        return Tape.current().anomaly;
    }

    /**
     * The gradients of {@code outputs} with respect to {@code inputs}, without touching any
     * {@code .grad}. {@code gradOutputs} may be null (all outputs scalar) or hold null entries for
     * scalars. With {@code createGraph} the results are differentiable. An input that the outputs do
     * not depend on gets a zero gradient.
     */
    public static List<Variable> grad(
            List<Variable> outputs,
            List<Variable> inputs,
            List<Tensor> gradOutputs,
            boolean retainGraph,
            boolean createGraph) {
        List<Variable> seeds = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Variable o = outputs.get(i);
            if (!o.requiresGrad()) {
                throw new IllegalStateException(
                        "grad: output " + i + " (shape " + Shape.format(o.data().shape())
                                + ") does not require gradients: no input requiring gradients reaches it through recorded "
                                + "operations (it was computed under noGrad(), from detached values, or is a gradient that "
                                + "is constant in the inputs, such as that of a piecewise-linear function)");
            }
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            seeds.add(new Variable(Engine.seedGradient(o, g)));
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " does not require gradients");
            }
        }
        Variable[] r = Engine.run(outputs, seeds, retainGraph || createGraph, createGraph, inputs);
        List<Variable> out = new ArrayList<>();
        for (int i = 0; i < r.length; i++) {
            out.add(
                    r[i] != null
                            ? r[i]
                            : new Variable(Tensor.zerosLike(inputs.get(i).data())));
        }
        return out;
    }

    /** {@link #grad(List, List, List, boolean, boolean)} for one scalar output. */
    public static List<Variable> grad(Variable output, List<Variable> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph);
    }
}
