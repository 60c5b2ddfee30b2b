package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingAndCheckpointTest {
  @TempDir Path dir;

  private static DnnClassifier dnn() {
    return new DnnClassifier()
        .setHidden(8)
        .setBatchSize(32)
        .setStepSize(0.02)
        .setNumWorkers(2)
        .setSeed(4);
  }

  @Test
  void validationRowsAreHeldOutAndEarlyStoppingEndsTheFit() {
    // Random labels: nothing generalizes, so the validation loss stops falling early on.
    List<Row> rows = new ArrayList<>(TestSpark.blobs(300, 3, 4, 8));
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < rows.size(); i++) {
      rows.set(
          i,
          org.apache.spark.sql.RowFactory.create(rows.get(i).get(0), (double) random.nextInt(3)));
    }
    Dataset<Row> df =
        TestSpark.session()
            .createDataFrame(rows, TestSpark.vectorSchema())
            .withColumn("isVal", functions.rand(3).lt(0.3));
    DnnClassificationModel model =
        dnn()
            .setStepSize(0.05)
            .setEpochs(60)
            .setValidationIndicatorCol("isVal")
            .setEarlyStoppingPatience(3)
            .fit(df);
    TrainingHistory h = model.history();
    assertTrue(h.epochs() < 60, "ran " + h.epochs() + " epochs");
    double best = Double.POSITIVE_INFINITY;
    for (double v : h.validationLoss()) {
      assertTrue(Double.isFinite(v));
      best = Math.min(best, v);
    }
    // The last 3 epochs brought no lower validation loss than the best before them.
    double[] v = h.validationLoss();
    for (int i = v.length - 3; i < v.length; i++) {
      assertTrue(v[i] >= best);
    }
  }

  @Test
  void aFitResumesFromItsCheckpointAndEndsAsAnUninterruptedOne() throws Exception {
    Dataset<Row> df = TestSpark.blobFrame(200, 3, 4, 6);
    byte[] uninterrupted = dnn().setEpochs(4).fit(df).modelFile();

    String checkpoints = dir.resolve("checkpoints").toString();
    // A first fit that stops after 2 epochs (as a driver that died would have) ...
    dnn().setEpochs(2).setCheckpointDir(checkpoints).fit(df);
    assertTrue(Files.exists(dir.resolve("checkpoints").resolve("checkpoint.safetensors")));
    // ... and a second that finds its checkpoint and runs epochs 3 and 4 only.
    DnnClassificationModel resumed = dnn().setEpochs(4).setCheckpointDir(checkpoints).fit(df);
    assertEquals(2, resumed.history().epochs());
    assertArrayEquals(uninterrupted, resumed.modelFile());
  }
}
