package dev.dnn.io;

import dev.dnn.backend.ActivationKind;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.ModelSpec;
import dev.dnn.nn.Residual;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts between a model's tensors as {@link dev.dnn.nn.Model} holds them and as the equivalent
 * {@code torch.nn} modules name and shape them: {@code nn.Linear} stores its weight {@code [out,
 * in]} where the model keeps {@code [in, out]}; {@code nn.PReLU} calls its slopes {@code weight}
 * where the model says {@code slope}; {@code nn.BatchNorm1d} has a {@code num_batches_tracked}
 * counter the model does not keep (written as 0, ignored on reading: it matters to PyTorch only
 * with {@code momentum=None}, which dnn does not offer).
 */
final class TorchLayout {
  private enum Role {
    LINEAR_WEIGHT,
    PRELU_WEIGHT,
    BATCHES_TRACKED
  }

  /** PyTorch's name of each tensor that needs converting, with what it is. */
  private final Map<String, Role> roles = new HashMap<>();

  /** PyTorch's name of the running variance of each batch norm, after which its counter comes. */
  private final Map<String, String> counterAfter = new HashMap<>();

  private final Map<String, Dense> linear = new HashMap<>();

  private TorchLayout(ModelSpec spec) {
    collect("layers", spec.layers());
  }

  /** The layout of {@code spec}'s tensors. */
  static TorchLayout of(ModelSpec spec) {
    return new TorchLayout(spec);
  }

  private void collect(String prefix, List<LayerSpec> layers) {
    for (int i = 0; i < layers.size(); i++) {
      String name = prefix + "." + i;
      LayerSpec layer = layers.get(i);
      if (layer instanceof Dense d) {
        roles.put(name + ".weight", Role.LINEAR_WEIGHT);
        linear.put(name + ".weight", d);
      } else if (layer instanceof Activation a && a.kind() == ActivationKind.PRELU) {
        roles.put(name + ".weight", Role.PRELU_WEIGHT);
      } else if (layer instanceof BatchNorm) {
        roles.put(name + ".num_batches_tracked", Role.BATCHES_TRACKED);
        counterAfter.put(name + ".running_var", name + ".num_batches_tracked");
      } else if (layer instanceof Residual r) {
        collect(name + ".body", r.body());
      }
    }
  }

  /** The names PyTorch stores as 64-bit integers. */
  Set<String> int64Names() {
    Set<String> names = new HashSet<>();
    roles.forEach(
        (name, role) -> {
          if (role == Role.BATCHES_TRACKED) {
            names.add(name);
          }
        });
    return names;
  }

  /** The model's tensors under PyTorch's names and shapes, in PyTorch's state_dict order. */
  Map<String, HostArray> toTorch(Map<String, HostArray> model) {
    // The model lists all parameters, then all buffers; PyTorch lists each module's together.
    Map<String, Map<String, HostArray>> byModule = new LinkedHashMap<>();
    model.forEach(
        (name, array) ->
            byModule
                .computeIfAbsent(
                    name.substring(0, name.lastIndexOf('.')), m -> new LinkedHashMap<>())
                .put(name, array));
    Map<String, HostArray> ordered = new LinkedHashMap<>();
    byModule.values().forEach(ordered::putAll);
    Map<String, HostArray> torch = new LinkedHashMap<>();
    for (Map.Entry<String, HostArray> e : ordered.entrySet()) {
      String name = e.getKey();
      HostArray array = e.getValue();
      if (name.endsWith(".slope")) {
        String torchName = name.substring(0, name.length() - ".slope".length()) + ".weight";
        if (roles.get(torchName) == Role.PRELU_WEIGHT) {
          name = torchName;
        }
      } else if (roles.get(name) == Role.LINEAR_WEIGHT) {
        array = transpose(array);
      }
      torch.put(name, array);
      String counter = counterAfter.get(name);
      if (counter != null) {
        torch.put(counter, new HostArray(new int[0], new float[1]));
      }
    }
    return torch;
  }

  /**
   * The tensors of a file in PyTorch's layout under the model's names and shapes. Names that are
   * not part of the architecture pass through unchanged, for the caller to report.
   *
   * @throws MalformedFileException if a linear weight is not a matrix of PyTorch's shape, or a
   *     batch-norm counter is not a scalar
   */
  Map<String, HostArray> fromTorch(Map<String, HostArray> stored, String file)
      throws MalformedFileException {
    Map<String, HostArray> model = new LinkedHashMap<>();
    for (Map.Entry<String, HostArray> e : stored.entrySet()) {
      String name = e.getKey();
      HostArray array = e.getValue();
      Role role = roles.get(name);
      if (role == Role.LINEAR_WEIGHT) {
        Dense d = linear.get(name);
        int[] expected = {d.outputs(), d.inputs()};
        if (!Arrays.equals(array.shape(), expected)) {
          throw new MalformedFileException(
              file,
              "tensors",
              "tensor '"
                  + name
                  + "' has shape "
                  + Arrays.toString(array.shape())
                  + " but nn.Linear("
                  + d.inputs()
                  + ", "
                  + d.outputs()
                  + ") stores "
                  + Arrays.toString(expected)
                  + " ([out_features, in_features])");
        }
        model.put(name, transpose(array));
      } else if (role == Role.PRELU_WEIGHT) {
        model.put(name.substring(0, name.length() - ".weight".length()) + ".slope", array);
      } else if (role == Role.BATCHES_TRACKED) {
        if (array.size() != 1) {
          throw new MalformedFileException(
              file,
              "tensors",
              "tensor '"
                  + name
                  + "' has shape "
                  + Arrays.toString(array.shape())
                  + " but a batch-norm counter is a scalar");
        }
      } else {
        model.put(name, array);
      }
    }
    return model;
  }

  /** A {@code [rows, cols]} array as {@code [cols, rows]}. */
  static HostArray transpose(HostArray a) {
    int rows = a.shape()[0];
    int cols = a.shape()[1];
    float[] src = a.data();
    float[] dst = new float[src.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[c * rows + r] = src[r * cols + c];
      }
    }
    return new HostArray(new int[] {cols, rows}, dst);
  }
}
