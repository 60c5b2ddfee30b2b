package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#sgdUpdate}: after the L2 penalty {@code g = grad + l2 *
 * p}, {@code p -= learningRate * g}, then the decoupled weight decay {@code p -= learningRate *
 * weightDecay * p_old}.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param learningRate the step size
 * @param l2 the L2 penalty coupled to the gradient
 * @param weightDecay the decoupled weight decay, scaled by {@code learningRate}
 */
public record SgdStep(float learningRate, float l2, float weightDecay) {}
