package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.cli.run.EpochRecord;
import dev.dnn.cli.run.ExperimentData;
import dev.dnn.cli.run.ExperimentResults;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.cli.run.RunResult;
import dev.dnn.cli.run.TrainingRun;
import dev.dnn.data.DataSet;
import dev.dnn.init.Init;
import dev.dnn.random.Philox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment report shows the trainer's gradient health: for a deep sigmoid network, whose
 * first layers' gradients vanish (each sigmoid scales the gradient by at most 1/4), a warning that
 * names those layers and a per-layer table with the flagged cells marked, also after the results
 * went through their JSON file.
 */
class GradientHealthReportTest {
  private static final int FEATURES = 4;
  private static final int DEPTH = 20;

  @TempDir Path dir;

  private static DataSet data(int size, long seed) {
    float[] x = new float[size * FEATURES];
    Philox.fillUniform(seed, 1, 0, x, 0, x.length);
    int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      labels[i] = x[i * FEATURES] > 0.5f ? 1 : 0;
    }
    return DataSet.classification(x, FEATURES, labels, 2);
  }

  private static RunResult train(String name, ActivationKind activation, int depth, Init init) {
    RunConfig config =
        new RunConfig(
            name, Collections.nCopies(depth, 8), activation, init, "sgd", 0.01, 16, 2, 0, 3);
    ExperimentData data = new ExperimentData(data(64, 1), data(16, 2), data(16, 3), "synthetic");
    try (Backend cpu = Backends.select("cpu")) {
      return TrainingRun.execute(config, cpu, data, null);
    }
  }

  @Test
  void aDeepSigmoidNetworkIsFlaggedInTheReportAndAShallowReluOneIsNot() throws IOException {
    RunResult sigmoid = train("Deep-sigmoid", ActivationKind.SIGMOID, DEPTH, Init.GLOROT_UNIFORM);
    RunResult relu = train("Shallow-relu", ActivationKind.RELU, 1, Init.HE_NORMAL);
    EpochRecord first = sigmoid.epochs().get(0);
    assertTrue(first.vanishingLayers().contains("layers.0"), first.vanishingLayers().toString());
    assertTrue(relu.epochs().get(0).vanishingLayers().isEmpty());

    ExperimentResults results =
        new ExperimentResults("Health", "tiny", "synthetic", "test", List.of(sigmoid, relu));
    Path json = dir.resolve("results.json");
    ResultsJson.write(results, json);
    ExperimentResults reread = ResultsJson.read(json, ExperimentResults.class);
    assertEquals(first.vanishingLayers(), reread.runs().get(0).epochs().get(0).vanishingLayers());

    String html = HtmlReport.render(reread);
    assertTrue(html.contains("<h3>Gradient health</h3>"), "no gradient health section");
    String warning = "<p class=\"warning\">Warning: vanishing gradients in layers.0 (epochs 1-2)";
    assertTrue(html.contains(warning), "no vanishing warning for the first layer");
    assertTrue(html.contains("<td class=\"num vanishing\">" + GradientHealthTable.VANISHING_MARK));
    assertFalse(html.contains("<td class=\"num exploding\">"), "nothing exploded");
    int reluSection = html.indexOf("<h4>Shallow-relu</h4>");
    assertTrue(reluSection > 0, "no section for the ReLU run");
    assertTrue(
        html.startsWith("<h4>Shallow-relu</h4>\n<p>No layer was flagged.</p>", reluSection),
        html.substring(reluSection, Math.min(html.length(), reluSection + 200)));
  }

  @Test
  void flaggedEpochsAreShownAsRanges() {
    assertEquals("epoch 2", GradientHealthTable.epochRanges(List.of(2)));
    assertEquals("epochs 1-3, 5", GradientHealthTable.epochRanges(List.of(1, 2, 3, 5)));
  }
}
