package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#rmsPropUpdate}: after the L2 penalty {@code g = grad +
 * l2 * p}, {@code s = rho * s + (1 - rho) * g^2; p -= learningRate * g / (sqrt(s) + epsilon)}, then
 * the decoupled weight decay {@code p -= learningRate * weightDecay * p_old}.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param learningRate the step size
 * @param rho the decay of the running mean of squares
 * @param epsilon added to the root of the mean of squares, so the step stays finite
 * @param l2 the L2 penalty coupled to the gradient
 * @param weightDecay the decoupled weight decay, scaled by {@code learningRate}
 */
public record RmsPropStep(
    float learningRate, float rho, float epsilon, float l2, float weightDecay) {}
