// Reductions: column sums, sum and squared norm into a device scalar, row argmax and the count of
// correct predictions.
#include <math.h>

#include "common.cuh"

namespace dnn {
namespace {

constexpr int kColWidth = 32;
constexpr int kRowLanes = 8;
constexpr int kWarpsPerBlock = kThreads / 32;

// A 32 x 8 block owns 32 columns; row lanes combine in shared memory (deterministic order).
__global__ void columnSumsKernel(const float* __restrict__ x, int rows, int cols, float beta,
                                 float* out) {
  __shared__ float partial[kRowLanes][kColWidth];
  const int col = blockIdx.x * kColWidth + threadIdx.x;
  float acc = 0.0f;
  if (col < cols) {
    for (long long r = threadIdx.y; r < rows; r += kRowLanes) {
      acc += x[r * cols + col];
    }
  }
  partial[threadIdx.y][threadIdx.x] = acc;
  __syncthreads();
  if (threadIdx.y == 0 && col < cols) {
    float total = 0.0f;
    for (int k = 0; k < kRowLanes; ++k) total += partial[k][threadIdx.x];
    // beta == 0 ignores previous contents, even NaN.
    out[col] = total + (beta == 0.0f ? 0.0f : beta * out[col]);
  }
}

// Overwrites *result with the sum (of squares): deterministic, see gridSum.
template <bool kSquare>
__global__ void reduceKernel(const float* __restrict__ x, int n, float* result, float* scratch) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  float acc = 0.0f;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    const float v = x[i];
    acc += kSquare ? v * v : v;
  }
  float total = 0.0f;
  if (gridSum(blockSum(acc), scratch, total)) *result = total;
}

// First maximum of a row, computed by one warp; ties go to the lower index.
__device__ __forceinline__ int rowArgmax(const float* row, int cols) {
  const int lane = threadIdx.x & 31;
  float best = -INFINITY;
  int index = cols;  // sentinel larger than any column
  for (int j = lane; j < cols; j += 32) {
    const float v = row[j];
    if (index == cols || v > best) {
      best = v;
      index = j;
    }
  }
  for (int offset = 16; offset > 0; offset >>= 1) {
    const float otherBest = __shfl_xor_sync(kFullMask, best, offset);
    const int otherIndex = __shfl_xor_sync(kFullMask, index, offset);
    if (otherBest > best || (otherBest == best && otherIndex < index)) {
      best = otherBest;
      index = otherIndex;
    }
  }
  return index == cols ? 0 : index;
}

__global__ void argmaxRowsKernel(const float* __restrict__ x, int rows, int cols,
                                 float* __restrict__ out) {
  const int warps = gridDim.x * kWarpsPerBlock;
  for (long long r = blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5); r < rows; r += warps) {
    const int index = rowArgmax(x + r * cols, cols);
    if ((threadIdx.x & 31) == 0) out[r] = static_cast<float>(index);
  }
}

__global__ void countCorrectKernel(const float* __restrict__ scores,
                                   const float* __restrict__ labels, int rows, int cols,
                                   float* count) {
  const int warps = gridDim.x * kWarpsPerBlock;
  float correct = 0.0f;
  for (long long r = blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5); r < rows; r += warps) {
    const int index = rowArgmax(scores + r * cols, cols);
    if ((threadIdx.x & 31) == 0 && static_cast<float>(index) == labels[r]) correct += 1.0f;
  }
  const float total = blockSum(correct);
  // atomicAdd is deterministic here, unlike for the other sums (gridSum): the block totals and the
  // count are whole numbers below 2^24, which float adds exactly, so any block order gives the
  // same bits.
  if (threadIdx.x == 0 && total != 0.0f) atomicAdd(count, total);
}

// One warp per row, kWarpsPerBlock rows per block.
int rowBlocks(int rows) { return gridFor(rows, kWarpsPerBlock); }

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_column_sums(const float* x, int rows, int cols, float beta, float* out,
                               cudaStream_t stream) {
  if (cols <= 0) return 0;
  const dim3 block(kColWidth, kRowLanes);
  DNN_LAUNCH(columnSumsKernel, (cols + kColWidth - 1) / kColWidth, block, stream)(
      x, rows, cols, beta, out);
  return launched();
}

extern "C" int dnn_sum(const float* x, int n, float* result, float* scratch,
                       cudaStream_t stream) {
  if (n <= 0) return static_cast<int>(cudaMemsetAsync(result, 0, sizeof(float), stream));
  DNN_LAUNCH(reduceKernel<false>, reductionGridFor(n), kThreads, stream)(x, n, result, scratch);
  return launched();
}

extern "C" int dnn_squared_norm(const float* x, int n, float* result, float* scratch,
                                cudaStream_t stream) {
  if (n <= 0) return static_cast<int>(cudaMemsetAsync(result, 0, sizeof(float), stream));
  DNN_LAUNCH(reduceKernel<true>, reductionGridFor(n), kThreads, stream)(x, n, result, scratch);
  return launched();
}

extern "C" int dnn_argmax_rows(const float* x, int rows, int cols, float* out,
                               cudaStream_t stream) {
  // A row without columns still gets its answer, 0, as on the CPU; rowArgmax reads nothing then.
  if (rows <= 0) return 0;
  DNN_LAUNCH(argmaxRowsKernel, rowBlocks(rows), kThreads, stream)(x, rows, cols, out);
  return launched();
}

extern "C" int dnn_count_correct(const float* scores, const float* labels, int rows, int cols,
                                 float* count, cudaStream_t stream) {
  if (rows <= 0) return 0;
  DNN_LAUNCH(countCorrectKernel, rowBlocks(rows), kThreads, stream)(
      scores, labels, rows, cols, count);
  return launched();
}
