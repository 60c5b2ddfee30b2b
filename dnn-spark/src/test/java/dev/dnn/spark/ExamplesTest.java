package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.spark.examples.FlowerPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs docs/spark.md's example program in local[2]. */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void theFlowerPipelineTrainsSavesReloadsAndTunes() throws Exception {
    Path csv = Path.of(getClass().getResource("examples/flowers.csv").toURI());
    Path model = dir.resolve("flower-model");
    FlowerPipeline.Result r =
        FlowerPipeline.run(TestSpark.session(), csv.toString(), model.toString());
    // The three synthetic species are well apart in petal length (centres 1.5, 4.3, 5.6, spread
    // 0.3): a fitted network misclassifies few of the ~60 test rows.
    assertTrue(r.testAccuracy() >= 0.9, "accuracy " + r.testAccuracy());
    assertEquals(r.testAccuracy(), r.reloadedAccuracy(), 0);
    assertEquals(4, r.cvMetrics().length);
    assertTrue(Files.exists(model.resolve("stages")));
    try (var stages = Files.list(model.resolve("stages"))) {
      assertTrue(
          stages.anyMatch(s -> Files.exists(s.resolve("model.safetensors"))),
          "the DnnClassifier stage holds dnn's model file");
    }
  }
}
