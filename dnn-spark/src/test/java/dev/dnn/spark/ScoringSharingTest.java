package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ScoringSharingTest {
  /** Both tasks of the scoring job wait here until both run (local mode: one JVM). */
  private static volatile CountDownLatch bothRunning;

  @Test
  void concurrentTasksOfAnExecutorScoreWithOneLoadedModel() {
    Dataset<Row> train = TestSpark.blobFrame(200, 3, 4, 21);
    DnnClassificationModel model =
        new DnnClassifier()
            .setHidden(8)
            .setEpochs(2)
            .setBatchSize(32)
            .setStepSize(0.02)
            .setNumWorkers(2)
            .setSeed(21)
            .fit(train);
    Dataset<Row> test = TestSpark.blobFrame(4000, 3, 4, 22).repartition(2);
    bothRunning = new CountDownLatch(2);
    MapPartitionsFunction<Row, Row> meet =
        rows -> {
          CountDownLatch latch = bothRunning;
          latch.countDown();
          if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other task did not start within 60 s");
          }
          return rows;
        };
    Dataset<Row> together = test.mapPartitions(meet, Encoders.row(test.schema()));
    long before = Scoring.loads();
    List<Row> out = model.transform(together).select("prediction").collectAsList();
    assertEquals(4000, out.size());
    assertEquals(0, bothRunning.getCount(), "both tasks ran at once");
    // Two tasks in local[2] at once, 2,000 rows (two batches) each: one model file read and loaded.
    assertEquals(1, Scoring.loads() - before);
    // A later job and the driver's per-row path in this JVM reuse it too (the driver's backend
    // differs from a task's, so it loads its own once).
    model.transform(test).count();
    assertEquals(1, Scoring.loads() - before);
    model.predict((org.apache.spark.ml.linalg.Vector) test.first().get(0));
    long afterDriver = Scoring.loads();
    assertTrue(afterDriver - before <= 2, "loads " + (afterDriver - before));
    model.predict((org.apache.spark.ml.linalg.Vector) test.first().get(0));
    assertEquals(afterDriver, Scoring.loads());
  }
}
