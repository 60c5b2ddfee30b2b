package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spark's task retry is the fault tolerance: a task that fails once and runs again draws the same
 * shuffle and dropout numbers (from seed, epoch or step, and partition), and the round's sum is
 * added in a fixed order, so the trained model file is identical to the byte.
 */
class TaskRetryTest {
  @AfterEach
  void clear() {
    ShardTask.hook = null;
    TestSpark.stop();
  }

  @Test
  void aRetriedTaskGivesTheSameModelFile() {
    // local[4,4]: 4 task threads, and a task may fail up to 4 times before the job does.
    TestSpark.session("local[4,4]");
    Dataset<Row> df =
        TestSpark.session("local[4,4]")
            .createDataFrame(TestSpark.blobs(240, 3, 6, 21), TestSpark.vectorSchema());
    DnnClassifier dnn =
        new DnnClassifier()
            .setHidden(12)
            .setDropout(0.2)
            .setOptimizer("adam")
            .setStepSize(0.01)
            .setBatchSize(24)
            .setEpochs(2)
            .setNumWorkers(4)
            .setSeed(5);
    byte[] clean = dnn.fit(df).modelFile();

    AtomicInteger injected = new AtomicInteger();
    ShardTask.hook =
        (state, shard) -> {
          // Partition 2 fails on its first attempt in the fourth round of the second epoch.
          if (state.epoch == 1
              && state.firstStep == 3
              && shard.partition == 2
              && TaskContext.get().attemptNumber() == 0) {
            injected.incrementAndGet();
            throw new IllegalStateException("injected failure");
          }
        };
    byte[] retried = dnn.fit(df).modelFile();
    assertEquals(1, injected.get(), "the failure was injected once");
    assertArrayEquals(clean, retried);
  }
}
