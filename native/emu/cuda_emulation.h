// Host emulation of the CUDA device language used by the dnn kernels, for g++ with
// DNN_HOST_EMULATION defined: kernels become ordinary functions, device pointers are host
// pointers, and DNN_LAUNCH (common.cuh) runs a kernel through the emulator (emulator.h), which
// runs every thread of every block on the calling thread with the semantics below.
#ifndef DNN_CUDA_EMULATION_H
#define DNN_CUDA_EMULATION_H

#include <cuda_runtime_api.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <vector_functions.h>

#include <tuple>
#include <type_traits>

#include "emulator.h"

// The CUDA headers define these for whichever compiler includes them; here they take their
// emulation meaning: functions of the host, and statics for shared memory.
#undef __global__
#undef __device__
#undef __host__
#undef __forceinline__
#undef __shared__
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
// Blocks run one after another, so a function-local static is one block's shared memory. Unlike
// real shared memory it starts zeroed and keeps what the previous block left in it.
#define __shared__ static

// Read-only views of the emulator's variables, which change whenever another thread resumes.
#define threadIdx (static_cast<const uint3&>(dnn_emu_thread_idx))
#define blockIdx (static_cast<const uint3&>(dnn_emu_block_idx))
#define blockDim (static_cast<const dim3&>(dnn_emu_block_dim))
#define gridDim (static_cast<const dim3&>(dnn_emu_grid_dim))

inline void __syncthreads() { dnn_emu_syncthreads(); }

namespace dnn_emu {

template <class T>
T shuffle(unsigned mask, T value, dnn_emu_shuffle_kind kind, int operand) {
  static_assert(std::is_arithmetic_v<T> && sizeof(T) <= sizeof(unsigned long long));
  unsigned long long bits = 0;
  memcpy(&bits, &value, sizeof(T));
  bits = dnn_emu_shuffle(mask, bits, kind, operand);
  memcpy(&value, &bits, sizeof(T));
  return value;
}

}  // namespace dnn_emu

// Shuffles take the whole warp (width 32): a call with a width does not compile.
template <class T>
T __shfl_sync(unsigned mask, T value, int srcLane) {
  return dnn_emu::shuffle(mask, value, DNN_EMU_SHFL_IDX, srcLane);
}

template <class T>
T __shfl_down_sync(unsigned mask, T value, unsigned delta) {
  return dnn_emu::shuffle(mask, value, DNN_EMU_SHFL_DOWN, static_cast<int>(delta));
}

template <class T>
T __shfl_xor_sync(unsigned mask, T value, int laneMask) {
  return dnn_emu::shuffle(mask, value, DNN_EMU_SHFL_XOR, laneMask);
}

// Threads switch only at barriers, so a read-modify-write cannot be interleaved: atomics are
// plain memory operations.
inline float atomicAdd(float* address, float value) {
  const float old = *address;
  *address = old + value;
  return old;
}

inline int atomicAdd(int* address, int value) {
  const int old = *address;
  *address = old + value;
  return old;
}

inline int atomicCAS(int* address, int compare, int value) {
  const int old = *address;
  if (old == compare) *address = value;
  return old;
}

// Counts up to limit, then wraps to 0, as on a GPU.
inline unsigned atomicInc(unsigned* address, unsigned limit) {
  const unsigned old = *address;
  *address = old >= limit ? 0u : old + 1u;
  return old;
}

// Blocks run one after another, and threads switch only inside calls into the emulator, which
// the compiler cannot see through: every store is seen by whatever runs next, so there is nothing
// to order.
inline void __threadfence() {}

inline unsigned __umulhi(unsigned a, unsigned b) {
  return static_cast<unsigned>((static_cast<unsigned long long>(a) * b) >> 32);
}

// Single operations, never contracted into a fused multiply-add: build.sh compiles with
// -ffp-contract=off.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }

namespace dnn_emu {

// What DNN_LAUNCH(kernel, grid, block, stream) makes. Called with the kernel's arguments, it
// runs the whole launch before it returns, so every stream is in order with the host; each
// emulated thread calls the kernel with its own copies of the arguments, converted to the
// parameter types as by <<<...>>>.
template <class... Params>
class Launch {
 public:
  Launch(const char* name, void (*kernel)(Params...), dim3 grid, dim3 block, cudaStream_t)
      : name_(name), kernel_(kernel), grid_(grid), block_(block) {}

  void operator()(std::type_identity_t<Params>... args) const {
    const Call call{kernel_, {args...}};
    dnn_emu_launch(name_, grid_, block_, &run, &call);
  }

 private:
  struct Call {
    void (*kernel)(Params...);
    std::tuple<Params...> args;
  };

  static void run(const void* call) {
    const auto& c = *static_cast<const Call*>(call);
    std::apply(c.kernel, c.args);
  }

  const char* name_;
  void (*kernel_)(Params...);
  dim3 grid_;
  dim3 block_;
};

}  // namespace dnn_emu

#endif
