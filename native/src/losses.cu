// Softmax, fused softmax + cross-entropy (one warp per row, log-sum-exp, shuffle reductions),
// sigmoid + binary cross-entropy and mean squared error. Loss sums are added to lossSum[0] once
// per launch, by the block that combines the blocks' totals (gridSum).
#include <math.h>

#include "common.cuh"

namespace dnn {
namespace {

constexpr int kWarpsPerBlock = kThreads / 32;

// Row maximum and log of the sum of exponentials shifted by it, for one warp's row.
__device__ __forceinline__ void rowLogSumExp(const float* row, int cols, float& maxOut,
                                             float& logSumOut) {
  const int lane = threadIdx.x & 31;
  float m = -INFINITY;
  for (int j = lane; j < cols; j += 32) m = fmaxf(m, row[j]);
  m = warpMax(m);
  float s = 0.0f;
  for (int j = lane; j < cols; j += 32) s += expf(row[j] - m);
  s = warpSum(s);
  s = __shfl_sync(kFullMask, s, 0);
  maxOut = m;
  logSumOut = logf(s);
}

// Records row + 1 in *badRow unless a lower row is there already: the first bad row is reported
// whichever warp finds its row first. Once non-zero the value only falls, so the loop ends.
__device__ __forceinline__ void flagBadRow(int* badRow, int rowPlusOne) {
  int seen = 0;
  for (int old; (old = atomicCAS(badRow, seen, rowPlusOne)) != seen && old > rowPlusOne;) {
    seen = old;
  }
}

__global__ void softmaxKernel(const float* __restrict__ logits, float* __restrict__ out, int rows,
                              int cols) {
  const int lane = threadIdx.x & 31;
  const int warps = gridDim.x * kWarpsPerBlock;
  for (long long r = blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5); r < rows; r += warps) {
    const float* row = logits + r * cols;
    float m, logSum;
    rowLogSumExp(row, cols, m, logSum);
    float* dst = out + r * cols;
    for (int j = lane; j < cols; j += 32) dst[j] = expf(row[j] - m - logSum);
  }
}

__global__ void softmaxCrossEntropyKernel(const float* __restrict__ logits,
                                          const float* __restrict__ labels,
                                          float* __restrict__ grad, float* lossSum,
                                          int* badRow, int rows, int cols, float* scratch) {
  const int lane = threadIdx.x & 31;
  const int warps = gridDim.x * kWarpsPerBlock;
  const float invRows = 1.0f / static_cast<float>(rows);
  float blockLoss = 0.0f;  // meaningful in lane 0 of each warp
  for (long long r = blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5); r < rows; r += warps) {
    const float* row = logits + r * cols;
    float m, logSum;
    rowLogSumExp(row, cols, m, logSum);
    const float labelValue = labels[r];
    const int label = static_cast<int>(labelValue);
    const bool valid = label >= 0 && label < cols && static_cast<float>(label) == labelValue;
    float* g = grad + r * cols;
    for (int j = lane; j < cols; j += 32) {
      const float p = expf(row[j] - m - logSum);
      g[j] = (p - (j == label ? 1.0f : 0.0f)) * invRows;
    }
    // An invalid label poisons the loss with NaN instead of reading out of bounds.
    if (lane == 0) {
      blockLoss += valid ? (m + logSum - row[label]) : NAN;
      if (!valid) flagBadRow(badRow, static_cast<int>(r + 1));
    }
  }
  float total = 0.0f;
  if (gridSum(blockSum(blockLoss), scratch, total)) *lossSum += total;
}

// Runs loss(a[i], b[i], grad[i]) over the n elements, four at a time where vec, and adds the
// grid's total of the losses it returns to lossSum[0]. loss writes element i's gradient.
template <class ElementLoss>
__device__ __forceinline__ void elementwiseLoss(const float* a, const float* b, float* grad,
                                                float* lossSum, int n, bool vec, float* scratch,
                                                ElementLoss loss) {
  float acc = 0.0f;
  const auto accumulate = [&] __device__(float x, float y, float& gradi) {
    acc += loss(x, y, gradi);
  };
  vectorLoop(
      n, vec,
      [&] __device__(long long q) {
        float4 gradq;
        eachLane(accumulate, load4(a, q), load4(b, q), gradq);
        store4(grad, q, gradq);
      },
      [&] __device__(long long i) { accumulate(a[i], b[i], grad[i]); });
  float total = 0.0f;
  if (gridSum(blockSum(acc), scratch, total)) *lossSum += total;
}

__global__ void sigmoidBinaryCrossEntropyKernel(const float* __restrict__ logits,
                                                const float* __restrict__ targets,
                                                float* __restrict__ grad, float* lossSum, int n,
                                                bool vec, float* scratch) {
  const float invN = 1.0f / static_cast<float>(n);
  elementwiseLoss(logits, targets, grad, lossSum, n, vec, scratch,
                  [=] __device__(float z, float t, float& gradi) {
                    const float e = expf(-fabsf(z));
                    const float s = z >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
                    gradi = (s - t) * invN;
                    return fmaxf(z, 0.0f) - z * t + log1pf(e);
                  });
}

__global__ void meanSquaredErrorKernel(const float* __restrict__ predictions,
                                       const float* __restrict__ targets, float* __restrict__ grad,
                                       float* lossSum, int n, bool vec, float* scratch) {
  const float scale = 2.0f / static_cast<float>(n);
  elementwiseLoss(predictions, targets, grad, lossSum, n, vec, scratch,
                  [=] __device__(float prediction, float target, float& gradi) {
                    const float d = prediction - target;
                    gradi = scale * d;
                    return d * d;
                  });
}

// One warp per row, kWarpsPerBlock rows per block.
int rowBlocks(int rows) { return gridFor(rows, kWarpsPerBlock); }

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_softmax(const float* logits, float* out, int rows, int cols,
                           cudaStream_t stream) {
  if (rows <= 0 || cols <= 0) return 0;
  DNN_LAUNCH(softmaxKernel, rowBlocks(rows), kThreads, stream)(logits, out, rows, cols);
  return launched();
}

extern "C" int dnn_softmax_cross_entropy(const float* logits, const float* labels,
                                         float* gradLogits, float* lossSum, int* badRow,
                                         int rows, int cols, float* scratch,
                                         cudaStream_t stream) {
  if (rows <= 0 || cols <= 0) return 0;
  DNN_LAUNCH(softmaxCrossEntropyKernel, reductionGridFor(rows, kWarpsPerBlock), kThreads, stream)(
      logits, labels, gradLogits, lossSum, badRow, rows, cols, scratch);
  return launched();
}

extern "C" int dnn_sigmoid_binary_cross_entropy(const float* logits, const float* targets,
                                                float* gradLogits, float* lossSum, int n,
                                                float* scratch, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(logits) && aligned16(targets) && aligned16(gradLogits);
  DNN_LAUNCH(sigmoidBinaryCrossEntropyKernel, reductionGridFor((n + 3LL) / 4), kThreads, stream)(
      logits, targets, gradLogits, lossSum, n, vec, scratch);
  return launched();
}

extern "C" int dnn_mean_squared_error(const float* predictions, const float* targets,
                                      float* grad, float* lossSum, int n, float* scratch,
                                      cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(predictions) && aligned16(targets) && aligned16(grad);
  DNN_LAUNCH(meanSquaredErrorKernel, reductionGridFor((n + 3LL) / 4), kThreads, stream)(
      predictions, targets, grad, lossSum, n, vec, scratch);
  return launched();
}
