package dev.dnn.nn;

/**
 * Batch normalization over the features: while training it normalizes with the statistics of the
 * batch and updates running statistics; at inference it uses the running statistics. Learns a scale
 * ({@code weight}, starting at 1) and a shift ({@code bias}, starting at 0) per feature.
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param momentum the weight of the batch in the running statistics (PyTorch's convention)
 * @param epsilon added to the variance before the square root
 */
public record BatchNorm(double momentum, double epsilon) implements LayerSpec {

  /** Validates the parameters. */
  public BatchNorm {
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("batch-norm momentum must be in [0, 1], got " + momentum);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("batch-norm epsilon must be positive, got " + epsilon);
    }
  }

  /** Batch normalization with momentum 0.1 and epsilon 1e-5 (PyTorch's defaults). */
  public static BatchNorm of() {
    return new BatchNorm(0.1, 1e-5);
  }

  @Override
  public int outputWidth(int inputs) {
    return inputs;
  }

  /** Scale and shift, running mean and variance: four values per feature. */
  @Override
  public long storedValues(int inputs) {
    return 4L * inputs;
  }

  @Override
  public int minimumTrainingRows() {
    return 2;
  }
}
