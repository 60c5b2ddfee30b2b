// Device selection for this library's statically linked CUDA runtime.
#include "common.cuh"

extern "C" int dnn_set_device(int device) { return static_cast<int>(cudaSetDevice(device)); }
