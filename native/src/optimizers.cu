// One fused update kernel per optimizer. Each element: g = grad + l2 * p (coupled L2 penalty),
// the optimizer's rule, then the decoupled decay p -= lr * weightDecay * p_old (AdamW-style).
#include <math.h>

#include "common.cuh"

namespace dnn {
namespace {

#define DNN_FOR_EACH(i, n)                                                                    \
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<long long>(gridDim.x) * blockDim.x)

__global__ void sgdKernel(float* __restrict__ p, const float* __restrict__ grad, int n, float lr,
                          float l2, float wd) {
  DNN_FOR_EACH(i, n) {
    const float old = p[i];
    const float g = grad[i] + l2 * old;
    p[i] = old - lr * g - lr * wd * old;
  }
}

__global__ void momentumKernel(float* __restrict__ p, const float* __restrict__ grad,
                               float* __restrict__ velocity, int n, float lr, float mu,
                               bool nesterov, float l2, float wd) {
  DNN_FOR_EACH(i, n) {
    const float old = p[i];
    const float g = grad[i] + l2 * old;
    const float v = mu * velocity[i] + g;
    velocity[i] = v;
    const float step = nesterov ? g + mu * v : v;
    p[i] = old - lr * step - lr * wd * old;
  }
}

__global__ void adaGradKernel(float* __restrict__ p, const float* __restrict__ grad,
                              float* __restrict__ sumSquares, int n, float lr, float eps, float l2,
                              float wd) {
  DNN_FOR_EACH(i, n) {
    const float old = p[i];
    const float g = grad[i] + l2 * old;
    const float s = sumSquares[i] + g * g;
    sumSquares[i] = s;
    p[i] = old - lr * g / (sqrtf(s) + eps) - lr * wd * old;
  }
}

__global__ void rmsPropKernel(float* __restrict__ p, const float* __restrict__ grad,
                              float* __restrict__ meanSquares, int n, float lr, float rho,
                              float eps, float l2, float wd) {
  DNN_FOR_EACH(i, n) {
    const float old = p[i];
    const float g = grad[i] + l2 * old;
    const float s = rho * meanSquares[i] + (1.0f - rho) * g * g;
    meanSquares[i] = s;
    p[i] = old - lr * g / (sqrtf(s) + eps) - lr * wd * old;
  }
}

__global__ void adamKernel(float* __restrict__ p, const float* __restrict__ grad,
                           float* __restrict__ m, float* __restrict__ v, int n, float lr,
                           float beta1, float beta2, float eps, float bc1, float bc2, float l2,
                           float wd) {
  DNN_FOR_EACH(i, n) {
    const float old = p[i];
    const float g = grad[i] + l2 * old;
    const float mi = beta1 * m[i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    p[i] = old - lr * (mi / bc1) / (sqrtf(vi / bc2) + eps) - lr * wd * old;
  }
}

__global__ void nadamKernel(float* __restrict__ p, const float* __restrict__ grad,
                            float* __restrict__ m, float* __restrict__ v, int n, float lr,
                            float beta1, float beta2, float eps, float gradStep,
                            float momentumStep, float bc2, float l2, float wd) {
  DNN_FOR_EACH(i, n) {
    const float old = p[i];
    const float g = grad[i] + l2 * old;
    const float mi = beta1 * m[i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const float d = sqrtf(vi / bc2) + eps;
    p[i] = old - gradStep * g / d - momentumStep * mi / d - lr * wd * old;
  }
}

}  // namespace
}  // namespace dnn

using namespace dnn;

extern "C" int dnn_sgd_update(float* param, const float* grad, int n, float learningRate,
                              float l2, float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(sgdKernel, gridFor(n), kThreads, stream)(
      param, grad, n, learningRate, l2, weightDecay);
  return launched();
}

extern "C" int dnn_momentum_update(float* param, const float* grad, float* velocity, int n,
                                   float learningRate, float momentum, int nesterov, float l2,
                                   float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(momentumKernel, gridFor(n), kThreads, stream)(
      param, grad, velocity, n, learningRate, momentum, nesterov != 0, l2, weightDecay);
  return launched();
}

extern "C" int dnn_adagrad_update(float* param, const float* grad, float* sumSquares, int n,
                                  float learningRate, float epsilon, float l2, float weightDecay,
                                  cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(adaGradKernel, gridFor(n), kThreads, stream)(
      param, grad, sumSquares, n, learningRate, epsilon, l2, weightDecay);
  return launched();
}

extern "C" int dnn_rmsprop_update(float* param, const float* grad, float* meanSquares, int n,
                                  float learningRate, float rho, float epsilon, float l2,
                                  float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(rmsPropKernel, gridFor(n), kThreads, stream)(
      param, grad, meanSquares, n, learningRate, rho, epsilon, l2, weightDecay);
  return launched();
}

extern "C" int dnn_adam_update(float* param, const float* grad, float* m, float* v, int n,
                               float learningRate, float beta1, float beta2, float epsilon,
                               float biasCorrection1, float biasCorrection2, float l2,
                               float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(adamKernel, gridFor(n), kThreads, stream)(
      param, grad, m, v, n, learningRate, beta1, beta2, epsilon, biasCorrection1, biasCorrection2,
      l2, weightDecay);
  return launched();
}

extern "C" int dnn_nadam_update(float* param, const float* grad, float* m, float* v, int n,
                                float learningRate, float beta1, float beta2, float epsilon,
                                float gradStep, float momentumStep, float biasCorrection2,
                                float l2, float weightDecay, cudaStream_t stream) {
  if (n <= 0) return 0;
  DNN_LAUNCH(nadamKernel, gridFor(n), kThreads, stream)(
      param, grad, m, v, n, learningRate, beta1, beta2, epsilon, gradStep, momentumStep,
      biasCorrection2, l2, weightDecay);
  return launched();
}
