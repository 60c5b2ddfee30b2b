package dev.dnn.cli;

import dev.dnn.backend.Backend;
import dev.dnn.cli.report.OutputFiles;
import dev.dnn.io.ModelFile;
import dev.dnn.nn.ModelSpec;
import dev.dnn.onnx.OnnxExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Exports a saved model as an ONNX graph that takes the raw inputs predict reads.
 *
 * <p>Not thread-safe: picocli fills its fields from one command line, so each run has its own
 * instance.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Export a saved model as an ONNX graph (opset "
          + OnnxExporter.OPSET
          + ") that ONNX Runtime and other ONNX consumers run.",
      "The graph takes the raw features predict reads (for Fashion-MNIST, pixel values 0-255)"
          + " as input '"
          + OnnxExporter.INPUT
          + "' [batch, features]: the recorded input scaling and preprocessing are its first"
          + " nodes. Outputs: '"
          + OnnxExporter.PROBABILITIES
          + "' (softmax), then '"
          + OnnxExporter.LOGITS
          + "'.",
      "Example: export --model fashion.safetensors --onnx fashion.onnx"
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOption model = new ModelOption();

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description =
          "The architecture as JSON, for a file of weights alone (a PyTorch state_dict saved as"
              + " safetensors).")
  Path architecture;

  @Option(
      names = "--onnx",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the ONNX graph.")
  Path onnx;

  @Mixin BackendOption backend = new BackendOption();

  @Override
  public Integer call() throws Exception {
    model.require();
    if (architecture != null) {
      FileOptions.requireFile("--spec", architecture);
    }
    FileOptions.requireWritableFile("--onnx", onnx);
    try (Backend chosen = backend.select();
        ModelFile.Loaded loaded = load(chosen)) {
      OutputFiles.createParent(onnx);
      OnnxExporter.export(loaded, onnx);
      PrintWriter out = spec.commandLine().getOut();
      out.println("Wrote " + onnx + ":");
      out.print(loaded.model().summary());
      out.flush();
    }
    return 0;
  }

  private ModelFile.Loaded load(Backend chosen) throws java.io.IOException {
    if (architecture == null) {
      return ModelFile.load(model.file, chosen);
    }
    ModelSpec layers = ModelFile.readSpec(architecture);
    return ModelFile.load(model.file, layers, chosen);
  }
}
