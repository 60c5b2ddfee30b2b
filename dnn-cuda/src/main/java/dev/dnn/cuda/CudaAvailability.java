package dev.dnn.cuda;

import dev.dnn.backend.Availability;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

/**
 * Finds out, step by step and without risking the JVM, whether the CUDA backend can run: first the
 * NVIDIA driver library is looked for as a file (nothing native is loaded before it is found), then
 * the kernels packaged in this jar, then the CUDA 13 runtime and cuBLAS through JavaCPP (failures
 * caught as {@link UnsatisfiedLinkError}), and finally a device. The first missing piece is the
 * reason given.
 */
final class CudaAvailability {
  /** Where this jar keeps the JNI bridge when the build had nvcc. */
  static final String KERNEL_RESOURCE = "/dev/dnn/cuda/linux-x86_64/libjniDnnKernels.so";

  private static final String DRIVER_LIBRARY = "libcuda.so.1";
  private static final List<String> DRIVER_DIRECTORIES =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/lib/x86_64-linux-gnu",
          "/lib64",
          "/usr/lib/wsl/lib",
          "/usr/local/nvidia/lib64",
          "/usr/local/nvidia/lib",
          "/usr/lib/aarch64-linux-gnu");

  private static volatile Availability cached;

  private CudaAvailability() {}

  /** The availability, probed once per JVM. */
  static Availability get() {
    Availability result = cached;
    if (result == null) {
      synchronized (CudaAvailability.class) {
        result = cached;
        if (result == null) {
          result = probe();
          cached = result;
        }
      }
    }
    return result;
  }

  // Package-private for tests; callers use the cached get().
  static Availability probe() {
    String platform = platformProblem();
    if (platform != null) {
      return Availability.unusable(platform);
    }
    if (HostEmulatorProvider.configuredLibrary() != null) {
      return Availability.unusable(
          "this JVM runs the kernels on the host emulator ("
              + HostEmulatorProvider.LIBRARY_PROPERTY
              + " is set), and one JVM cannot load both kernel libraries");
    }
    List<String> searched = new ArrayList<>();
    if (findDriver(searched) == null) {
      return Availability.unusable(
          "NVIDIA driver not found: no "
              + DRIVER_LIBRARY
              + " in "
              + String.join(", ", searched)
              + " (install the NVIDIA driver, or add its directory to LD_LIBRARY_PATH)");
    }
    if (CudaAvailability.class.getResource(KERNEL_RESOURCE) == null) {
      return Availability.unusable(
          "dnn-cuda was built without kernels (nvcc was not found when it was built, so"
              + " libdnnkernels.so and its JNI bridge are not in the jar)");
    }
    try {
      Loader.load(cudart.class);
    } catch (Throwable e) { // UnsatisfiedLinkError, or an initializer error wrapping it
      return Availability.unusable(
          "CUDA 13 runtime not found (libcudart.so.13): "
              + message(e)
              + hint(CudaLibraries.CUDART));
    }
    try {
      Loader.load(cublas.class);
    } catch (Throwable e) {
      return Availability.unusable(
          "cuBLAS 13 not found (libcublas.so.13, libcublasLt.so.13): "
              + message(e)
              + hint(CudaLibraries.CUBLAS, CudaLibraries.CUBLAS_LT));
    }
    int[] count = new int[1];
    int status = cudart.cudaGetDeviceCount(count);
    if (status != cudart.cudaSuccess || count[0] == 0) {
      String why =
          status == cudart.cudaSuccess
              ? "the driver reports 0 devices"
              : cudart.cudaGetErrorName(status).getString()
                  + ": "
                  + cudart.cudaGetErrorString(status).getString();
      return Availability.unusable("no usable CUDA device: cudaGetDeviceCount says " + why);
    }
    try {
      KernelLibrary.bindCuda();
    } catch (Throwable e) {
      return Availability.unusable("the dnn kernels library could not be loaded: " + message(e));
    }
    return Availability.usable(describeDevice(0, count[0]));
  }

  /**
   * Why the CUDA backend cannot run on this operating system and processor, or null on
   * linux-x86_64, the one platform its kernels are built for. Package-private: the tests take their
   * premise from here, so that one place decides.
   */
  static String platformProblem() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return "the CUDA backend is built for linux-x86_64 only, this is " + os + "-" + arch;
    }
    return null;
  }

  /**
   * The NVIDIA driver library ({@code libcuda.so.1}) where the probe would find it: the folders of
   * {@code LD_LIBRARY_PATH}, then the usual install folders; null if it is in none. Only looks at
   * files, loads nothing. Package-private for the tests, which must agree with the probe.
   */
  static File driverLibrary() {
    return findDriver(new ArrayList<>());
  }

  /** A one-line description of a device and the driver and runtime versions. */
  static String describeDevice(int device, int deviceCount) {
    cudaDeviceProp properties = new cudaDeviceProp();
    try {
      CudaException.checkCuda(
          cudart.cudaGetDeviceProperties(properties, device), "cudaGetDeviceProperties");
      int[] driver = new int[1];
      int[] runtime = new int[1];
      cudart.cudaDriverGetVersion(driver);
      cudart.cudaRuntimeGetVersion(runtime);
      return String.format(
          "%s (sm_%d%d, %d SMs, %.1f GiB), device %d of %d, driver CUDA %s, runtime %s",
          properties.name().getString(),
          properties.major(),
          properties.minor(),
          properties.multiProcessorCount(),
          properties.totalGlobalMem() / (double) (1L << 30),
          device,
          deviceCount,
          version(driver[0]),
          version(runtime[0]));
    } finally {
      properties.close();
    }
  }

  private static String version(int v) {
    return (v / 1000) + "." + (v % 1000 / 10);
  }

  private static File findDriver(List<String> searched) {
    Set<String> directories = new LinkedHashSet<>();
    String libraryPath = System.getenv("LD_LIBRARY_PATH");
    if (libraryPath != null) {
      for (String dir : libraryPath.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          directories.add(dir);
        }
      }
    }
    directories.addAll(DRIVER_DIRECTORIES);
    for (String dir : directories) {
      searched.add(dir);
      File candidate = new File(dir, DRIVER_LIBRARY);
      if (candidate.isFile()) {
        return candidate;
      }
    }
    return null;
  }

  /** What to do about a library that did not load: where it was looked for, what provides it. */
  private static String hint(CudaLibraries.Library... libraries) {
    String missing = CudaLibraries.onThisMachine().missing(libraries);
    return missing.isEmpty()
        ? " (the files are there but did not load: check that they are CUDA 13; see the dnn-cuda"
            + " README)"
        : " (" + missing + "; see the dnn-cuda README)";
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
