package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#nadamUpdate} (PyTorch's NAdam), with its momentum
 * schedule evaluated on the host: after the L2 penalty {@code g = grad + l2 * p}, {@code m = beta1
 * m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; d = sqrt(v / biasCorrection2) + epsilon; p -=
 * gradStep g / d + momentumStep m / d}, then the decoupled weight decay {@code p -= learningRate *
 * weightDecay * p_old}.
 *
 * @param learningRate the step size, used here only by the weight decay (the schedule folds it into
 *     {@code gradStep} and {@code momentumStep})
 * @param beta1 the decay of the first moment {@code m}
 * @param beta2 the decay of the second moment {@code v}
 * @param epsilon added to the root of the corrected second moment, so the step stays finite
 * @param gradStep {@code lr (1 - mu_t) / (1 - prod_{i<=t} mu_i)}, the weight of the gradient
 * @param momentumStep {@code lr mu_{t+1} / (1 - prod_{i<=t+1} mu_i)}, the weight of the momentum
 * @param biasCorrection2 {@code 1 - beta2^t}
 * @param l2 the L2 penalty coupled to the gradient
 * @param weightDecay the decoupled weight decay, scaled by {@code learningRate}
 */
public record NadamStep(
    float learningRate,
    float beta1,
    float beta2,
    float epsilon,
    float gradStep,
    float momentumStep,
    float biasCorrection2,
    float l2,
    float weightDecay) {}
