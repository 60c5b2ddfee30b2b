// Shared launch helpers of the dnn kernels: grid sizing, warp and block reductions.
#ifndef DNN_COMMON_CUH
#define DNN_COMMON_CUH

#ifdef DNN_HOST_EMULATION
#include "cuda_emulation.h"
#else
#include <cuda_runtime.h>
#endif
#include <stdint.h>

#include "dnn_kernels.h"

namespace dnn {

constexpr int kThreads = 256;
constexpr unsigned kFullMask = 0xffffffffu;

// kernel<<<grid, block, 0, stream>>> for nvcc; under host emulation the emulator runs the launch.
// Launchers write DNN_LAUNCH(kernel, grid, block, stream)(arguments...).
#ifdef DNN_HOST_EMULATION
#define DNN_LAUNCH(kernel, grid, block, stream) \
  ::dnn_emu::Launch(#kernel, kernel, grid, block, stream)
#else
#define DNN_LAUNCH(kernel, grid, block, stream) kernel<<<grid, block, 0, stream>>>
#endif

// The most blocks a grid-stride kernel gets: more only add scheduling overhead, and the loops
// cover the rest. Every kernel sized by gridFor or rowBlocks loops with a stride of the whole
// grid, so any cap is correct; the host emulator, which runs blocks one after another, takes few.
#ifdef DNN_HOST_EMULATION
constexpr int kMaxBlocks = 4;
#else
constexpr int kMaxBlocks = 4096;
#endif

// Enough blocks to cover n items with grid-stride loops, capped at kMaxBlocks. Counters of such
// loops are 64-bit throughout: with n or rows near INT_MAX an int counter would wrap negative on
// its last step and index before the array.
inline int gridFor(long long n, int threads = kThreads) {
  long long blocks = (n + threads - 1) / threads;
  if (blocks < 1) blocks = 1;
  return blocks > kMaxBlocks ? kMaxBlocks : static_cast<int>(blocks);
}

// The status of the launch just made (launch-configuration errors surface here; under host
// emulation, which has run the kernel by now, every failure does).
inline int launched() { return static_cast<int>(cudaGetLastError()); }

__device__ __forceinline__ float warpSum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(kFullMask, v, offset);
  return v;
}

__device__ __forceinline__ float warpMax(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(kFullMask, v, offset));
  return v;
}

// Sum over the block; the result is valid in thread 0. Block size must be a multiple of 32.
__device__ __forceinline__ float blockSum(float v) {
  __shared__ float partial[32];
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  v = warpSum(v);
  __syncthreads();  // partial may still be read by a previous call
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  const unsigned warps = (blockDim.x + 31) >> 5;
  v = (threadIdx.x < warps) ? partial[lane] : 0.0f;
  if (warp == 0) v = warpSum(v);
  return v;
}

// True when the pointer is 16-byte aligned, so float4 accesses are legal.
__device__ __host__ __forceinline__ bool aligned16(const void* p) {
  return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

}  // namespace dnn

#endif
