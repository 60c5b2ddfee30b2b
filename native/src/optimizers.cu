// One fused update kernel per optimizer. Each element: g = grad + l2 * p (coupled L2 penalty),
// the optimizer's rule, then the decoupled decay p -= lr * weightDecay * p_old (AdamW-style).
#include <math.h>

#include "common.cuh"

namespace dnn {
namespace {

// Elements 4q..4q+3 of an aligned array, loaded when made; store() writes them back.
struct Quad {
  __device__ Quad(float* x, long long q) : x(x), q(q), v(load4(x, q)) {}
  __device__ void store() const { store4(x, q, v); }
  float* x;
  long long q;
  float4 v;
};

// Runs step on each lane of the quads and stores them back.
template <class Step, class... Quads>
__device__ __forceinline__ void stepLanes(Step step, Quad p, float4 grad, Quads... state) {
  eachLane(step, p.v, grad, state.v...);
  p.store();
  (state.store(), ...);
}

// Runs step(p[i], grad[i], state[i]...) for every element: step updates the parameter and the
// optimizer's state through references, the one rule for the float4 bulk and the scalar tail.
template <class Step, class... State>
__device__ __forceinline__ void updateEach(int n, bool vec, Step step, float* __restrict__ p,
                                           const float* __restrict__ grad,
                                           State* __restrict__... state) {
  vectorLoop(
      n, vec,
      [=] __device__(long long q) {
        stepLanes(step, Quad(p, q), load4(grad, q), Quad(state, q)...);
      },
      [=] __device__(long long i) { step(p[i], grad[i], state[i]...); });
}

// Each step below is the whole rule for one element: param, and the state references that
// follow the gradient, are element i of the kernel's arrays.
__global__ void sgdKernel(float* __restrict__ p, const float* __restrict__ grad, int n, bool vec,
                          float lr, float l2, float wd) {
  updateEach(
      n, vec,
      [=] __device__(float& param, float gradient) {
        const float old = param;
        const float g = gradient + l2 * old;
        param = old - lr * g - lr * wd * old;
      },
      p, grad);
}

__global__ void momentumKernel(float* __restrict__ p, const float* __restrict__ grad,
                               float* __restrict__ velocity, int n, bool vec, float lr, float mu,
                               bool nesterov, float l2, float wd) {
  updateEach(
      n, vec,
      [=] __device__(float& param, float gradient, float& vi) {
        const float old = param;
        const float g = gradient + l2 * old;
        vi = mu * vi + g;
        const float step = nesterov ? g + mu * vi : vi;
        param = old - lr * step - lr * wd * old;
      },
      p, grad, velocity);
}

__global__ void adaGradKernel(float* __restrict__ p, const float* __restrict__ grad,
                              float* __restrict__ sumSquares, int n, bool vec, float lr, float eps,
                              float l2, float wd) {
  updateEach(
      n, vec,
      [=] __device__(float& param, float gradient, float& si) {
        const float old = param;
        const float g = gradient + l2 * old;
        si += g * g;
        param = old - lr * g / (sqrtf(si) + eps) - lr * wd * old;
      },
      p, grad, sumSquares);
}

__global__ void rmsPropKernel(float* __restrict__ p, const float* __restrict__ grad,
                              float* __restrict__ meanSquares, int n, bool vec, float lr, float rho,
                              float eps, float l2, float wd) {
  updateEach(
      n, vec,
      [=] __device__(float& param, float gradient, float& si) {
        const float old = param;
        const float g = gradient + l2 * old;
        si = rho * si + (1.0f - rho) * g * g;
        param = old - lr * g / (sqrtf(si) + eps) - lr * wd * old;
      },
      p, grad, meanSquares);
}

__global__ void adamKernel(float* __restrict__ p, const float* __restrict__ grad,
                           float* __restrict__ m, float* __restrict__ v, int n, bool vec, float lr,
                           float beta1, float beta2, float eps, float bc1, float bc2, float l2,
                           float wd) {
  updateEach(
      n, vec,
      [=] __device__(float& param, float gradient, float& mi, float& vi) {
        const float old = param;
        const float g = gradient + l2 * old;
        mi = beta1 * mi + (1.0f - beta1) * g;
        vi = beta2 * vi + (1.0f - beta2) * g * g;
        param = old - lr * (mi / bc1) / (sqrtf(vi / bc2) + eps) - lr * wd * old;
      },
      p, grad, m, v);
}

__global__ void nadamKernel(float* __restrict__ p, const float* __restrict__ grad,
                            float* __restrict__ m, float* __restrict__ v, int n, bool vec, float lr,
                            float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                            float eps, float gradStep, float momentumStep, float bc2, float l2,
                            float wd) {
  updateEach(
      n, vec,
      [=] __device__(float& param, float gradient, float& mi, float& vi) {
        const float old = param;
        const float g = gradient + l2 * old;
        mi = beta1 * mi + oneMinusBeta1 * g;
        vi = beta2 * vi + oneMinusBeta2 * g * g;
        const float d = sqrtf(vi / bc2) + eps;
        param = old - gradStep * g / d - momentumStep * mi / d - lr * wd * old;
      },
      p, grad, m, v);
}

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_sgd_update(float* param, const float* grad, int n, float learningRate,
                              float l2, float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(param) && aligned16(grad);
  DNN_LAUNCH(sgdKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      param, grad, n, vec, learningRate, l2, weightDecay);
  return launched();
}

extern "C" int dnn_momentum_update(float* param, const float* grad, float* velocity, int n,
                                   float learningRate, float momentum, int nesterov, float l2,
                                   float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(param) && aligned16(grad) && aligned16(velocity);
  DNN_LAUNCH(momentumKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      param, grad, velocity, n, vec, learningRate, momentum, nesterov != 0, l2, weightDecay);
  return launched();
}

extern "C" int dnn_ada_grad_update(float* param, const float* grad, float* sumSquares, int n,
                                   float learningRate, float epsilon, float l2, float weightDecay,
                                   cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(param) && aligned16(grad) && aligned16(sumSquares);
  DNN_LAUNCH(adaGradKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      param, grad, sumSquares, n, vec, learningRate, epsilon, l2, weightDecay);
  return launched();
}

extern "C" int dnn_rms_prop_update(float* param, const float* grad, float* meanSquares, int n,
                                   float learningRate, float rho, float epsilon, float l2,
                                   float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(param) && aligned16(grad) && aligned16(meanSquares);
  DNN_LAUNCH(rmsPropKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      param, grad, meanSquares, n, vec, learningRate, rho, epsilon, l2, weightDecay);
  return launched();
}

extern "C" int dnn_adam_update(float* param, const float* grad, float* m, float* v, int n,
                               float learningRate, float beta1, float beta2, float epsilon,
                               float biasCorrection1, float biasCorrection2, float l2,
                               float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(param) && aligned16(grad) && aligned16(m) && aligned16(v);
  DNN_LAUNCH(adamKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      param, grad, m, v, n, vec, learningRate, beta1, beta2, epsilon, biasCorrection1,
      biasCorrection2, l2, weightDecay);
  return launched();
}

extern "C" int dnn_nadam_update(float* param, const float* grad, float* m, float* v, int n,
                                float learningRate, float beta1, float oneMinusBeta1, float beta2,
                                float oneMinusBeta2, float epsilon, float gradStep,
                                float momentumStep, float biasCorrection2, float l2,
                                float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  const bool vec = aligned16(param) && aligned16(grad) && aligned16(m) && aligned16(v);
  DNN_LAUNCH(nadamKernel, gridFor((n + 3LL) / 4), kThreads, stream)(
      param, grad, m, v, n, vec, learningRate, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon,
      gradStep, momentumStep, biasCorrection2, l2, weightDecay);
  return launched();
}
