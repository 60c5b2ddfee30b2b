package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#adaGradUpdate}: after the L2 penalty {@code g = grad +
 * l2 * p}, {@code s += g^2; p -= learningRate * g / (sqrt(s) + epsilon)}, then the decoupled weight
 * decay {@code p -= learningRate * weightDecay * p_old}.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param learningRate the step size
 * @param epsilon added to the root of the sum of squares, so the step stays finite
 * @param l2 the L2 penalty coupled to the gradient
 * @param weightDecay the decoupled weight decay, scaled by {@code learningRate}
 */
public record AdaGradStep(float learningRate, float epsilon, float l2, float weightDecay) {}
