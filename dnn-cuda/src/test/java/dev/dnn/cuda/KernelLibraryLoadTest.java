package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * On a machine without the NVIDIA driver, the packaged JNI bridge and libdnnkernels.so still load
 * (cudart is linked statically and opens the driver lazily), and a launch reports the missing
 * driver as a status instead of crashing: this proves the bridge links and marshals arguments.
 */
class KernelLibraryLoadTest {
  private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;

  @Test
  void launchWithoutADriverReturnsTheStatus() {
    // The packaged bridge is a linux-x86_64 library; the driver search is the probe's own.
    assumeTrue(CudaAvailability.platformProblem() == null, CudaAvailability.platformProblem());
    assumeTrue(
        KernelLibraryLoadTest.class.getResource(CudaAvailability.KERNEL_RESOURCE) != null,
        "dnn-cuda was built without kernels (no nvcc)");
    assumeTrue(
        CudaAvailability.driverLibrary() == null,
        "a driver is present ("
            + CudaAvailability.driverLibrary()
            + "); the GPU suite covers launches there");
    DnnKernels.load();
    assertEquals(0, DnnKernels.fill(0L, 0, 1f, 0L), "an empty launch is a no-op");
    assertEquals(CUDA_ERROR_INSUFFICIENT_DRIVER, DnnKernels.fill(0L, 16, 1f, 0L));
  }
}
