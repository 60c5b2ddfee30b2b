package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#adamUpdate}, with the bias correction at {@code step}:
 * after the L2 penalty {@code g = grad + l2 * p}, {@code m = beta1 m + (1 - beta1) g; v = beta2 v +
 * (1 - beta2) g^2; p -= learningRate * (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) +
 * epsilon)}, then the decoupled weight decay {@code p -= learningRate * weightDecay * p_old}.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param learningRate the step size
 * @param beta1 the decay of the first moment {@code m}
 * @param beta2 the decay of the second moment {@code v}
 * @param epsilon added to the root of the corrected second moment, so the step stays finite
 * @param step the number of this update, 1 for the first ({@link KernelChecks#adamUpdate} rejects a
 *     smaller one)
 * @param l2 the L2 penalty coupled to the gradient
 * @param weightDecay the decoupled weight decay, scaled by {@code learningRate}
 */
public record AdamStep(
    float learningRate,
    float beta1,
    float beta2,
    float epsilon,
    int step,
    float l2,
    float weightDecay) {}
