package dev.dnn.nn;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import java.util.ArrayList;
import java.util.List;

/** Builds live layers from specs, and folds activations into the dense layer before them. */
final class Layers {
  private Layers() {}

  /**
   * Builds {@code specs} named {@code prefix.<i>}. {@code streams} hands out the random-stream
   * index of each layer, depth first, so nested layers draw their own numbers.
   */
  static List<Layer> build(
      Backend backend, String prefix, List<LayerSpec> specs, int inputs, long seed, int[] streams) {
    List<Layer> layers = new ArrayList<>(specs.size());
    int width = inputs;
    for (int i = 0; i < specs.size(); i++) {
      String name = prefix + "." + i;
      Layer layer = build(backend, name, specs.get(i), width, seed, streams);
      layers.add(layer);
      width = layer.outputWidth();
    }
    fuseActivations(layers);
    return layers;
  }

  private static Layer build(
      Backend backend, String name, LayerSpec spec, int width, long seed, int[] streams) {
    int stream = streams[0]++;
    if (spec instanceof Dense d) {
      if (d.inputs() != width) {
        throw new IllegalArgumentException(
            name
                + ": Dense "
                + d.inputs()
                + " -> "
                + d.outputs()
                + " receives "
                + width
                + " features");
      }
      return new DenseLayer(backend, name, stream, d, seed);
    } else if (spec instanceof Activation a) {
      return new ActivationLayer(backend, name, stream, a, width);
    } else if (spec instanceof Dropout d) {
      return new DropoutLayer(backend, name, stream, d, width);
    } else if (spec instanceof BatchNorm b) {
      return new BatchNormLayer(backend, name, stream, b, width);
    } else if (spec instanceof Maxout m) {
      return new MaxoutLayer(backend, name, stream, m, width);
    } else if (spec instanceof Residual r) {
      List<Layer> body = build(backend, name + ".body", r.body(), width, seed, streams);
      if (body.get(body.size() - 1).outputWidth() != width) {
        body.forEach(Layer::close);
        throw new IllegalArgumentException(
            name
                + ": residual body maps "
                + width
                + " features to "
                + body.get(body.size() - 1).outputWidth());
      }
      return new ResidualLayer(backend, name, stream, r, body);
    }
    throw new IllegalArgumentException(name + ": unknown layer type " + spec);
  }

  /** Dense followed by a slope-free activation runs as one fused bias + activation kernel. */
  private static void fuseActivations(List<Layer> layers) {
    for (int i = 0; i + 1 < layers.size(); i++) {
      if (layers.get(i) instanceof DenseLayer dense
          && layers.get(i + 1) instanceof ActivationLayer act) {
        Activation spec = (Activation) act.spec();
        if (!spec.kind().usesSlopes() && spec.kind() != ActivationKind.LINEAR) {
          dense.fuse(spec.kind(), spec.kernelAlpha());
          act.absorb();
        }
      }
    }
  }

  static boolean hasParameters(Layer layer) {
    if (layer.hasParameters()) {
      return true;
    }
    for (Layer child : layer.children()) {
      if (hasParameters(child)) {
        return true;
      }
    }
    return false;
  }

  /** The layer and all layers nested in it, depth first. */
  static void flatten(Layer layer, List<Layer> into) {
    into.add(layer);
    for (Layer child : layer.children()) {
      flatten(child, into);
    }
  }
}
