package dev.dnn.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI bridge to the hand-written kernels of {@code native/include/dnn_kernels.h}. Every method
 * mirrors one launcher: device pointers and the stream are raw addresses, the result is the {@code
 * cudaError_t} of the launch (0 on success). The bridge is compiled at build time by JavaCPP and
 * packaged, with {@code libdnnkernels.so}, inside this jar.
 */
@Platform(include = "dnn_kernels.h", link = "dnnkernels")
final class DnnKernels {
  static {
    Loader.load();
  }

  /**
   * Floats in the scratch array of the launchers that produce one total ({@code
   * DNN_REDUCTION_SCRATCH_FLOATS} of the header): the blocks' totals and a count of finished
   * blocks. It must be zeroed once before its first use.
   */
  static final int REDUCTION_SCRATCH_FLOATS = 1025;

  private DnnKernels() {}

  /** Loads the native libraries; throws {@link UnsatisfiedLinkError} when they are missing. */
  static void load() {
    // The static initializer does the work.
  }

  @Name("dnn_set_device")
  static native int setDevice(int device);

  @Name("dnn_fill")
  static native int fill(
      @Cast("float*") long x, int n, float value, @Cast("cudaStream_t") long stream);

  @Name("dnn_copy")
  static native int copy(
      @Cast("const float*") long src,
      @Cast("float*") long dst,
      int n,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_scale")
  static native int scale(
      @Cast("float*") long x, int n, float alpha, @Cast("cudaStream_t") long stream);

  @Name("dnn_axpy")
  static native int axpy(
      float alpha,
      @Cast("const float*") long x,
      @Cast("float*") long y,
      int n,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_add")
  static native int add(
      @Cast("const float*") long a,
      @Cast("const float*") long b,
      @Cast("float*") long out,
      int n,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_multiply")
  static native int multiply(
      @Cast("const float*") long a,
      @Cast("const float*") long b,
      @Cast("float*") long out,
      int n,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_column_sums")
  static native int columnSums(
      @Cast("const float*") long x,
      int rows,
      int cols,
      float beta,
      @Cast("float*") long out,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_fill_uniform")
  static native int fillUniform(
      @Cast("float*") long x,
      int n,
      float low,
      float high,
      @Cast("unsigned long long") long seed,
      @Cast("unsigned long long") long streamId,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_bias_activation_forward")
  static native int biasActivationForward(
      int kind,
      float alpha,
      @Cast("const float*") long slopes,
      @Cast("float*") long z,
      @Cast("const float*") long bias,
      @Cast("float*") long out,
      int rows,
      int cols,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_activation_backward")
  static native int activationBackward(
      int kind,
      float alpha,
      @Cast("const float*") long slopes,
      @Cast("const float*") long z,
      @Cast("const float*") long out,
      @Cast("const float*") long gradOut,
      @Cast("float*") long gradIn,
      int rows,
      int cols,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_prelu_slope_gradient")
  static native int preluSlopeGradient(
      @Cast("const float*") long z,
      @Cast("const float*") long gradOut,
      int rows,
      int cols,
      float beta,
      @Cast("float*") long gradSlopes,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_maxout_forward")
  static native int maxoutForward(
      @Cast("const float*") long z,
      int rows,
      int cols,
      int pieces,
      @Cast("float*") long out,
      @Cast("float*") long argmax,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_maxout_backward")
  static native int maxoutBackward(
      @Cast("const float*") long gradOut,
      @Cast("const float*") long argmax,
      int rows,
      int cols,
      int pieces,
      @Cast("float*") long gradIn,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_dropout_forward")
  static native int dropoutForward(
      @Cast("const float*") long x,
      int n,
      float keepProbability,
      @Cast("unsigned long long") long seed,
      @Cast("unsigned long long") long streamId,
      @Cast("float*") long mask,
      @Cast("float*") long out,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_dropout_backward")
  static native int dropoutBackward(
      @Cast("const float*") long gradOut,
      @Cast("const float*") long mask,
      @Cast("float*") long gradIn,
      int n,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_softmax")
  static native int softmax(
      @Cast("const float*") long logits,
      @Cast("float*") long out,
      int rows,
      int cols,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_softmax_cross_entropy")
  static native int softmaxCrossEntropy(
      @Cast("const float*") long logits,
      @Cast("const float*") long labels,
      @Cast("float*") long gradLogits,
      @Cast("float*") long lossSum,
      @Cast("int*") long badRow,
      int rows,
      int cols,
      @Cast("float*") long scratch,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_sigmoid_binary_cross_entropy")
  static native int sigmoidBinaryCrossEntropy(
      @Cast("const float*") long logits,
      @Cast("const float*") long targets,
      @Cast("float*") long gradLogits,
      @Cast("float*") long lossSum,
      int n,
      @Cast("float*") long scratch,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_mean_squared_error")
  static native int meanSquaredError(
      @Cast("const float*") long predictions,
      @Cast("const float*") long targets,
      @Cast("float*") long grad,
      @Cast("float*") long lossSum,
      int n,
      @Cast("float*") long scratch,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_sum")
  static native int sum(
      @Cast("const float*") long x,
      int n,
      @Cast("float*") long result,
      @Cast("float*") long scratch,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_squared_norm")
  static native int squaredNorm(
      @Cast("const float*") long x,
      int n,
      @Cast("float*") long result,
      @Cast("float*") long scratch,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_argmax_rows")
  static native int argmaxRows(
      @Cast("const float*") long x,
      int rows,
      int cols,
      @Cast("float*") long out,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_count_correct")
  static native int countCorrect(
      @Cast("const float*") long scores,
      @Cast("const float*") long labels,
      int rows,
      int cols,
      @Cast("float*") long count,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_batch_norm_forward_training")
  static native int batchNormForwardTraining(
      @Cast("const float*") long x,
      int n,
      int c,
      @Cast("const float*") long gamma,
      @Cast("const float*") long beta,
      @Cast("float*") long runningMean,
      @Cast("float*") long runningVar,
      float momentum,
      float epsilon,
      @Cast("float*") long savedMean,
      @Cast("float*") long savedInvStd,
      @Cast("float*") long out,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_batch_norm_forward_inference")
  static native int batchNormForwardInference(
      @Cast("const float*") long x,
      int n,
      int c,
      @Cast("const float*") long gamma,
      @Cast("const float*") long beta,
      @Cast("const float*") long runningMean,
      @Cast("const float*") long runningVar,
      float epsilon,
      @Cast("float*") long out,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_batch_norm_backward")
  static native int batchNormBackward(
      @Cast("const float*") long x,
      @Cast("const float*") long gradOut,
      int n,
      int c,
      @Cast("const float*") long gamma,
      @Cast("const float*") long savedMean,
      @Cast("const float*") long savedInvStd,
      @Cast("float*") long gradIn,
      @Cast("float*") long gradGamma,
      @Cast("float*") long gradBeta,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_sgd_update")
  static native int sgdUpdate(
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      int n,
      float learningRate,
      float l2,
      float weightDecay,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_momentum_update")
  static native int momentumUpdate(
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long velocity,
      int n,
      float learningRate,
      float momentum,
      int nesterov,
      float l2,
      float weightDecay,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_ada_grad_update")
  static native int adaGradUpdate(
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long sumSquares,
      int n,
      float learningRate,
      float epsilon,
      float l2,
      float weightDecay,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_rms_prop_update")
  static native int rmsPropUpdate(
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long meanSquares,
      int n,
      float learningRate,
      float rho,
      float epsilon,
      float l2,
      float weightDecay,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_adam_update")
  static native int adamUpdate(
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long m,
      @Cast("float*") long v,
      int n,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      float biasCorrection1,
      float biasCorrection2,
      float l2,
      float weightDecay,
      @Cast("cudaStream_t") long stream);

  @Name("dnn_nadam_update")
  static native int nadamUpdate(
      @Cast("float*") long param,
      @Cast("const float*") long grad,
      @Cast("float*") long m,
      @Cast("float*") long v,
      int n,
      float learningRate,
      float beta1,
      float oneMinusBeta1,
      float beta2,
      float oneMinusBeta2,
      float epsilon,
      float gradStep,
      float momentumStep,
      float biasCorrection2,
      float l2,
      float weightDecay,
      @Cast("cudaStream_t") long stream);
}
