package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/**
 * Knowledge-distillation loss of Hinton, Vinyals and Dean, "Distilling the Knowledge in a Neural
 * Network" (2015): the temperature-softened KL divergence from the teacher's to the student's class
 * distribution, times {@code T^2}, mixed with the cross entropy of the hard labels by the weight
 * {@code alpha}. See {@link Losses#distillation} for the formula and the PyTorch expression it matches.
 *
 * <pre>{@code
 * Tensor soft;
 * try (var off = Autograd.noGrad()) { soft = teacher.eval().call(x).data(); }
 * Variable loss = new DistillationLoss(4, 0.9).forward(student.call(x), soft, labels);
 * }</pre>
 */
public class DistillationLoss extends Module {
    private final double temperature;
    private final double alpha;

    /**
     * A configured loss.
     *
     * @param temperature T, positive (Hinton et al. use 1 to 20; 2 to 5 is common)
     * @param alpha the weight of the teacher's term in [0, 1]; {@code 1 - alpha} weighs the labels
     */
    public DistillationLoss(double temperature, double alpha) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "DistillationLoss: temperature must be positive and finite, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("DistillationLoss: alpha must be in [0, 1], got " + alpha);
        }
        this.temperature = temperature;
        this.alpha = alpha;
    }

    /**
     * The loss of a batch.
     *
     * @param studentLogits (N, C)
     * @param teacherLogits (N, C), constant
     * @param labels INT32 class indices (N); may be null when alpha is 1
     * @return the scalar loss
     */
    public Variable forward(Variable studentLogits, Tensor teacherLogits, Tensor labels) {
        return Losses.distillation(studentLogits, teacherLogits, labels, temperature, alpha);
    }

    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 3) {
            throw new IllegalArgumentException(
                    "DistillationLoss: expected 3 inputs (student logits, teacher logits, labels), got "
                            + inputs.length);
        }
        return forward(inputs[0], inputs[1].data(), inputs[2].data());
    }

    /**
     * The temperature.
     *
     * @return T
     */
    public double temperature() {
        return temperature;
    }

    /**
     * The weight of the teacher's term.
     *
     * @return alpha
     */
    public double alpha() {
        return alpha;
    }

    @Override
    protected String extraRepr() {
        return "temperature=" + temperature + ", alpha=" + alpha;
    }
}
