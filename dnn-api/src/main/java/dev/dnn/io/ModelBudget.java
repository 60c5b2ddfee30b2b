package dev.dnn.io;

import dev.dnn.backend.Backend;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory a model declared by a file will take, checked before anything is built: a file of a
 * few megabytes can declare tens of thousands of parameter-free layers, each of which keeps its own
 * inference workspace of {@link Model#INFERENCE_BATCH} rows, and so exhaust the heap long after
 * loading. The estimate counts every parameter twice (value and gradient) and, on the CPU backend
 * (whose tensors live on the Java heap), two workspace tensors of {@link Model#INFERENCE_BATCH}
 * rows per layer output; it is compared with {@link Runtime#maxMemory()}.
 */
final class ModelBudget {
  /** Workspace tensors per layer that an inference pass fills (output, and a dense layer's z). */
  private static final long SLOTS_PER_LAYER = 2;

  private ModelBudget() {}

  /**
   * @throws MalformedFileException naming the layer count, the total activation width and the
   *     estimate if the model would need more memory than this JVM may use
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
    long[] totals = new long[2]; // layers, summed output widths
    walk(spec.layers(), spec.inputs(), totals);
    boolean onHeap = backend.name().equals("cpu");
    double bytes =
        Float.BYTES
            * (2.0 * parameters
                + (onHeap ? SLOTS_PER_LAYER * (double) Model.INFERENCE_BATCH * totals[1] : 0));
    if (bytes > budget) {
      throw new MalformedFileException(
          file,
          "metadata " + ModelFile.KEY_SPEC,
          String.format(
              Locale.ROOT,
              "the architecture declares %d layers with %d outputs in all and %d stored values;"
                  + " running it on %s needs about %.1f MB, more than the %.1f MB this JVM may use"
                  + " (-Xmx)",
              totals[0],
              totals[1],
              parameters,
              backend.name(),
              bytes / 1e6,
              budget / 1e6));
    }
  }

  private static int walk(List<LayerSpec> layers, int width, long[] totals) {
    for (LayerSpec layer : layers) {
      if (layer instanceof Residual r) {
        walk(r.body(), width, totals);
      }
      width = layer instanceof Dense d ? d.outputs() : layer.outputWidth(width);
      totals[0]++;
      totals[1] += width;
    }
    return width;
  }
}
