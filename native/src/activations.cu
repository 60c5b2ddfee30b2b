// Fused bias + activation forward, activation backward (PyTorch conventions at the kinks), the
// PReLU slope gradient and maxout.
#include "common.cuh"

namespace dnn {
namespace {

constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
constexpr float kSeluLambda = 1.0507009873554804934193349852946f;

// Sigmoid without overflow: e^-|z| never exceeds 1.
__device__ __forceinline__ float stableSigmoid(float z) {
  const float e = expf(-fabsf(z));
  return z >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

// ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), finite for every finite z.
__device__ __forceinline__ float stableSoftplus(float z) {
  return fmaxf(z, 0.0f) + log1pf(expf(-fabsf(z)));
}

__device__ __forceinline__ float negativeSlope(int kind, float alpha, const float* slopes,
                                               long long i, int col) {
  if (kind == DNN_ACT_PRELU) return slopes[col];
  if (kind == DNN_ACT_RRELU) return slopes[i];
  return alpha;
}

// Whether `kind` is one of the DNN_ACT_* codes; the launchers refuse any other with
// cudaErrorInvalidValue rather than run a kernel that would compute some other function.
inline bool knownActivation(int kind) {
  switch (kind) {
    case DNN_ACT_LINEAR:
    case DNN_ACT_SIGMOID:
    case DNN_ACT_TANH:
    case DNN_ACT_RELU:
    case DNN_ACT_LEAKY_RELU:
    case DNN_ACT_PRELU:
    case DNN_ACT_RRELU:
    case DNN_ACT_ELU:
    case DNN_ACT_SELU:
    case DNN_ACT_SOFTPLUS:
    case DNN_ACT_SWISH:
    case DNN_ACT_ABS:
      return true;
    default:
      return false;
  }
}

__device__ __forceinline__ float activate(int kind, float z, float alpha, const float* slopes,
                                          long long i, int col) {
  switch (kind) {
    case DNN_ACT_LINEAR:
      return z;
    case DNN_ACT_SIGMOID:
      return stableSigmoid(z);
    case DNN_ACT_TANH:
      return tanhf(z);
    case DNN_ACT_RELU:
      return z <= 0.0f ? 0.0f : z;  // NaN stays NaN, as the CPU's Math.max(z, 0)
    case DNN_ACT_LEAKY_RELU:
    case DNN_ACT_PRELU:
    case DNN_ACT_RRELU:
      return z > 0.0f ? z : negativeSlope(kind, alpha, slopes, i, col) * z;
    case DNN_ACT_ELU:
      return z > 0.0f ? z : alpha * expm1f(z);
    case DNN_ACT_SELU:
      return z > 0.0f ? kSeluLambda * z : kSeluLambda * kSeluAlpha * expm1f(z);
    case DNN_ACT_SOFTPLUS:
      return stableSoftplus(z);
    case DNN_ACT_SWISH:
      return z * stableSigmoid(z);
    case DNN_ACT_ABS:
      return fabsf(z);
    default:
      return nanf("");  // unreachable: the launchers refuse unknown kinds
  }
}

// f'(z); sigmoid and tanh use the saved output instead of recomputing.
__device__ __forceinline__ float derivative(int kind, float z, float y, float alpha,
                                            const float* slopes, long long i, int col) {
  switch (kind) {
    case DNN_ACT_LINEAR:
      return 1.0f;
    case DNN_ACT_SIGMOID:
      return y * (1.0f - y);
    case DNN_ACT_TANH:
      return 1.0f - y * y;
    case DNN_ACT_RELU:
      return z > 0.0f ? 1.0f : 0.0f;
    case DNN_ACT_LEAKY_RELU:
    case DNN_ACT_PRELU:
    case DNN_ACT_RRELU:
      return z > 0.0f ? 1.0f : negativeSlope(kind, alpha, slopes, i, col);
    case DNN_ACT_ELU:
      return z > 0.0f ? 1.0f : alpha * expf(z);
    case DNN_ACT_SELU:
      return z > 0.0f ? kSeluLambda : kSeluLambda * kSeluAlpha * expf(z);
    case DNN_ACT_SOFTPLUS:
      return stableSigmoid(z);
    case DNN_ACT_SWISH: {
      const float s = stableSigmoid(z);
      return s + z * s * (1.0f - s);
    }
    case DNN_ACT_ABS:
      return z > 0.0f ? 1.0f : (z < 0.0f ? -1.0f : z);  // signum: +-0 and NaN map to themselves
    default:
      return nanf("");  // unreachable: the launchers refuse unknown kinds
  }
}

// eachLane over the quad q of a row-major matrix with `cols` columns: f also gets the index and
// the column of each lane's element.
template <class F, class... V>
__device__ __forceinline__ void eachMatrixLane(long long q, int cols, F f, V&&... v) {
  long long i = 4 * q;
  int col = static_cast<int>(i % cols);
  eachLane(
      [&] __device__(auto&&... lane) {
        f(i, col, lane...);
        ++i;
        col = col + 1 == cols ? 0 : col + 1;  // one step at a time: cols may be below 4
      },
      v...);
}

// z and out may be the same array (linear activation in place): each element is read before the
// same thread writes it.
__global__ void biasActivationForwardKernel(int kind, float alpha, const float* __restrict__ slopes,
                                            float* z, const float* __restrict__ bias, float* out,
                                            int rows, int cols, bool vec) {
  const auto element = [=] __device__(long long i, int col, float& zi, float& outi) {
    if (bias != nullptr) zi += bias[col];
    outi = activate(kind, zi, alpha, slopes, i, col);
  };
  vectorLoop(
      static_cast<long long>(rows) * cols, vec,
      [=] __device__(long long q) {
        float4 zq = load4(z, q);
        float4 outq;
        eachMatrixLane(q, cols, element, zq, outq);
        if (bias != nullptr) store4(z, q, zq);
        store4(out, q, outq);
      },
      [=] __device__(long long i) { element(i, static_cast<int>(i % cols), z[i], out[i]); });
}

// gradIn may be gradOut.
__global__ void activationBackwardKernel(int kind, float alpha, const float* __restrict__ slopes,
                                         const float* __restrict__ z, const float* __restrict__ out,
                                         const float* gradOut, float* gradIn, int rows, int cols,
                                         bool vec) {
  const auto element = [=] __device__(long long i, int col, float zi, float outi, float gradOuti,
                                      float& gradIni) {
    gradIni = gradOuti * derivative(kind, zi, outi, alpha, slopes, i, col);
  };
  vectorLoop(
      static_cast<long long>(rows) * cols, vec,
      [=] __device__(long long q) {
        float4 gradInq;
        eachMatrixLane(q, cols, element, load4(z, q), load4(out, q), load4(gradOut, q), gradInq);
        store4(gradIn, q, gradInq);
      },
      [=] __device__(long long i) {
        element(i, static_cast<int>(i % cols), z[i], out[i], gradOut[i], gradIn[i]);
      });
}

// Column reduction: a 32 x 8 block owns 32 columns; its 8 row lanes walk the rows and combine in
// shared memory, so the result is deterministic.
constexpr int kColWidth = 32;
constexpr int kRowLanes = 8;

__global__ void preluSlopeGradientKernel(const float* __restrict__ z,
                                         const float* __restrict__ gradOut, int rows, int cols,
                                         float beta, float* gradSlopes) {
  __shared__ float partial[kRowLanes][kColWidth];
  const int col = blockIdx.x * kColWidth + threadIdx.x;
  float acc = 0.0f;
  if (col < cols) {
    for (long long r = threadIdx.y; r < rows; r += kRowLanes) {
      const long long i = r * cols + col;
      acc += gradOut[i] * fminf(z[i], 0.0f);
    }
  }
  partial[threadIdx.y][threadIdx.x] = acc;
  __syncthreads();
  if (threadIdx.y == 0 && col < cols) {
    float total = 0.0f;
    for (int k = 0; k < kRowLanes; ++k) total += partial[k][threadIdx.x];
    gradSlopes[col] = total + (beta == 0.0f ? 0.0f : beta * gradSlopes[col]);
  }
}

__global__ void maxoutForwardKernel(const float* __restrict__ z, int rows, int cols, int pieces,
                                    float* __restrict__ out, float* __restrict__ argmax) {
  const long long n = static_cast<long long>(rows) * cols;
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    const float* group = z + i * pieces;  // row r, unit j starts at r * cols * pieces + j * pieces
    float best = group[0];
    int winner = 0;
    for (int k = 1; k < pieces; ++k) {
      if (group[k] > best) {
        best = group[k];
        winner = k;
      }
    }
    out[i] = best;
    argmax[i] = static_cast<float>(winner);
  }
}

__global__ void maxoutBackwardKernel(const float* __restrict__ gradOut,
                                     const float* __restrict__ argmax, int rows, int cols,
                                     int pieces, float* __restrict__ gradIn) {
  const long long n = static_cast<long long>(rows) * cols * pieces;
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    const long long unit = i / pieces;
    const int k = static_cast<int>(i - unit * pieces);
    gradIn[i] = static_cast<int>(argmax[unit]) == k ? gradOut[unit] : 0.0f;
  }
}

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_bias_activation_forward(int kind, float alpha, const float* slopes, float* z,
                                           const float* bias, float* out, int rows, int cols,
                                           cudaStream_t stream) {
  if (!knownActivation(kind)) return static_cast<int>(cudaErrorInvalidValue);
  const long long n = static_cast<long long>(rows) * cols;
  if (n <= 0) return 0;
  // Only z and out move as float4: bias and PReLU slopes go by column, and RReLU slopes are read
  // only where z <= 0.
  const bool vec = aligned16(z) && aligned16(out);
  DNN_LAUNCH(biasActivationForwardKernel, gridFor((n + 3) / 4), kThreads, stream)(
      kind, alpha, slopes, z, bias, out, rows, cols, vec);
  return launched();
}

extern "C" int dnn_activation_backward(int kind, float alpha, const float* slopes, const float* z,
                                       const float* out, const float* gradOut, float* gradIn,
                                       int rows, int cols, cudaStream_t stream) {
  if (!knownActivation(kind)) return static_cast<int>(cudaErrorInvalidValue);
  const long long n = static_cast<long long>(rows) * cols;
  if (n <= 0) return 0;
  const bool vec = aligned16(z) && aligned16(out) && aligned16(gradOut) && aligned16(gradIn);
  DNN_LAUNCH(activationBackwardKernel, gridFor((n + 3) / 4), kThreads, stream)(
      kind, alpha, slopes, z, out, gradOut, gradIn, rows, cols, vec);
  return launched();
}

extern "C" int dnn_prelu_slope_gradient(const float* z, const float* gradOut, int rows, int cols,
                                        float beta, float* gradSlopes, cudaStream_t stream) {
  if (cols <= 0) return 0;
  const dim3 block(kColWidth, kRowLanes);
  DNN_LAUNCH(preluSlopeGradientKernel, (cols + kColWidth - 1) / kColWidth, block, stream)(
      z, gradOut, rows, cols, beta, gradSlopes);
  return launched();
}

extern "C" int dnn_maxout_forward(const float* z, int rows, int cols, int pieces, float* out,
                                  float* argmax, cudaStream_t stream) {
  const long long n = static_cast<long long>(rows) * cols;
  if (n <= 0 || pieces <= 0) return 0;
  DNN_LAUNCH(maxoutForwardKernel, gridFor(n), kThreads, stream)(z, rows, cols, pieces, out, argmax);
  return launched();
}

extern "C" int dnn_maxout_backward(const float* gradOut, const float* argmax, int rows, int cols,
                                   int pieces, float* gradIn, cudaStream_t stream) {
  const long long n = static_cast<long long>(rows) * cols * pieces;
  if (n <= 0) return 0;
  DNN_LAUNCH(maxoutBackwardKernel, gridFor(n), kThreads, stream)(
      gradOut, argmax, rows, cols, pieces, gradIn);
  return launched();
}
