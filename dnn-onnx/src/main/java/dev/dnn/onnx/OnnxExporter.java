package dev.dnn.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.dnn.backend.ActivationKind;
import dev.dnn.data.ScalerParams;
import dev.dnn.data.TargetScaling;
import dev.dnn.internal.io.AtomicFiles;
import dev.dnn.internal.io.Json;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.BatchNorm;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Maxout;
import dev.dnn.nn.Model;
import dev.dnn.nn.Residual;
import dev.dnn.onnx.OnnxGraph.Attribute;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Exports a model as an ONNX graph (IR version 8, opset 17) that takes the raw inputs {@code dnn
 * predict} and {@code Model.predict(float[][])} take (for Fashion-MNIST, pixel values 0-255; a text
 * column as its one-hot code, in the order metadata {@code dnn.input_names} lists): the model's
 * input scaling and preprocessing are its first nodes, and a regression model's target scaling its
 * last, so its outputs are in the target's units. Input {@value #INPUT} is {@code [batch, inputs]}
 * with a dynamic batch dimension. Outputs: {@value #PROBABILITIES} first (softmax of the logits, or
 * their sigmoid for a model trained with sigmoid cross-entropy), then {@value #LOGITS}; a model
 * trained with mean squared error has the single output {@value #OUTPUTS}. Every layer kind is
 * exported in its inference form: dropout is the identity, batch norm uses the running statistics,
 * randomized leaky ReLU the mean slope, swish is {@code x * Sigmoid(x)}, maxout a reshape and a
 * maximum.
 *
 * <pre>{@code
 * try (ModelFile.Loaded loaded = ModelFile.load(Path.of("fashion.safetensors"), backend)) {
 *   OnnxExporter.export(loaded, Path.of("fashion.onnx"));
 * }
 * }</pre>
 *
 * <p>Has no mutable state: its methods may be called from any thread. An export reads the model's
 * weights without the model's locks, so it must not overlap training of that model, nor, on a
 * backend that is not thread-safe, other threads' use of it.
 */
public final class OnnxExporter {
  /** The name of the graph's input. */
  public static final String INPUT = "input";

  /** The name of the class probabilities, the first output of a classifier. */
  public static final String PROBABILITIES = "probabilities";

  /** The name of the logits, the second output of a classifier. */
  public static final String LOGITS = "logits";

  /** The name of the only output of a regression model. */
  public static final String OUTPUTS = "outputs";

  /** The ONNX operator set the graph uses. */
  public static final int OPSET = 17;

  private static final int IR_VERSION = 8;

  private OnnxExporter() {}

  /** Exports a loaded model with the input scaling, preprocessing and class names of its file. */
  public static void export(ModelFile.Loaded loaded, Path path) throws IOException {
    export(loaded.model(), path);
  }

  /**
   * Writes the graph of {@code model} with all it carries (input scale, scaling, target scaling,
   * class names, column names) to {@code path}, atomically.
   */
  public static void export(Model model, Path path) throws IOException {
    export(model, ModelFile.Description.from(model), path);
  }

  /** Writes the graph of {@code model} and {@code description} to {@code path}, atomically. */
  public static void export(Model model, ModelFile.Description description, Path path)
      throws IOException {
    byte[] bytes = toModelProto(model, description).toByteArray();
    AtomicFiles.write(path, out -> out.write(bytes));
  }

  /** The ONNX model of {@code model} and {@code description}. */
  public static ModelProto toModelProto(Model model, ModelFile.Description description) {
    OnnxGraph g = new OnnxGraph("dnn");
    g.input(INPUT, model.inputCount());
    String x = preprocess(g, description, model.inputCount());
    x = layers(g, model, "layers", model.spec().layers(), x, model.inputCount());
    Loss loss = model.loss() == null ? Loss.SOFTMAX_CROSS_ENTROPY : model.loss();
    int outputs = model.outputCount();
    String[] last = {x};
    if (loss == Loss.MEAN_SQUARED_ERROR) {
      if (model.targetScaling().isPresent()) {
        // The network learned (y - offset) * scale: answer z / scale + offset, as Model.predict.
        TargetScaling t = model.targetScaling().get();
        String scale = g.floats("target.scale", new long[] {outputs}, t.scale());
        String offset = g.floats("target.offset", new long[] {outputs}, t.offset());
        last[0] = g.node("Div", "target", new String[] {last[0], scale});
        last[0] = g.node("Add", "target", new String[] {last[0], offset});
      }
      g.node("Identity", "output", last, OUTPUTS);
      g.output(OUTPUTS, outputs);
    } else {
      g.node("Identity", "output", last, LOGITS);
      if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
        g.node("Softmax", "output", new String[] {LOGITS}, PROBABILITIES, Attribute.of("axis", 1L));
      } else {
        g.node("Sigmoid", "output", new String[] {LOGITS}, PROBABILITIES);
      }
      g.output(PROBABILITIES, outputs);
      g.output(LOGITS, outputs);
    }
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setProducerName("dnn")
            .setGraph(g.build());
    metadata(m, ModelFile.KEY_SPEC, model.spec().toJson());
    if (!description.classes().isEmpty()) {
      metadata(m, ModelFile.KEY_CLASSES, Json.write(description.classes()));
    }
    metadata(m, ModelFile.KEY_LOSS, loss.name());
    List<String> inputNames = model.preprocessing().inputNames();
    if (!inputNames.isEmpty()) {
      // The input's columns by name (a text column as one value per category, its one-hot code).
      metadata(m, "dnn.input_names", Json.write(inputNames));
    }
    return m.build();
  }

  private static void metadata(ModelProto.Builder m, String key, String value) {
    m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }

  /** {@code (x * inputScale - offset) * scale}, the steps that are not identities. */
  private static String preprocess(OnnxGraph g, ModelFile.Description d, int width) {
    String x = INPUT;
    if (d.inputScale() != 1) {
      String s =
          g.floats("preprocess.input_scale", new long[0], new float[] {(float) d.inputScale()});
      x = g.node("Mul", "preprocess", new String[] {x, s});
    }
    ScalerParams p = d.preprocessing();
    if (p != null) {
      if (p.offset().length != width) {
        throw new IllegalArgumentException(
            p.kind() + " preprocessing has " + p.offset().length + " features, the model " + width);
      }
      String offset = g.floats("preprocess.offset", new long[] {width}, p.offset());
      String scale = g.floats("preprocess.scale", new long[] {width}, p.scale());
      x = g.node("Sub", "preprocess", new String[] {x, offset});
      x = g.node("Mul", "preprocess", new String[] {x, scale});
    }
    return x;
  }

  private static String layers(
      OnnxGraph g, Model model, String prefix, List<LayerSpec> specs, String x, int width) {
    for (int i = 0; i < specs.size(); i++) {
      String name = prefix + "." + i;
      LayerSpec spec = specs.get(i);
      x = layer(g, model, name, spec, x, width);
      width = spec.outputWidth(width);
    }
    return x;
  }

  private static String layer(
      OnnxGraph g, Model model, String name, LayerSpec spec, String x, int width) {
    if (spec instanceof Dense d) {
      // The model keeps W as [inputs, outputs]: y = x W + b is Gemm without transposition.
      String w =
          g.floats(
              name + ".weight", new long[] {d.inputs(), d.outputs()}, model.get(name + ".weight"));
      String b = g.floats(name + ".bias", new long[] {d.outputs()}, model.get(name + ".bias"));
      return g.node("Gemm", name, new String[] {x, w, b});
    } else if (spec instanceof Activation a) {
      return activation(g, model, name, a, x, width);
    } else if (spec instanceof Dropout) {
      return g.node("Identity", name, new String[] {x});
    } else if (spec instanceof BatchNorm bn) {
      long[] v = {width};
      String[] inputs = {
        x,
        g.floats(name + ".weight", v, model.get(name + ".weight")),
        g.floats(name + ".bias", v, model.get(name + ".bias")),
        g.floats(name + ".running_mean", v, model.get(name + ".running_mean")),
        g.floats(name + ".running_var", v, model.get(name + ".running_var"))
      };
      return g.node(
          "BatchNormalization", name, inputs, Attribute.of("epsilon", (float) bn.epsilon()));
    } else if (spec instanceof Maxout m) {
      int outputs = width / m.pieces();
      String shape = g.longs(name + ".shape", -1, outputs, m.pieces());
      String grouped = g.node("Reshape", name, new String[] {x, shape});
      return g.node(
          "ReduceMax",
          name,
          new String[] {grouped},
          Attribute.ints("axes", 2),
          Attribute.of("keepdims", 0L));
    } else if (spec instanceof Residual r) {
      String h = layers(g, model, name + ".body", r.body(), x, width);
      return g.node("Add", name, new String[] {x, h});
    }
    throw new IllegalArgumentException(name + ": no ONNX form for " + spec);
  }

  private static String activation(
      OnnxGraph g, Model model, String name, Activation a, String x, int width) {
    String[] in = {x};
    ActivationKind kind = a.kind();
    return switch (kind) {
      case LINEAR -> g.node("Identity", name, in);
      case SIGMOID -> g.node("Sigmoid", name, in);
      case TANH -> g.node("Tanh", name, in);
      case RELU -> g.node("Relu", name, in);
      case LEAKY_RELU -> g.node("LeakyRelu", name, in, Attribute.of("alpha", (float) a.alpha()));
      case RRELU ->
          // At inference the slope is the mean of its range, as in the model and in PyTorch.
          g.node(
              "LeakyRelu", name, in, Attribute.of("alpha", (float) ((a.lower() + a.upper()) / 2)));
      case PRELU -> {
        String slope = g.floats(name + ".weight", new long[] {width}, model.get(name + ".slope"));
        yield g.node("PRelu", name, new String[] {x, slope});
      }
      case ELU -> g.node("Elu", name, in, Attribute.of("alpha", (float) a.alpha()));
      case SELU ->
          g.node(
              "Selu",
              name,
              in,
              Attribute.of("alpha", (float) ActivationKind.SELU_ALPHA),
              Attribute.of("gamma", (float) ActivationKind.SELU_LAMBDA));
      case SOFTPLUS -> g.node("Softplus", name, in);
      case SWISH -> {
        String s = g.node("Sigmoid", name, in);
        yield g.node("Mul", name, new String[] {x, s});
      }
      case ABS -> g.node("Abs", name, in);
    };
  }
}
