package dev.dnn.optim;

import dev.dnn.backend.Backend;
import dev.dnn.tensor.Tensor;
import java.util.Map;

/**
 * Clipping of gradients by their global L2 norm, applied between the backward pass and the
 * optimizer step: when the norm of all gradients together exceeds {@code maxNorm}, every gradient
 * is scaled by {@code maxNorm / norm}, so the direction of the step is kept and only its length is
 * bounded (PyTorch's {@code clip_grad_norm_}). Immutable and safe to share between threads.
 */
public final class GradientClipping {
  private final double maxNorm;

  private GradientClipping(double maxNorm) {
    this.maxNorm = maxNorm;
  }

  /**
   * Clipping to a global norm of at most {@code maxNorm}.
   *
   * @throws IllegalArgumentException if {@code maxNorm} is not finite and above 0
   */
  public static GradientClipping byGlobalNorm(double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException(
          "gradient clipping norm must be finite and > 0, got " + maxNorm);
    }
    return new GradientClipping(maxNorm);
  }

  /** The largest global norm left unchanged. */
  public double maxNorm() {
    return maxNorm;
  }

  /**
   * Scales {@code gradients} in place when their global norm exceeds {@link #maxNorm()} and returns
   * the norm before clipping. A norm that is not finite leaves the gradients unchanged: scaling by
   * {@code maxNorm / infinity} would zero them and skip the step silently, so the caller decides
   * what such a norm means.
   */
  public double clip(Backend backend, Map<String, Tensor> gradients) {
    double sumSquares = 0;
    for (Tensor g : gradients.values()) {
      sumSquares += backend.squaredNorm(g);
    }
    double norm = Math.sqrt(sumSquares);
    if (Double.isFinite(norm) && norm > maxNorm) {
      float factor = (float) (maxNorm / norm);
      for (Tensor g : gradients.values()) {
        backend.scale(g, factor);
      }
    }
    return norm;
  }

  @Override
  public String toString() {
    return "GradientClipping(maxNorm=" + maxNorm + ")";
  }
}
