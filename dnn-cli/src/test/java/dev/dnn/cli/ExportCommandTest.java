package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.dnn.io.ModelFile;
import dev.dnn.io.SafeTensors;
import dev.dnn.io.SafeTensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
  @TempDir Path dir;

  private Path trainedModel() {
    Path model = dir.resolve("model.safetensors");
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "train",
            "--backend",
            "cpu",
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--limit",
            "100",
            "--no-progress",
            "--save",
            model.toString());
    assertEquals(0, outcome.status(), outcome.err());
    return model;
  }

  @Test
  void exportWritesAGraphOnRawPixelsWithProbabilitiesFirst() throws Exception {
    Path model = trainedModel();
    // train --save records that pixels are divided by 255 before the model sees them.
    SafeTensorsFile file = SafeTensors.read(model);
    assertEquals(1 / 255.0, Double.parseDouble(file.metadata().get(ModelFile.KEY_INPUT_SCALE)));
    Path onnx = dir.resolve("out/model.onnx");
    DnnCommandTest.Outcome outcome =
        DnnCommandTest.run(
            "export", "--backend", "cpu", "--model", model.toString(), "--onnx", onnx.toString());
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(outcome.out().contains("Wrote " + onnx), outcome.out());
    OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
    OnnxMl.GraphProto graph = proto.getGraph();
    assertEquals("input", graph.getInput(0).getName());
    assertEquals(
        List.of("probabilities", "logits"),
        graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
    // The first node scales the raw pixels.
    assertEquals("Mul", graph.getNode(0).getOpType());
    assertEquals(List.of("input", "preprocess.input_scale"), graph.getNode(0).getInputList());
  }

  @Test
  void evaluateAndExportReadAFileOfWeightsAloneWithSpec() throws Exception {
    Path model = trainedModel();
    SafeTensorsFile file = SafeTensors.read(model);
    Path weights = dir.resolve("weights.safetensors");
    // As PyTorch would save the state_dict: the tensors and no dnn metadata.
    SafeTensors.write(weights, file.tensors(), java.util.Map.of("format", "pt"));
    Path spec =
        Files.writeString(dir.resolve("spec.json"), file.metadata().get(ModelFile.KEY_SPEC));
    DnnCommandTest.Outcome without =
        DnnCommandTest.run("evaluate", "--backend", "cpu", "--model", weights.toString());
    assertEquals(2, without.status());
    assertTrue(without.err().contains("--spec"), without.err());
    DnnCommandTest.Outcome withSpec =
        DnnCommandTest.run(
            "evaluate",
            "--backend",
            "cpu",
            "--model",
            weights.toString(),
            "--spec",
            spec.toString());
    DnnCommandTest.Outcome original =
        DnnCommandTest.run("evaluate", "--backend", "cpu", "--model", model.toString());
    assertEquals(0, withSpec.status(), withSpec.err());
    String accuracy = original.out().substring(original.out().indexOf("Test accuracy"));
    assertTrue(withSpec.out().contains(accuracy), withSpec.out() + " vs " + accuracy);
  }
}
