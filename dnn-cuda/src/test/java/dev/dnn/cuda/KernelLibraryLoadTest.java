package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.util.stream.Stream;
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
    assumeTrue(
        KernelLibraryLoadTest.class.getResource(CudaAvailability.KERNEL_RESOURCE) != null,
        "dnn-cuda was built without kernels (no nvcc)");
    assumeFalse(
        Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/wsl/lib")
            .anyMatch(dir -> new File(dir, "libcuda.so.1").isFile()),
        "a driver is present; the GPU suite covers launches there");
    DnnKernels.load();
    assertEquals(0, DnnKernels.fill(0L, 0, 1f, 0L), "an empty launch is a no-op");
    assertEquals(CUDA_ERROR_INSUFFICIENT_DRIVER, DnnKernels.fill(0L, 16, 1f, 0L));
  }
}
