package dev.dnn.backend;

/**
 * The hyperparameters of one {@link Backend#nadamUpdate} (PyTorch's NAdam), with its momentum
 * schedule evaluated on the host: after the L2 penalty {@code g = grad + l2 * p}, {@code m = beta1
 * m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2; d = sqrt(v / biasCorrection2) + epsilon; p -=
 * gradStep g / d + momentumStep m / d}, then the decoupled weight decay {@code p -= learningRate *
 * weightDecay * p_old}.
 *
 * <p>The betas are doubles, as the user gave them: a kernel multiplies by {@link #beta1AsFloat()}
 * and {@link #oneMinusBeta1()} (and the same for beta2), each rounded once from the exact value.
 * Forming {@code 1 - beta2} in float32 from an already rounded {@code beta2} would lose most of its
 * digits to cancellation: {@code 1 - (float) 0.999} is {@code 9.9998713e-4}, 1.3e-5 below {@code
 * 1e-3}. Adam would not mind (its kernel forms both {@code 1 - beta2} and {@code 1 - beta2^t} from
 * the same rounded beta2, and the two cancel), but {@code biasCorrection2} comes from the host in
 * double: {@code v / biasCorrection2} came out 1.3e-5 small and every step 6.4e-6 too long.
 *
 * <p>Immutable and safe to share between threads.
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
    double beta1,
    double beta2,
    float epsilon,
    float gradStep,
    float momentumStep,
    float biasCorrection2,
    float l2,
    float weightDecay) {

  /** {@code beta1} rounded to float32, the factor of the old first moment. */
  public float beta1AsFloat() {
    return (float) beta1;
  }

  /** {@code 1 - beta1} formed in double and rounded once, the factor of the gradient. */
  public float oneMinusBeta1() {
    return (float) (1.0 - beta1);
  }

  /** {@code beta2} rounded to float32, the factor of the old second moment. */
  public float beta2AsFloat() {
    return (float) beta2;
  }

  /** {@code 1 - beta2} formed in double and rounded once, the factor of the squared gradient. */
  public float oneMinusBeta2() {
    return (float) (1.0 - beta2);
  }
}
