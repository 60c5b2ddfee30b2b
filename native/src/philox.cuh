// Philox4x32-10 on the device, bit-identical to dev.dnn.random.Philox: key = seed (low word first),
// counter = (index >>> 2) in the low 64 bits and the stream in the high 64 bits, element index
// takes word index & 3, uniform = (bits >>> 8) * 2^-24.
#ifndef DNN_PHILOX_CUH
#define DNN_PHILOX_CUH

#include <stdint.h>

namespace dnn {

struct PhiloxWords {
  uint32_t w[4];
};

__device__ __forceinline__ PhiloxWords philoxBlock(unsigned long long block,
                                                   unsigned long long stream,
                                                   unsigned long long seed) {
  uint32_t c0 = static_cast<uint32_t>(block);
  uint32_t c1 = static_cast<uint32_t>(block >> 32);
  uint32_t c2 = static_cast<uint32_t>(stream);
  uint32_t c3 = static_cast<uint32_t>(stream >> 32);
  uint32_t k0 = static_cast<uint32_t>(seed);
  uint32_t k1 = static_cast<uint32_t>(seed >> 32);
#pragma unroll
  for (int round = 0; round < 10; ++round) {
    const uint32_t lo0 = 0xD2511F53u * c0;
    const uint32_t hi0 = __umulhi(0xD2511F53u, c0);
    const uint32_t lo1 = 0xCD9E8D57u * c2;
    const uint32_t hi1 = __umulhi(0xCD9E8D57u, c2);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  PhiloxWords r;
  r.w[0] = c0;
  r.w[1] = c1;
  r.w[2] = c2;
  r.w[3] = c3;
  return r;
}

// Exactly Philox.toUniform: 24 random bits scaled by 2^-24 (exact in float32).
__device__ __forceinline__ float philoxUniform(uint32_t bits) {
  return static_cast<float>(bits >> 8) * 5.9604644775390625e-8f;
}

}  // namespace dnn

#endif
