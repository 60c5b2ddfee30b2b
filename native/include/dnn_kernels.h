/*
 * dnn native kernels: the C entry points of the hand-written CUDA kernels behind
 * dev.dnn.backend.Backend. Every launcher takes device pointers, sizes and scalars, enqueues its
 * work on `stream` and returns the cudaError_t of the launch as an int (0 = cudaSuccess).
 * Matrices are row-major [rows, cols]. Activation codes are dev.dnn.backend.ActivationKind.code().
 * Each launcher is named after the Backend operation it implements: dnn_ followed by the method's
 * name in snake case (Backend.sigmoidBinaryCrossEntropy -> dnn_sigmoid_binary_cross_entropy);
 * KernelBridgeTest in dnn-cuda holds the header, the JNI bridge and Backend to that rule.
 *
 * Launchers that produce one total (dnn_sum, dnn_squared_norm and the loss sums) combine the
 * totals of their blocks in an order fixed by the input size alone, so that the same input gives
 * the same bits in every run, whichever block finishes first. They take `scratch`, a device array
 * of DNN_REDUCTION_SCRATCH_FLOATS floats that the caller zeroes once before its first use: each
 * launch writes the totals of its blocks there and counts finished blocks in its last element,
 * which the launch leaves at 0 again for the next one. One scratch array must not serve two
 * launches that may run at the same time (on different streams); launches queued one after
 * another on a stream can share it.
 */
#ifndef DNN_KERNELS_H
#define DNN_KERNELS_H

#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most blocks a reduction grid uses: their totals fill the first DNN_REDUCTION_MAX_BLOCKS
   floats of the scratch array, and the block that finishes last reads them all. */
#define DNN_REDUCTION_MAX_BLOCKS 1024
/* Floats in a reduction scratch array: the blocks' totals, then the count of finished blocks. */
#define DNN_REDUCTION_SCRATCH_FLOATS (DNN_REDUCTION_MAX_BLOCKS + 1)

/* Activation codes, equal to ActivationKind.code(); they never change. */
#define DNN_ACT_LINEAR 0
#define DNN_ACT_SIGMOID 1
#define DNN_ACT_TANH 2
#define DNN_ACT_RELU 3
#define DNN_ACT_LEAKY_RELU 4
#define DNN_ACT_PRELU 5
#define DNN_ACT_RRELU 6
#define DNN_ACT_ELU 7
#define DNN_ACT_SELU 8
#define DNN_ACT_SOFTPLUS 9
#define DNN_ACT_SWISH 10
#define DNN_ACT_ABS 11

/* ---- device ---- */
/* Makes `device` current for the calling thread in this library's (statically linked) runtime,
   which keeps its own current device apart from any other CUDA runtime in the process. */
int dnn_set_device(int device);

/* ---- element-wise ---- */
int dnn_fill(float* x, int n, float value, cudaStream_t stream);
int dnn_copy(const float* src, float* dst, int n, cudaStream_t stream);
int dnn_scale(float* x, int n, float alpha, cudaStream_t stream);
int dnn_axpy(float alpha, const float* x, float* y, int n, cudaStream_t stream);
int dnn_add(const float* a, const float* b, float* out, int n, cudaStream_t stream);
int dnn_multiply(const float* a, const float* b, float* out, int n, cudaStream_t stream);
/* out[j] = sum_i x[i, j] + beta * out[j] */
int dnn_column_sums(const float* x, int rows, int cols, float beta, float* out, cudaStream_t stream);
/* x[i] = low + (high - low) * Philox.uniform(seed, streamId, i) */
int dnn_fill_uniform(float* x, int n, float low, float high, unsigned long long seed,
                     unsigned long long streamId, cudaStream_t stream);

/* ---- activations ---- */
/* A kind that is not a DNN_ACT_* code launches nothing and returns cudaErrorInvalidValue. */
/* z[i, j] += bias[j] (bias may be NULL); out = f(z). slopes: per column (PReLU) or element (RReLU). */
int dnn_bias_activation_forward(int kind, float alpha, const float* slopes, float* z,
                                const float* bias, float* out, int rows, int cols,
                                cudaStream_t stream);
/* gradIn = gradOut * f'(z); gradIn may alias gradOut. */
int dnn_activation_backward(int kind, float alpha, const float* slopes, const float* z,
                            const float* out, const float* gradOut, float* gradIn, int rows,
                            int cols, cudaStream_t stream);
/* gradSlopes[j] = sum_i gradOut[i, j] * min(0, z[i, j]) + beta * gradSlopes[j] */
int dnn_prelu_slope_gradient(const float* z, const float* gradOut, int rows, int cols, float beta,
                             float* gradSlopes, cudaStream_t stream);
/* z is [rows, cols * pieces]; out and argmax are [rows, cols]. */
int dnn_maxout_forward(const float* z, int rows, int cols, int pieces, float* out, float* argmax,
                       cudaStream_t stream);
int dnn_maxout_backward(const float* gradOut, const float* argmax, int rows, int cols, int pieces,
                        float* gradIn, cudaStream_t stream);

/* ---- dropout ---- */
int dnn_dropout_forward(const float* x, int n, float keepProbability, unsigned long long seed,
                        unsigned long long streamId, float* mask, float* out, cudaStream_t stream);
int dnn_dropout_backward(const float* gradOut, const float* mask, float* gradIn, int n,
                         cudaStream_t stream);

/* ---- losses ---- */
int dnn_softmax(const float* logits, float* out, int rows, int cols, cudaStream_t stream);
/* Adds sum of row losses to lossSum[0]; gradLogits = gradient of the mean loss. A label that is
   not a class index in [0, cols) adds NaN to the loss and, unless badRow[0] holds a lower row + 1
   already (0: none), sets it to the first such row + 1, so that the host can report it. */
int dnn_softmax_cross_entropy(const float* logits, const float* labels, float* gradLogits,
                              float* lossSum, int* badRow, int rows, int cols, float* scratch,
                              cudaStream_t stream);
/* Add the sum of the element losses to lossSum[0]; the gradient is that of the mean loss. */
int dnn_sigmoid_binary_cross_entropy(const float* logits, const float* targets, float* gradLogits,
                                     float* lossSum, int n, float* scratch, cudaStream_t stream);
int dnn_mean_squared_error(const float* predictions, const float* targets, float* grad,
                           float* lossSum, int n, float* scratch, cudaStream_t stream);

/* ---- reductions (result is one device float, overwritten) ---- */
int dnn_sum(const float* x, int n, float* result, float* scratch, cudaStream_t stream);
int dnn_squared_norm(const float* x, int n, float* result, float* scratch, cudaStream_t stream);
int dnn_argmax_rows(const float* x, int rows, int cols, float* out, cudaStream_t stream);
/* Adds to count[0] the number of rows whose argmax equals labels[i]. */
int dnn_count_correct(const float* scores, const float* labels, int rows, int cols, float* count,
                      cudaStream_t stream);

/* ---- batch normalization over the rows of x [n, c] ---- */
int dnn_batch_norm_forward_training(const float* x, int n, int c, const float* gamma,
                                    const float* beta, float* runningMean, float* runningVar,
                                    float momentum, float epsilon, float* savedMean,
                                    float* savedInvStd, float* out, cudaStream_t stream);
int dnn_batch_norm_forward_inference(const float* x, int n, int c, const float* gamma,
                                     const float* beta, const float* runningMean,
                                     const float* runningVar, float epsilon, float* out,
                                     cudaStream_t stream);
int dnn_batch_norm_backward(const float* x, const float* gradOut, int n, int c, const float* gamma,
                            const float* savedMean, const float* savedInvStd, float* gradIn,
                            float* gradGamma, float* gradBeta, cudaStream_t stream);

/* ---- optimizer updates: g = grad + l2 * p; rule; p -= lr * weightDecay * p_old ---- */
int dnn_sgd_update(float* param, const float* grad, int n, float learningRate, float l2,
                   float weightDecay, cudaStream_t stream);
int dnn_momentum_update(float* param, const float* grad, float* velocity, int n, float learningRate,
                        float momentum, int nesterov, float l2, float weightDecay,
                        cudaStream_t stream);
int dnn_ada_grad_update(float* param, const float* grad, float* sumSquares, int n,
                        float learningRate, float epsilon, float l2, float weightDecay,
                        cudaStream_t stream);
int dnn_rms_prop_update(float* param, const float* grad, float* meanSquares, int n,
                        float learningRate, float rho, float epsilon, float l2, float weightDecay,
                        cudaStream_t stream);
/* biasCorrection1 = 1 - beta1^t, biasCorrection2 = 1 - beta2^t, computed by the caller. */
int dnn_adam_update(float* param, const float* grad, float* m, float* v, int n, float learningRate,
                    float beta1, float beta2, float epsilon, float biasCorrection1,
                    float biasCorrection2, float l2, float weightDecay, cudaStream_t stream);
/* oneMinusBeta1 = 1 - beta1 and oneMinusBeta2 = 1 - beta2 formed by the caller in double and rounded
   once: 1.0f - beta2 from a rounded beta2 cancels most digits (1.3e-5 off at 0.999). */
int dnn_nadam_update(float* param, const float* grad, float* m, float* v, int n,
                     float learningRate, float beta1, float oneMinusBeta1, float beta2,
                     float oneMinusBeta2, float epsilon, float gradStep, float momentumStep,
                     float biasCorrection2, float l2, float weightDecay, cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#endif /* DNN_KERNELS_H */
