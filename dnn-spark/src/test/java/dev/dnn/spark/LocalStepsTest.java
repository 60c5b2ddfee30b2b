package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Several local steps per round: workers step their own optimizer, the driver averages. */
class LocalStepsTest {
  private static DnnClassifier dnn(int workers, int localSteps) {
    return new DnnClassifier()
        .setHidden(8)
        .setDropout(0.1)
        .setOptimizer("adam")
        .setStepSize(0.01)
        .setBatchSize(16 * workers)
        .setEpochs(3)
        .setNumWorkers(workers)
        .setLocalSteps(localSteps)
        .setSeed(8);
  }

  /**
   * With one worker, averaging one set of parameters and optimizer state (times its rows, divided
   * by them: exact in double) returns them unchanged, and the worker's steps use the step numbers
   * the driver would: 4 local steps per round give the model of 1, to the bit.
   */
  @Test
  void withOneWorkerLocalStepsChangeNothing() {
    Dataset<Row> df = TestSpark.blobFrame(150, 3, 4, 12);
    assertArrayEquals(dnn(1, 1).fit(df).modelFile(), dnn(1, 4).fit(df).modelFile());
  }

  @Test
  void twoWorkersAveragingEveryFourStepsStillLearn() {
    Dataset<Row> train = TestSpark.blobFrame(400, 3, 4, 13);
    Dataset<Row> test = TestSpark.blobFrame(150, 3, 4, 14);
    DnnClassificationModel model = dnn(2, 4).fit(train);
    double[] losses = model.history().trainingLoss();
    assertEquals(3, losses.length);
    assertTrue(losses[2] < losses[0], java.util.Arrays.toString(losses));
    double accuracy =
        new MulticlassClassificationEvaluator()
            .setMetricName("accuracy")
            .evaluate(model.transform(test));
    // Blobs 8 standard deviations apart: any classifier that learned them is nearly perfect.
    assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
  }
}
