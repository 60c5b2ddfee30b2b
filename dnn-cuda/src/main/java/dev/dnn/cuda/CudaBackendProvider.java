package dev.dnn.cuda;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendException;
import dev.dnn.backend.BackendProvider;

/**
 * Registers the CUDA backend with {@link java.util.ServiceLoader} under the name {@code cuda},
 * preferred over the CPU when usable. Construction touches nothing native.
 *
 * <p>System properties: {@code dnn.cuda.device} (device ordinal, default 0), {@code dnn.cuda.tf32}
 * ({@code true} lets cuBLAS use TF32 tensor cores for GEMM; off by default for float32 accuracy).
 *
 * <p>Holds no state (the availability probe is cached once, under a lock): safe to use from any
 * thread.
 */
public final class CudaBackendProvider implements BackendProvider {
  /** System property choosing the device ordinal. */
  public static final String DEVICE_PROPERTY = "dnn.cuda.device";

  /** System property enabling TF32 GEMMs. */
  public static final String TF32_PROPERTY = "dnn.cuda.tf32";

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Availability availability() {
    try {
      return CudaAvailability.get();
    } catch (Throwable e) { // never let a probe failure escape
      return Availability.unusable("probing CUDA failed: " + e);
    }
  }

  @Override
  public Backend create() {
    Availability availability = availability();
    if (!availability.usable()) {
      throw new BackendException("the CUDA backend is not usable: " + availability.reason());
    }
    return new CudaBackend(
        Integer.getInteger(DEVICE_PROPERTY, 0), Boolean.getBoolean(TF32_PROPERTY));
  }
}
