package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#momentumUpdate}, PyTorch's form without dampening:
 * after the L2 penalty {@code g = grad + l2 * p}, {@code v = momentum * v + g}; plain: {@code p -=
 * learningRate * v}; Nesterov: {@code p -= learningRate * (g + momentum * v)}; then the decoupled
 * weight decay {@code p -= learningRate * weightDecay * p_old}.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param learningRate the step size
 * @param momentum the velocity's decay {@code mu}
 * @param nesterov whether the step looks ahead along the new velocity
 * @param l2 the L2 penalty coupled to the gradient
 * @param weightDecay the decoupled weight decay, scaled by {@code learningRate}
 */
public record MomentumStep(
    float learningRate, float momentum, boolean nesterov, float l2, float weightDecay) {}
