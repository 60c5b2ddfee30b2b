package dev.dnn.io;

import dev.dnn.backend.Backend;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The memory a model declared by a file will take, checked before anything is built: a file of a
 * few megabytes can declare layers whose activations would exhaust the heap long after loading. The
 * estimate counts every parameter twice (value and gradient) and, on the CPU backend (whose tensors
 * live on the Java heap), the activations of an inference pass of {@link Model#INFERENCE_BATCH}
 * rows: all layers share two ping-pong sides and a scratch slot per nesting level, one tensor per
 * activation width, so the layer count does not enter, only the widths. It is compared with {@link
 * Runtime#maxMemory()}.
 */
final class ModelBudget {
  /** Tensors per activation width and nesting level: two ping-pong sides and a scratch slot. */
  private static final long SLOTS_PER_WIDTH = 3;

  private ModelBudget() {}

  /**
   * @throws MalformedFileException naming the layer count, the widest activation and the estimate
   *     if the model would need more memory than this JVM may use
   */
  static void check(ModelSpec spec, Map<String, HostArray> stored, Backend backend, String file)
      throws MalformedFileException {
    check(spec, stored, backend, file, Runtime.getRuntime().maxMemory());
  }

  static void check(
      ModelSpec spec, Map<String, HostArray> stored, Backend backend, String file, long budget)
      throws MalformedFileException {
    long parameters = 0;
    for (HostArray a : stored.values()) {
      parameters += a.size();
    }
    long[] layers = new long[1];
    List<Set<Integer>> widths = new ArrayList<>();
    walk(spec.layers(), spec.inputs(), 0, widths, layers);
    long widest = spec.inputs();
    double activations = spec.inputs(); // the uploaded batch
    for (Set<Integer> level : widths) {
      for (int width : level) {
        widest = Math.max(widest, width);
        activations += SLOTS_PER_WIDTH * (double) width;
      }
    }
    boolean onHeap = backend.name().equals("cpu");
    double bytes =
        Float.BYTES * (2.0 * parameters + (onHeap ? Model.INFERENCE_BATCH * activations : 0));
    if (bytes > budget) {
      throw new MalformedFileException(
          file,
          "metadata " + ModelFile.KEY_SPEC,
          String.format(
              Locale.ROOT,
              "the architecture declares %d layers, activations up to %d wide and %d stored"
                  + " values; running it on %s needs about %.1f MB, more than the %.1f MB this JVM"
                  + " may use (-Xmx)",
              layers[0],
              widest,
              parameters,
              backend.name(),
              bytes / 1e6,
              budget / 1e6));
    }
  }

  /** Counts the layers and collects the output widths of each nesting level. */
  private static int walk(
      List<LayerSpec> layers, int width, int level, List<Set<Integer>> widths, long[] count) {
    if (widths.size() == level) {
      widths.add(new HashSet<>());
    }
    for (LayerSpec layer : layers) {
      if (layer instanceof Residual r) {
        walk(r.body(), width, level + 1, widths, count);
      }
      width = layer instanceof Dense d ? d.outputs() : layer.outputWidth(width);
      count[0]++;
      widths.get(level).add(width);
    }
    return width;
  }
}
