package dev.dnn.spark;

import dev.dnn.backend.Availability;
import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import dev.dnn.cpu.CpuBackend;
import java.io.Serializable;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which dnn backend a Spark task computes on: the GPU that Spark's resource scheduling assigned the
 * task ({@code TaskContext.resources()} "gpu") when dnn's CUDA backend is usable in the executor,
 * else the CPU backend with {@code spark.task.cpus} threads. Immutable.
 *
 * @param kind {@code cpu} or {@code cuda}
 * @param device the CUDA device ordinal (cuda only)
 * @param threads the CPU backend's threads (cpu only)
 * @param reason why this choice, for logs
 */
record BackendChoice(String kind, int device, int threads, String reason) implements Serializable {
  static final String CPU = "cpu";
  static final String CUDA = "cuda";

  /**
   * The choice for a task that Spark gave {@code gpus} (addresses, possibly empty) and {@code cpus}
   * cores, where the CUDA backend's availability is {@code cuda} (null: not on the class path).
   *
   * @throws IllegalArgumentException if a GPU address is not a device ordinal
   */
  static BackendChoice select(String[] gpus, int cpus, Availability cuda) {
    int threads = Math.max(1, cpus);
    if (gpus == null || gpus.length == 0) {
      return new BackendChoice(CPU, -1, threads, "no GPU assigned to the task");
    }
    int device;
    try {
      device = Integer.parseInt(gpus[0].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Spark assigned GPU address '" + gpus[0] + "', which is not a CUDA device ordinal", e);
    }
    if (cuda == null) {
      return new BackendChoice(
          CPU, -1, threads, "GPU " + device + " assigned but dnn-cuda is not on the class path");
    }
    if (!cuda.usable()) {
      return new BackendChoice(
          CPU, -1, threads, "GPU " + device + " assigned but CUDA is not usable: " + cuda.reason());
    }
    return new BackendChoice(CUDA, device, 0, "GPU " + device + " assigned by Spark");
  }

  /** The choice for the calling task, or for the driver (all processors) outside a task. */
  static BackendChoice forCurrentTask() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return new BackendChoice(CPU, -1, CpuBackend.defaultThreads(), "driver");
    }
    Map<String, ResourceInformation> resources = task.resourcesJMap();
    ResourceInformation gpu = resources.get("gpu");
    String[] addresses = gpu == null ? new String[0] : gpu.addresses();
    return select(addresses, task.cpus(), addresses.length == 0 ? null : CudaCheck.AVAILABILITY);
  }

  /** A key naming this choice in executor caches. */
  String key() {
    return kind.equals(CUDA) ? "cuda:" + device : "cpu:" + threads;
  }

  /** A new backend of this choice; the caller closes it. */
  Backend create() {
    if (kind.equals(CPU)) {
      return new CpuBackend(threads);
    }
    try {
      // By reflection: dnn-cuda is optional, and its provider takes the device from a JVM-wide
      // property that concurrent tasks on other GPUs would race on.
      return (Backend)
          Class.forName("dev.dnn.cuda.CudaBackend")
              .getConstructor(int.class, boolean.class)
              .newInstance(device, false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start dnn's CUDA backend on GPU " + device, e);
    }
  }

  /** The CUDA provider's availability, checked once per JVM. */
  private static final class CudaCheck {
    static final Availability AVAILABILITY = find();

    private static Availability find() {
      for (BackendProvider provider : Backends.providers()) {
        if (provider.name().equals(CUDA)) {
          return provider.availability();
        }
      }
      return null;
    }
  }
}
