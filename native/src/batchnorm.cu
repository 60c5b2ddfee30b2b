// Batch normalization over the rows of x [n, c]: per-column statistics by a 32 x 8 block that owns
// 32 columns (two passes over the rows for a stable variance), then an element-wise transform.
#include <math.h>

#include "common.cuh"

namespace dnn {
namespace {

constexpr int kColWidth = 32;
constexpr int kRowLanes = 8;

// Sum over the row lanes of a 32 x 8 block; the result is returned to every thread of a column.
__device__ __forceinline__ float columnCombine(float v, float (*partial)[kColWidth]) {
  __syncthreads();
  partial[threadIdx.y][threadIdx.x] = v;
  __syncthreads();
  float total = 0.0f;
  for (int k = 0; k < kRowLanes; ++k) total += partial[k][threadIdx.x];
  return total;
}

__global__ void statisticsKernel(const float* __restrict__ x, int n, int c, float momentum,
                                 float epsilon, float* runningMean, float* runningVar,
                                 float* savedMean, float* savedInvStd) {
  __shared__ float partial[kRowLanes][kColWidth];
  const int col = blockIdx.x * kColWidth + threadIdx.x;
  const bool active = col < c;
  float acc = 0.0f;
  if (active) {
    for (long long r = threadIdx.y; r < n; r += kRowLanes) acc += x[r * c + col];
  }
  const float mean = columnCombine(acc, partial) / static_cast<float>(n);
  acc = 0.0f;
  if (active) {
    for (long long r = threadIdx.y; r < n; r += kRowLanes) {
      const float d = x[r * c + col] - mean;
      acc += d * d;
    }
  }
  const float squares = columnCombine(acc, partial);
  if (threadIdx.y == 0 && active) {
    const float variance = squares / static_cast<float>(n);
    const float unbiased = n > 1 ? squares / static_cast<float>(n - 1) : variance;
    savedMean[col] = mean;
    savedInvStd[col] = 1.0f / sqrtf(variance + epsilon);
    runningMean[col] = (1.0f - momentum) * runningMean[col] + momentum * mean;
    runningVar[col] = (1.0f - momentum) * runningVar[col] + momentum * unbiased;
  }
}

// out = gamma * (x - mean) * invStd + beta; invStd is either saved or derived from a variance.
template <bool kFromVariance>
__global__ void normalizeKernel(const float* __restrict__ x, int n, int c,
                                const float* __restrict__ gamma, const float* __restrict__ beta,
                                const float* __restrict__ mean, const float* __restrict__ spread,
                                float epsilon, float* __restrict__ out) {
  const long long total = static_cast<long long>(n) * c;
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += stride) {
    const int col = static_cast<int>(i % c);
    const float invStd = kFromVariance ? 1.0f / sqrtf(spread[col] + epsilon) : spread[col];
    out[i] = gamma[col] * ((x[i] - mean[col]) * invStd) + beta[col];
  }
}

// gradBeta = sum g, gradGamma = sum g * xhat, then
// gradIn = gamma * invStd / n * (n g - gradBeta - xhat gradGamma).
__global__ void backwardKernel(const float* __restrict__ x, const float* __restrict__ gradOut,
                               int n, int c, const float* __restrict__ gamma,
                               const float* __restrict__ savedMean,
                               const float* __restrict__ savedInvStd, float* __restrict__ gradIn,
                               float* __restrict__ gradGamma, float* __restrict__ gradBeta) {
  __shared__ float partial[kRowLanes][kColWidth];
  const int col = blockIdx.x * kColWidth + threadIdx.x;
  const bool active = col < c;
  const float mean = active ? savedMean[col] : 0.0f;
  const float invStd = active ? savedInvStd[col] : 0.0f;
  float sumG = 0.0f;
  float sumGx = 0.0f;
  if (active) {
    for (long long r = threadIdx.y; r < n; r += kRowLanes) {
      const long long i = r * c + col;
      const float g = gradOut[i];
      sumG += g;
      sumGx += g * (x[i] - mean) * invStd;
    }
  }
  const float dBeta = columnCombine(sumG, partial);
  const float dGamma = columnCombine(sumGx, partial);
  if (!active) return;
  if (threadIdx.y == 0) {
    gradBeta[col] = dBeta;
    gradGamma[col] = dGamma;
  }
  const float scale = gamma[col] * invStd / static_cast<float>(n);
  for (long long r = threadIdx.y; r < n; r += kRowLanes) {
    const long long i = r * c + col;
    const float xhat = (x[i] - mean) * invStd;
    gradIn[i] = scale * (static_cast<float>(n) * gradOut[i] - dBeta - xhat * dGamma);
  }
}

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_batch_norm_forward_training(const float* x, int n, int c, const float* gamma,
                                               const float* beta, float* runningMean,
                                               float* runningVar, float momentum, float epsilon,
                                               float* savedMean, float* savedInvStd, float* out,
                                               cudaStream_t stream) {
  if (n <= 0 || c <= 0) return 0;
  const dim3 block(kColWidth, kRowLanes);
  DNN_LAUNCH(statisticsKernel, (c + kColWidth - 1) / kColWidth, block, stream)(
      x, n, c, momentum, epsilon, runningMean, runningVar, savedMean, savedInvStd);
  int status = launched();
  if (status != 0) return status;
  DNN_LAUNCH(normalizeKernel<false>, gridFor(static_cast<long long>(n) * c), kThreads, stream)(
      x, n, c, gamma, beta, savedMean, savedInvStd, epsilon, out);
  return launched();
}

extern "C" int dnn_batch_norm_forward_inference(const float* x, int n, int c, const float* gamma,
                                                const float* beta, const float* runningMean,
                                                const float* runningVar, float epsilon,
                                                float* out, cudaStream_t stream) {
  if (n <= 0 || c <= 0) return 0;
  DNN_LAUNCH(normalizeKernel<true>, gridFor(static_cast<long long>(n) * c), kThreads, stream)(
      x, n, c, gamma, beta, runningMean, runningVar, epsilon, out);
  return launched();
}

extern "C" int dnn_batch_norm_backward(const float* x, const float* gradOut, int n, int c,
                                       const float* gamma, const float* savedMean,
                                       const float* savedInvStd, float* gradIn, float* gradGamma,
                                       float* gradBeta, cudaStream_t stream) {
  if (n <= 0 || c <= 0) return 0;
  const dim3 block(kColWidth, kRowLanes);
  DNN_LAUNCH(backwardKernel, (c + kColWidth - 1) / kColWidth, block, stream)(
      x, gradOut, n, c, gamma, savedMean, savedInvStd, gradIn, gradGamma, gradBeta);
  return launched();
}
