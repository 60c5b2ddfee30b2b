// Element-wise kernels: fill, copy, scale, axpy, add, multiply, uniform fill and dropout. Each uses
// float4 accesses over the aligned bulk of the array and scalar accesses for the tail.
#include "common.cuh"
#include "philox.cuh"

namespace dnn {
namespace {

__global__ void fillKernel(float* x, int n, float value, bool vec) {
  vectorLoop(
      n, vec,
      [=] __device__(long long q) {
        store4(x, q, make_float4(value, value, value, value));
      },
      [=] __device__(long long i) { x[i] = value; });
}

__global__ void copyKernel(const float* __restrict__ src, float* __restrict__ dst, int n,
                           bool vec) {
  vectorLoop(
      n, vec,
      [=] __device__(long long q) {
        store4(dst, q, load4(src, q));
      },
      [=] __device__(long long i) { dst[i] = src[i]; });
}

__global__ void scaleKernel(float* x, int n, float alpha, bool vec) {
  vectorLoop(
      n, vec,
      [=] __device__(long long q) {
        float4 v = load4(x, q);
        v.x *= alpha;
        v.y *= alpha;
        v.z *= alpha;
        v.w *= alpha;
        store4(x, q, v);
      },
      [=] __device__(long long i) { x[i] *= alpha; });
}

__global__ void axpyKernel(float alpha, const float* __restrict__ x, float* __restrict__ y, int n,
                           bool vec) {
  vectorLoop(
      n, vec,
      [=] __device__(long long q) {
        const float4 a = load4(x, q);
        float4 b = load4(y, q);
        b.x += alpha * a.x;
        b.y += alpha * a.y;
        b.z += alpha * a.z;
        b.w += alpha * a.w;
        store4(y, q, b);
      },
      [=] __device__(long long i) { y[i] += alpha * x[i]; });
}

// out may alias a or b: each element is read before it is written by the same thread.
template <bool kMultiply>
__global__ void binaryKernel(const float* a, const float* b, float* out, int n, bool vec) {
  vectorLoop(
      n, vec,
      [=] __device__(long long q) {
        const float4 u = load4(a, q);
        const float4 v = load4(b, q);
        float4 r;
        if (kMultiply) {
          r = make_float4(u.x * v.x, u.y * v.y, u.z * v.z, u.w * v.w);
        } else {
          r = make_float4(u.x + v.x, u.y + v.y, u.z + v.z, u.w + v.w);
        }
        store4(out, q, r);
      },
      [=] __device__(long long i) { out[i] = kMultiply ? a[i] * b[i] : a[i] + b[i]; });
}

// One thread per Philox block: elements 4b..4b+3 share one block of four words.
__global__ void fillUniformKernel(float* x, int n, float low, float high,
                                  unsigned long long seed, unsigned long long streamId) {
  const long long blocks = (static_cast<long long>(n) + 3) / 4;
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  const float range = __fsub_rn(high, low);
  for (long long b = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; b < blocks;
       b += stride) {
    const PhiloxWords words = philoxBlock(static_cast<unsigned long long>(b), streamId, seed);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const long long i = b * 4 + k;
      // Separate multiply and add, no FMA contraction: identical rounding to Java's float math.
      if (i < n) x[i] = __fadd_rn(low, __fmul_rn(range, philoxUniform(words.w[k])));
    }
  }
}

__global__ void dropoutForwardKernel(const float* __restrict__ x, int n, float keep, float scale,
                                     unsigned long long seed, unsigned long long streamId,
                                     float* __restrict__ mask, float* __restrict__ out) {
  const long long blocks = (static_cast<long long>(n) + 3) / 4;
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long b = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; b < blocks;
       b += stride) {
    const PhiloxWords words = philoxBlock(static_cast<unsigned long long>(b), streamId, seed);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const long long i = b * 4 + k;
      if (i < n) {
        const float m = philoxUniform(words.w[k]) < keep ? scale : 0.0f;
        mask[i] = m;
        out[i] = x[i] * m;
      }
    }
  }
}

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_fill(float* x, int n, float value, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(fillKernel, gridFor((n + 3LL) / 4), kThreads, stream)(x, n, value, aligned16(x));
  return launched();
}

extern "C" int dnn_copy(const float* src, float* dst, int n, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(src) && aligned16(dst);
  DNN_LAUNCH(copyKernel, gridFor((n + 3LL) / 4), kThreads, stream)(src, dst, n, vec);
  return launched();
}

extern "C" int dnn_scale(float* x, int n, float alpha, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(scaleKernel, gridFor((n + 3LL) / 4), kThreads, stream)(x, n, alpha, aligned16(x));
  return launched();
}

extern "C" int dnn_axpy(float alpha, const float* x, float* y, int n, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(x) && aligned16(y);
  DNN_LAUNCH(axpyKernel, gridFor((n + 3LL) / 4), kThreads, stream)(alpha, x, y, n, vec);
  return launched();
}

extern "C" int dnn_add(const float* a, const float* b, float* out, int n, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(a) && aligned16(b) && aligned16(out);
  DNN_LAUNCH(binaryKernel<false>, gridFor((n + 3LL) / 4), kThreads, stream)(a, b, out, n, vec);
  return launched();
}

extern "C" int dnn_multiply(const float* a, const float* b, float* out, int n,
                            cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(a) && aligned16(b) && aligned16(out);
  DNN_LAUNCH(binaryKernel<true>, gridFor((n + 3LL) / 4), kThreads, stream)(a, b, out, n, vec);
  return launched();
}

extern "C" int dnn_fill_uniform(float* x, int n, float low, float high, unsigned long long seed,
                                unsigned long long streamId, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(fillUniformKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      x, n, low, high, seed, streamId);
  return launched();
}

extern "C" int dnn_dropout_forward(const float* x, int n, float keepProbability,
                                   unsigned long long seed, unsigned long long streamId,
                                   float* mask, float* out, cudaStream_t stream) {
  if (n <= 0) return 0;
  const float scale = 1.0f / keepProbability;  // host IEEE division, as Java's 1 / keep
  DNN_LAUNCH(dropoutForwardKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      x, n, keepProbability, scale, seed, streamId, mask, out);
  return launched();
}

extern "C" int dnn_dropout_backward(const float* gradOut, const float* mask, float* gradIn, int n,
                                    cudaStream_t stream) {
  return dnn_multiply(gradOut, mask, gradIn, n, stream);
}
