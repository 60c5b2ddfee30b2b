// Shared launch helpers of the dnn kernels: grid sizing, warp, block and grid reductions, float4
// access and the grid-stride loop that uses it over the aligned bulk of an array.
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

// The most blocks of a grid whose totals gridSum combines: the caller's scratch array holds
// DNN_REDUCTION_MAX_BLOCKS of them, and the last block's pass over them stays short (at most four
// per thread of a 256-thread block).
constexpr int kMaxReductionBlocks =
    kMaxBlocks < DNN_REDUCTION_MAX_BLOCKS ? kMaxBlocks : DNN_REDUCTION_MAX_BLOCKS;

// gridFor for kernels that end in gridSum.
inline int reductionGridFor(long long n, int threads = kThreads) {
  const int blocks = gridFor(n, threads);
  return blocks < kMaxReductionBlocks ? blocks : kMaxReductionBlocks;
}

// The sum of every block's blockTotal (valid in thread 0, as blockSum leaves it) in an order that
// depends on the grid size alone: atomicAdd of the block totals would add them in the order the
// blocks finish, which differs from run to run in the last bits. The last-block pattern of CUDA's
// threadFenceReduction sample: each block stores its total in scratch[blockIdx.x] and counts
// itself in scratch[DNN_REDUCTION_MAX_BLOCKS]; the block that counts last sums the stored totals,
// each thread a fixed set of them, then blockSum. Returns true in thread 0 of that block, with the
// sum in total; false elsewhere. Every thread of every block must call it (it has barriers), on a
// 1-D grid of at most DNN_REDUCTION_MAX_BLOCKS blocks. scratch is DNN_REDUCTION_SCRATCH_FLOATS
// floats whose counter is 0, and stays so after the launch.
__device__ __forceinline__ bool gridSum(float blockTotal, float* scratch, float& total) {
  __shared__ bool lastBlock;
  if (threadIdx.x == 0) {
    scratch[blockIdx.x] = blockTotal;
    // The total must be visible to every block before the count that may tell one to read it.
    __threadfence();
    unsigned* finished = reinterpret_cast<unsigned*>(scratch + DNN_REDUCTION_MAX_BLOCKS);
    // atomicInc wraps to 0 when the last block counts itself: the next launch finds the counter
    // reset without another store.
    const bool last = atomicInc(finished, gridDim.x - 1) == gridDim.x - 1;
    // Orders the reads of the other blocks' totals after the count that published them.
    if (last) __threadfence();
    lastBlock = last;
  }
  __syncthreads();
  if (!lastBlock) return false;
  // Volatile: the totals were written by other blocks, so they must not come from this SM's
  // (incoherent) L1 cache.
  const volatile float* totals = scratch;
  float acc = 0.0f;
  for (unsigned b = threadIdx.x; b < gridDim.x; b += blockDim.x) acc += totals[b];
  total = blockSum(acc);
  return threadIdx.x == 0;
}

// True when the pointer is 16-byte aligned, so float4 accesses are legal.
__device__ __host__ __forceinline__ bool aligned16(const void* p) {
  return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

// Elements 4q..4q+3 of an array that the launcher found 16-byte aligned. The host emulator
// checks that the launcher did.
__device__ __forceinline__ float4 load4(const float* x, long long q) {
#ifdef DNN_HOST_EMULATION
  dnn_emu_check_aligned(x + 4 * q, sizeof(float4));
#endif
  return reinterpret_cast<const float4*>(x)[q];
}

__device__ __forceinline__ void store4(float* x, long long q, float4 v) {
#ifdef DNN_HOST_EMULATION
  dnn_emu_check_aligned(x + 4 * q, sizeof(float4));
#endif
  reinterpret_cast<float4*>(x)[q] = v;
}

// Calls f with lane x of every argument, then lanes y, z and w, so that one per-element function
// serves both the scalar and the float4 path; f writes back through the lanes it takes by
// reference.
template <class F, class... V>
__device__ __forceinline__ void eachLane(F f, V&&... v) {
  f(v.x...);
  f(v.y...);
  f(v.z...);
  f(v.w...);
}

// Applies op(i) for i in [0, n) with a grid-stride loop, four elements at a time where all
// pointers are aligned: op4(q) handles elements 4q..4q+3 and op1(i) a single element, the tail
// or all of them. Launchers size such grids by quads: gridFor((n + 3) / 4).
template <class Op4, class Op1>
__device__ __forceinline__ void vectorLoop(long long n, bool vectorized, Op4 op4, Op1 op1) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  const long long start = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  long long done = 0;
  if (vectorized) {
    const long long quads = n / 4;
    for (long long q = start; q < quads; q += stride) op4(q);
    done = quads * 4;
  }
  for (long long i = done + start; i < n; i += stride) op1(i);
}

}  // namespace dnn

#endif
