package dev.dnn.backend;

import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;

/**
 * The kernel contract: the primitive operations every compute backend implements, plus memory.
 * Layers, losses and optimizers are written only against this interface and never loop over numbers
 * themselves; a backend never knows about layers.
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li>All tensors are float32, row-major, created by this backend. Matrices are {@code [rows,
 *       cols]}; activations are {@code [batch, features]}; a bias or per-feature parameter is a
 *       vector of {@code cols} elements.
 *   <li>Operations may run asynchronously (on a GPU stream). Only methods that return a host value
 *       or copy to the host wait for pending work.
 *   <li>Output tensors must not alias inputs unless the method says so.
 *   <li>Callers (layers) add which layer was involved to the exceptions below.
 *   <li>Random numbers come from {@link dev.dnn.random.Philox} addressed by {@code (seed, stream,
 *       element index)}, so every backend draws the same numbers for the same element.
 * </ul>
 *
 * <h2>Bad input</h2>
 *
 * Every operation checks its arguments before it touches memory or queues work, with the checks of
 * {@link KernelChecks} (one per operation, same name), so that every backend rejects the same input
 * the same way, with a message that names the operation, the argument and the shapes:
 *
 * <ul>
 *   <li>{@link IllegalArgumentException}: a wrong argument. A null tensor; a tensor of another
 *       backend, another instance of the same backend included, or of a {@code Tensor} type this
 *       backend did not create ({@link KernelChecks#owned}); shapes or sizes that do not fit; an
 *       output that aliases an input where the operation does not allow it; a null record of
 *       optimizer hyperparameters; a scalar out of range (a keep probability outside (0, 1], an
 *       Adam step below 1).
 *   <li>{@link IllegalStateException}: a tensor used after it was closed, or any operation of a
 *       backend after {@link #close()} ({@link KernelChecks#open}).
 *   <li>{@link BackendException} (or a subclass): the device itself failed.
 * </ul>
 *
 * A backend that runs asynchronously may report a bad value found by a kernel (a label outside the
 * classes) at the next method that waits for pending work, as an {@link IllegalArgumentException}.
 *
 * <h2>Threads</h2>
 *
 * Whether several threads may call one backend at once is {@link #isThreadSafe()}. A backend that
 * is not thread-safe is shared by taking turns on its monitor ({@code synchronized (backend)}), as
 * a model's predictions and a trainer's steps do.
 */
public interface Backend extends AutoCloseable {

  // ---------------------------------------------------------------- identity and memory

  /** The provider name of this backend ({@code cpu}, {@code cuda}). */
  String name();

  /** A one-line description of the hardware and configuration (threads, device, versions). */
  String description();

  /**
   * Whether several threads may call this backend at once (its memory, its kernels and their
   * scratch). A model serves concurrent predictions on a backend that is not, one call at a time,
   * by holding the backend's monitor; a trainer's step does the same.
   */
  default boolean isThreadSafe() {
    return false;
  }

  /** One share of a batch's rows, {@code [from, to)}, run through a whole pass. */
  @FunctionalInterface
  interface RowShare {
    /** Runs share number {@code share}: rows {@code [from, to)} of the batch. */
    void run(int share, int from, int to);
  }

  /**
   * Runs a pass over a batch of {@code rows} rows that no op of the pass mixes (an inference pass)
   * as shares of consecutive rows: {@code task.run(i, from, to)} once for each share {@code i = 0,
   * 1, ...}, the shares' ranges covering {@code [0, rows)} in order, and returns once all have run,
   * rethrowing the first failure. The ops a share calls run on the thread that runs the share, and
   * every row gets the same numbers whichever share holds it. The shares of a row count may differ
   * from call to call: a backend that could not run several at once runs one of every row.
   *
   * <p>The default runs one share of every row on the calling thread, as a device whose every op is
   * parallel in itself wants. A backend that computes on the host's threads may run a share per
   * thread at once: each thread's rows then stay in its own core's caches from layer to layer, and
   * no thread waits for another between layers.
   *
   * @param workPerRow about how many float operations the pass costs a row (a multiply-add counts
   *     two): below a backend's threshold, splitting does not pay
   */
  default void forRowShares(int rows, long workPerRow, RowShare task) {
    task.run(0, 0, rows);
  }

  /** A new tensor of the given shape, filled with zeros. */
  Tensor zeros(Shape shape);

  /** A new tensor holding a copy of {@code data}, which must have exactly {@code shape.size()}. */
  Tensor fromHost(float[] data, Shape shape);

  /** Copies {@code dst.size()} floats from {@code src}, starting at {@code srcOffset}, into dst. */
  void copyFromHost(float[] src, int srcOffset, Tensor dst);

  /**
   * {@link #copyFromHost}, and whether every value copied is finite: false when one is NaN or
   * infinite, and then {@code dst} holds unspecified values. A prediction's rows are checked and
   * uploaded with it; a backend that can do both in one pass over {@code src} overrides it (the CPU
   * backend, over its threads), the others check on the host first.
   */
  default boolean copyFiniteFromHost(float[] src, int srcOffset, Tensor dst) {
    if (dst == null) {
      throw new IllegalArgumentException("copyFiniteFromHost: dst is null");
    }
    KernelChecks.hostRange("copyFiniteFromHost", "src", src, srcOffset, dst.size());
    if (!FiniteFloats.all(src, srcOffset, dst.size())) {
      return false;
    }
    copyFromHost(src, srcOffset, dst);
    return true;
  }

  /** Copies all of {@code src} into {@code dst} starting at {@code dstOffset}; waits for work. */
  void copyToHost(Tensor src, float[] dst, int dstOffset);

  /** Blocks until every operation issued so far has completed. */
  void synchronize();

  /** Current memory accounting. */
  MemoryStats memoryStats();

  /**
   * Releases every resource. Idempotent; afterwards creating tensors, copying and every operation
   * throw an {@link IllegalStateException}, and so does any use of the tensors it created.
   */
  @Override
  void close();

  // ---------------------------------------------------------------- dense algebra

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or its transpose. A, B
   * and C are matrices; with {@code beta == 0} the previous contents of C are ignored (even NaN).
   */
  void gemm(
      boolean transposeA,
      boolean transposeB,
      float alpha,
      Tensor a,
      Tensor b,
      float beta,
      Tensor c);

  // ---------------------------------------------------------------- element-wise

  /** Sets every element of {@code t} to {@code value}. */
  void fill(Tensor t, float value);

  /** Copies {@code src} into {@code dst}; same size. */
  void copy(Tensor src, Tensor dst);

  /** {@code t *= alpha}, in place. */
  void scale(Tensor t, float alpha);

  /** {@code y += alpha * x}; same size. */
  void axpy(float alpha, Tensor x, Tensor y);

  /** {@code out = a + b}; same size; {@code out} may alias {@code a} or {@code b}. */
  void add(Tensor a, Tensor b, Tensor out);

  /** {@code out = a * b} element-wise; same size; {@code out} may alias {@code a} or {@code b}. */
  void multiply(Tensor a, Tensor b, Tensor out);

  /**
   * {@code out[j] = sum_i x[i, j] + beta * out[j]}: the column sums of a matrix (the bias gradient
   * of a dense layer), accumulated into {@code out} when {@code beta == 1}.
   */
  void columnSums(Tensor x, float beta, Tensor out);

  /**
   * Fills {@code t} with uniform numbers in {@code [low, high)}: element {@code i} is {@code low +
   * (high - low) * Philox.uniform(seed, stream, i)}.
   */
  void fillUniform(Tensor t, float low, float high, long seed, long stream);

  // ---------------------------------------------------------------- activations

  /**
   * Fused bias + activation forward. Adds {@code bias} (a vector of {@code z.cols()}, or null for
   * none) to every row of {@code z} in place, so that {@code z} keeps the pre-activation that the
   * backward pass needs, and writes {@code out = f(z)}. {@code out} may alias {@code z} only for
   * {@link ActivationKind#LINEAR}.
   *
   * @param alpha the scalar of parameterized functions (leaky slope, ELU alpha); ignored otherwise
   * @param slopes per-column ({@link ActivationKind#PRELU}) or per-element ({@link
   *     ActivationKind#RRELU}) negative slopes; null for the other functions
   */
  void biasActivationForward(
      ActivationKind kind, float alpha, Tensor slopes, Tensor z, Tensor bias, Tensor out);

  /**
   * Fused activation backward: {@code gradIn = gradOut * f'(z)}. {@code out} is {@code f(z)} as the
   * forward pass wrote it (sigmoid and tanh use it instead of recomputing). {@code gradIn} may
   * alias {@code gradOut}.
   */
  void activationBackward(
      ActivationKind kind,
      float alpha,
      Tensor slopes,
      Tensor z,
      Tensor out,
      Tensor gradOut,
      Tensor gradIn);

  /**
   * The gradient of PReLU's per-column slopes: {@code gradSlopes[j] = sum_i gradOut[i, j] * min(0,
   * z[i, j]) + beta * gradSlopes[j]}.
   */
  void preluSlopeGradient(Tensor z, Tensor gradOut, float beta, Tensor gradSlopes);

  /**
   * Maxout forward: {@code out[i, j] = max_k z[i, j * pieces + k]}; {@code argmax[i, j]} records
   * the winning {@code k} (as a float) for the backward pass.
   */
  void maxoutForward(Tensor z, int pieces, Tensor out, Tensor argmax);

  /** Maxout backward: routes {@code gradOut[i, j]} to the winning piece, zero to the others. */
  void maxoutBackward(Tensor gradOut, Tensor argmax, int pieces, Tensor gradIn);

  // ---------------------------------------------------------------- dropout

  /**
   * Inverted dropout forward: {@code mask[i] = u_i < keepProbability ? 1 / keepProbability : 0}
   * with {@code u_i = Philox.uniform(seed, stream, i)}, and {@code out = x * mask}.
   */
  void dropoutForward(
      Tensor x, float keepProbability, long seed, long stream, Tensor mask, Tensor out);

  /**
   * Dropout backward: {@code gradIn = gradOut * mask}; {@code gradIn} may alias {@code gradOut}.
   */
  void dropoutBackward(Tensor gradOut, Tensor mask, Tensor gradIn);

  // ---------------------------------------------------------------- losses

  /** Row-wise softmax of {@code logits} into {@code out}, computed stably. */
  void softmax(Tensor logits, Tensor out);

  /**
   * Fused softmax + cross-entropy, forward and backward in one pass (log-sum-exp stable). {@code
   * labels} holds one class index per row, as floats. Adds the sum over rows of the per-row loss to
   * {@code lossSum[0]} and writes {@code gradLogits}, the gradient of the <em>mean</em> loss over
   * the rows.
   */
  void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor gradLogits, Tensor lossSum);

  /**
   * Sigmoid + binary cross-entropy from logits against targets in [0, 1], stable for any logit.
   * Adds the sum of the element losses to {@code lossSum[0]}; {@code gradLogits} is the gradient of
   * the mean over all elements.
   */
  void sigmoidBinaryCrossEntropy(Tensor logits, Tensor targets, Tensor gradLogits, Tensor lossSum);

  /**
   * Mean squared error. Adds the sum of squared differences to {@code lossSum[0]}; {@code grad} is
   * the gradient of the mean over all elements.
   */
  void meanSquaredError(Tensor predictions, Tensor targets, Tensor grad, Tensor lossSum);

  // ---------------------------------------------------------------- reductions

  /** The sum of all elements (waits for the result). */
  float sum(Tensor t);

  /** The sum of squares of all elements (waits for the result). */
  float squaredNorm(Tensor t);

  /** {@code out[i] = argmax_j x[i, j]} (first maximum), as floats. */
  void argmaxRows(Tensor x, Tensor out);

  /**
   * Adds to {@code count[0]} the number of rows whose argmax of {@code scores} equals {@code
   * labels[i]}.
   */
  void countCorrect(Tensor scores, Tensor labels, Tensor count);

  // ---------------------------------------------------------------- batch normalization

  /**
   * Batch normalization over the rows of {@code x [n, c]}. Training: normalizes with the batch mean
   * and biased variance, stores them as {@code savedMean} and {@code savedInvStd = 1 / sqrt(var +
   * epsilon)}, and updates {@code running = (1 - momentum) * running + momentum * batch} (running
   * variance with the unbiased batch variance, as PyTorch). Inference: normalizes with the running
   * statistics and leaves the saved tensors alone. {@code out = gamma * xhat + beta}.
   */
  void batchNormForward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      float momentum,
      float epsilon,
      boolean training,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor out);

  /**
   * Batch-normalization backward for the training-mode forward: writes {@code gradIn} and
   * <em>overwrites</em> {@code gradGamma} and {@code gradBeta}.
   */
  void batchNormBackward(
      Tensor x,
      Tensor gradOut,
      Tensor gamma,
      Tensor savedMean,
      Tensor savedInvStd,
      Tensor gradIn,
      Tensor gradGamma,
      Tensor gradBeta);

  // ---------------------------------------------------------------- optimizer updates
  //
  // One fused kernel per optimizer, in place on the parameter and its state. Every update first
  // forms g = grad + l2 * param (the L2 penalty, coupled to the gradient), then applies the rule,
  // and finally the decoupled weight decay param -= learningRate * weightDecay * param_old
  // (AdamW-style; applied to the parameter as it was before this step). Definitions follow PyTorch;
  // each record of hyperparameters documents its rule. A null record is a wrong argument, as a null
  // tensor is.

  /** SGD: {@code p -= lr * g} ({@link SgdStep}). */
  void sgdUpdate(Tensor param, Tensor grad, SgdStep step);

  /** Momentum, plain or Nesterov, on {@code velocity} ({@link MomentumStep}). */
  void momentumUpdate(Tensor param, Tensor grad, Tensor velocity, MomentumStep step);

  /** AdaGrad on the running {@code sumSquares} ({@link AdaGradStep}). */
  void adaGradUpdate(Tensor param, Tensor grad, Tensor sumSquares, AdaGradStep step);

  /** RMSProp on the running {@code meanSquares} ({@link RmsPropStep}). */
  void rmsPropUpdate(Tensor param, Tensor grad, Tensor meanSquares, RmsPropStep step);

  /** Adam on the moments {@code m} and {@code v}, bias-corrected at the step ({@link AdamStep}). */
  void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step);

  /**
   * Nadam (PyTorch's NAdam) on the moments {@code m} and {@code v}, its momentum schedule evaluated
   * on the host ({@link NadamStep}).
   */
  void nadamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, NadamStep step);
}
